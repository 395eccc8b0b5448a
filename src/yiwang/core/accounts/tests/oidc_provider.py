"""A small but real OpenID Connect provider that the tests start on 127.0.0.1.

It stands in for the provincial identity provider (省统一身份认证平台): an RSA key made at
start, the authorization-code flow over real HTTP (authorize → token → userinfo, JWKS,
discovery), client authentication by secret, one-time codes bound to the redirect URI (and to
the PKCE challenge when the client sends one), and an
RS256 ID token carrying iss, aud, sub, nonce, iat, exp and the identity's claims. The
authorize endpoint "logs in" `provider.identity` at once; tests change that identity, or make
the provider misbehave (`id_token_claims`, `userinfo_claims`, `signing_key`, `algorithm`) to
see that the platform refuses what it must.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

CALLBACK_URI = "http://testserver/oidc/callback/"  # Django's test client host


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LocalOIDCProvider:
    def __init__(self, *, redirect_uris: tuple[str, ...] = (CALLBACK_URI,)):
        self.key = new_rsa_key()
        self.kid = "yiwang-test-" + secrets.token_hex(4)
        self.client_id = "yiwang-city"
        self.client_secret = secrets.token_urlsafe(24)
        self.redirect_uris = redirect_uris
        self.identity: dict = {"sub": "prov-0001", "name": "李四", "id_number": "330102199003071230"}
        # Faults a test may switch on: claims merged into the ID token / userinfo (None drops a
        # claim), the key the ID token is signed with, its alg header.
        self.id_token_claims: dict = {}
        self.userinfo_claims: dict = {}
        self.signing_key = self.key
        self.algorithm = "RS256"
        self.token_requests = 0
        self._grants: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.provider = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="oidc-provider",
            daemon=True,
        )

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> LocalOIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def django_settings(self) -> dict:
        """What a city would set through YIWANG_OIDC_* for this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.issuer + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": self.issuer + "/token",
            "OIDC_OP_USER_ENDPOINT": self.issuer + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": self.issuer + "/jwks",
            "OIDC_OP_ISSUER": self.issuer,
        }

    # --- the protocol ----------------------------------------------------------------------
    def authorize(self, query: dict) -> tuple[int, dict, dict | None]:
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            # RFC 6749 §4.1.2.1: never redirect to an unregistered URI.
            return 400, {"error": "invalid_request"}, None
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            back = {"error": "invalid_request", "state": query.get("state", "")}
            return 302, {}, {"Location": redirect_uri + "?" + urlencode(back)}
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = {
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce"),
                "claims": dict(self.identity),
                "code_challenge": query.get("code_challenge"),
            }
        back = {"code": code, "state": query.get("state", "")}
        return 302, {}, {"Location": redirect_uri + "?" + urlencode(back)}

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        self.token_requests += 1
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):  # client_secret_basic
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != self.client_id or not hmac.compare_digest(client_secret, self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if grant["code_challenge"] and grant["code_challenge"] != _s256(form.get("code_verifier", "")):
            return 400, {"error": "invalid_grant"}  # RFC 7636 §4.6 (PKCE, S256)
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = grant["claims"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self._id_token(grant),
        }

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        claims = self._access_tokens.get(authorization.removeprefix("Bearer ").strip())
        if not authorization.startswith("Bearer ") or claims is None:
            return 401, {"error": "invalid_token"}
        return 200, _merged(claims, self.userinfo_claims)

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def discovery(self) -> dict:
        settings = self.django_settings()
        return {
            "issuer": self.issuer,
            "authorization_endpoint": settings["OIDC_OP_AUTHORIZATION_ENDPOINT"],
            "token_endpoint": settings["OIDC_OP_TOKEN_ENDPOINT"],
            "userinfo_endpoint": settings["OIDC_OP_USER_ENDPOINT"],
            "jwks_uri": settings["OIDC_OP_JWKS_ENDPOINT"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            **grant["claims"],
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        claims = _merged(claims, self.id_token_claims)
        if self.algorithm == "none":
            return jwt.encode(claims, None, algorithm="none")
        return jwt.encode(claims, self.signing_key, algorithm=self.algorithm, headers={"kid": self.kid})


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _merged(claims: dict, changes: dict) -> dict:
    merged = {**claims, **changes}
    return {name: value for name, value in merged.items() if value is not None}


class _Handler(BaseHTTPRequestHandler):
    server_version = "yiwang-test-oidc/1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        provider: LocalOIDCProvider = self.server.provider
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        if url.path == "/authorize":
            status, body, headers = provider.authorize(query)
            self._reply(status, body, headers)
        elif url.path == "/userinfo":
            self._reply(*provider.userinfo(self.headers.get("Authorization", "")))
        elif url.path == "/jwks":
            self._reply(200, provider.jwks())
        elif url.path == "/.well-known/openid-configuration":
            self._reply(200, provider.discovery())
        else:
            self._reply(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802
        provider: LocalOIDCProvider = self.server.provider
        length = int(self.headers.get("Content-Length") or 0)
        form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path == "/token":
            self._reply(*provider.token(form, self.headers.get("Authorization", "")))
        else:
            self._reply(404, {"error": "not_found"})

    def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
        payload = json.dumps(body).encode() if status != 302 else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture
def oidc_provider():
    """A running provider for one test, stopped afterwards."""
    provider = LocalOIDCProvider().start()
    try:
        yield provider
    finally:
        provider.stop()
