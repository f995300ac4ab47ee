"""
A Flask app that signs people in with Whop the way Whop's v5 OAuth guide shows it: a link to
whop.com/oauth with client_id and redirect_uri, a callback that posts the code with the client
secret to /v5/oauth/token (as a form, with no grant_type, as the guide's Python snippet does),
and /v5/me read with the user's token. Like the guide, it sends no response_type (the page
accepts that). What the guide leaves out is added here, and each omission can be switched back
on with DEFECT=<name> (see DEFECTS):

  GET /login      start: a fresh state kept in the session, redirect to Whop's page
  GET /callback   finish: check state, exchange the code, keep the token
  GET /me         the signed-in user, read from /v5/me; 401 when nobody is signed in

Environment: PORT, HOST, WHOP_MOCK_URL (Whop's hosts; default the real ones), WHOP_APP_ID,
WHOP_CLIENT_SECRET, WHOP_TIMEOUT_MS (how long each call to Whop may wait; default 4000), DEFECT.
See docs/whop-reference.md §2.3 and §2.4.
"""
import os
import secrets
import sys

import requests
from flask import Flask, jsonify, redirect, request, session

DEFECTS = {
    "no-state": "sends no state and checks none, as the guide's link does",
    "state-not-checked": "sends a state but never compares it at the callback",
    "no-status-check": "uses the token endpoint's and /v5/me's JSON whatever the status, as the guide's snippets do",
}
DEFECT = os.environ.get("DEFECT") or None
if DEFECT is not None and DEFECT not in DEFECTS:
    sys.exit(f"DEFECT={DEFECT} is not one of: {', '.join(DEFECTS)}")

MOCK = os.environ.get("WHOP_MOCK_URL")
AUTHORIZE_URL = f"{MOCK}/oauth" if MOCK else "https://whop.com/oauth"
API_URL = MOCK or "https://api.whop.com"
CLIENT_ID = os.environ.get("WHOP_APP_ID", "")
CLIENT_SECRET = os.environ.get("WHOP_CLIENT_SECRET", "")
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "3400"))
REDIRECT_URI = f"http://{HOST}:{PORT}/callback"
# Whop answers in well under this; a person is waiting on the callback.
TIMEOUT_S = int(os.environ.get("WHOP_TIMEOUT_MS", "4000")) / 1000

app = Flask(__name__)
app.secret_key = os.environ.get("FLASK_SECRET_KEY") or secrets.token_urlsafe(32)

# Session id -> the user's Whop access token. Kept on the server: Flask's session cookie is
# signed, not encrypted, so the token stays out of the browser.
TOKENS = {}


def get_auth_token(code):
    """The guide's exchange: the code and the client's credentials as a form."""
    data = {"code": code, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": REDIRECT_URI}
    response = requests.post(f"{API_URL}/v5/oauth/token", data=data, timeout=TIMEOUT_S)
    if DEFECT == "no-status-check":
        return response.json().get("access_token")
    if response.status_code != 200:
        app.logger.warning("the code exchange failed with %s", response.status_code)
        return None
    token = response.json().get("access_token")
    return token if isinstance(token, str) else None


def check_access(access_token):
    """The guide's /v5/me call; None when Whop does not answer with the user."""
    headers = {"Authorization": f"Bearer {access_token}"}
    response = requests.get(f"{API_URL}/v5/me", headers=headers, timeout=TIMEOUT_S)
    if DEFECT == "no-status-check":
        return response.json()
    return response.json() if response.status_code == 200 else None


@app.get("/")
def home():
    return jsonify(status="ok")


@app.get("/login")
def login():
    query = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI}
    if DEFECT != "no-state":
        session["oauth_state"] = query["state"] = secrets.token_urlsafe(16)
    return redirect(f"{AUTHORIZE_URL}?{requests.compat.urlencode(query)}")


def state_refused():
    """Why the callback's state is refused, or None; a state is good for one callback."""
    expected = session.pop("oauth_state", None)
    if DEFECT in ("no-state", "state-not-checked"):
        return None
    if expected is None:
        return "No sign-in is in progress in this browser. Start again."
    if not secrets.compare_digest(request.args.get("state", ""), expected):
        return "This sign-in link is not from this browser. Start again."
    return None


@app.get("/callback")
def callback():
    refused = state_refused()
    if refused is not None:
        return jsonify(error=refused), 400
    code = request.args.get("code")
    if DEFECT != "no-status-check" and (request.args.get("error") or not code):
        return jsonify(error="Sign-in with Whop did not happen."), 400
    try:
        token = get_auth_token(code)
    except requests.RequestException as error:
        app.logger.warning("the code exchange failed: %s", type(error).__name__)
        token = None
    if token is None and DEFECT != "no-status-check":
        return jsonify(error="Sign-in with Whop failed. Start again."), 400
    session.clear()
    session["sid"] = sid = secrets.token_urlsafe(24)
    TOKENS[sid] = token
    return redirect("/me")


@app.get("/me")
def me():
    sid = session.get("sid")
    if sid not in TOKENS:
        return jsonify(error="Sign in first."), 401
    try:
        user = check_access(TOKENS[sid])
    except requests.RequestException:
        user = None
    if user is None:
        TOKENS.pop(sid, None)
        return jsonify(error="Your Whop session ended. Sign in again."), 401
    if DEFECT == "no-status-check":
        return jsonify(user)
    return jsonify(id=user.get("id"), username=user.get("username"))


if __name__ == "__main__":
    print(f"Flask v5-guide app on http://{HOST}:{PORT}" + (f" with defect {DEFECT}" if DEFECT else ""), flush=True)
    app.run(host=HOST, port=PORT, threaded=True)
