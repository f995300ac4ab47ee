"""A Python app's Whop v5 calls, with Whop's URLs written in, as the v5 guide shows them.

It knows nothing of the mock: HTTPS_PROXY and REQUESTS_CA_BUNDLE in its environment send it
there. Reads the code and the app's credentials from the environment, exchanges the code,
reads the user and prints both answers as one JSON line.
"""
import json
import os

import requests

TOKEN_URL = "https://api.whop.com/v5/oauth/token"
ME_URL = "https://api.whop.com/v5/me"

token = requests.post(
    TOKEN_URL,
    json={
        "code": os.environ["WHOP_CODE"],
        "client_id": os.environ["WHOP_CLIENT_ID"],
        "client_secret": os.environ["WHOP_CLIENT_SECRET"],
        "redirect_uri": os.environ["WHOP_REDIRECT_URI"],
    },
    timeout=30,
)
access_token = token.json().get("access_token", "")
me = requests.get(ME_URL, headers={"Authorization": f"Bearer {access_token}"}, timeout=30)
print(json.dumps({"token_status": token.status_code, "me_status": me.status_code, "me": me.json()}))
