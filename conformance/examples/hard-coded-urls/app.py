"""Sign in with Whop, the v5 way, with Whop's URLs written into the code.

A small web app as Whop's v5 OAuth guide has one built: the authorize link at
https://whop.com/oauth/, the code exchanged at https://api.whop.com/v5/oauth/token with the
app's secret, the user read at https://api.whop.com/v5/me. It has no setting for another Whop:
the conformance suite judges it unmodified, with `app.intercept: "proxy"` routing its calls
(HTTPS_PROXY, REQUESTS_CA_BUNDLE) and the suite's browser following its redirect to the mock.

  GET /login     start: a fresh state in the session, then a redirect to Whop's authorize page
  GET /callback  finish: check state, exchange the code once, read the user, start the session
  GET /me        the signed-in user as JSON; 401 when nobody is signed in

When Whop fails (an error, an HTML page, no answer within WHOP_TIMEOUT_MS), the browser gets the
app's own 400 answer: nobody is signed in, and Whop's answer is never shown.

Environment: WHOP_APP_ID, WHOP_CLIENT_SECRET, PORT (default 3200), WHOP_TIMEOUT_MS (how long each
call to Whop may wait; default 4000). Standard library and requests only.
"""
import json
import os
import secrets
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import requests

AUTHORIZE_URL = "https://whop.com/oauth/"
TOKEN_URL = "https://api.whop.com/v5/oauth/token"
ME_URL = "https://api.whop.com/v5/me"

APP_ID = os.environ["WHOP_APP_ID"]
CLIENT_SECRET = os.environ["WHOP_CLIENT_SECRET"]
PORT = int(os.environ.get("PORT", "3200"))
REDIRECT_URI = f"http://127.0.0.1:{PORT}/callback"
SESSION_COOKIE = "v5_session"
# A person waits on the callback: each call to Whop gives up after this long.
TIMEOUT_S = int(os.environ.get("WHOP_TIMEOUT_MS", "4000")) / 1000
FAILED = {"error": "Sign-in with Whop failed. Start again."}

# Session id -> {"state": ..., "user": ...}. A real app keeps these in a store.
sessions = {}


class App(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        routes = {"/login": self.login, "/callback": self.callback, "/me": self.me}
        route = routes.get(url.path)
        if route is None:
            return self.answer(404, {"error": "not found"})
        return route(query)

    def session(self):
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        sid = cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else None
        return sid, sessions.get(sid) if sid else None

    def login(self, _query):
        sid = secrets.token_urlsafe(24)
        state = secrets.token_urlsafe(24)
        sessions[sid] = {"state": state, "user": None}
        params = {"client_id": APP_ID, "redirect_uri": REDIRECT_URI, "response_type": "code", "scope": "read_user", "state": state}
        cookie = f"{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"
        self.redirect(f"{AUTHORIZE_URL}?{urlencode(params)}", cookie)

    def callback(self, query):
        _sid, session = self.session()
        if session is None or not session.get("state") or query.get("state") != session["state"]:
            return self.answer(400, {"error": "state does not match this browser's sign-in"})
        session["state"] = None  # one callback per sign-in
        if "error" in query or "code" not in query:
            return self.answer(400, {"error": query.get("error", "no code")})
        try:
            user = self.read_user(query["code"])
        except (requests.RequestException, ValueError, KeyError):
            user = None
        if user is None:
            return self.answer(400, FAILED)
        session["user"] = user
        self.redirect("/me")

    @staticmethod
    def read_user(code):
        """The code exchanged once and the user read with its token; None when Whop refuses either."""
        token = requests.post(
            TOKEN_URL,
            json={"code": code, "client_id": APP_ID, "client_secret": CLIENT_SECRET, "redirect_uri": REDIRECT_URI},
            timeout=TIMEOUT_S,
        )
        if token.status_code != 200:
            return None
        me = requests.get(ME_URL, headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=TIMEOUT_S)
        return me.json() if me.status_code == 200 else None

    def me(self, _query):
        _sid, session = self.session()
        if session is None or session.get("user") is None:
            return self.answer(401, {"error": "not signed in"})
        return self.answer(200, session["user"])

    def redirect(self, location, cookie=None):
        self.send_response(302)
        self.send_header("Location", location)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), App).serve_forever()
