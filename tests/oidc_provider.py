"""A real OpenID Connect provider for tests (oidc-provider-mock, on 127.0.0.1): discovery,
JWKS, an authorisation page where the person types their subject, a token endpoint issuing ID
tokens signed with its own RSA key (RS256). The product talks to it over HTTP as it would to
Microsoft Entra ID.

    def test_something(client, single_sign_on):
        single_sign_on.provider.set_user("sub-1", email="a@example.gov.uk", groups=["g-heads"])
        response = single_sign_on.sign_in(client, "sub-1")   # the product's callback answer

`oidc_provider` only runs the provider; `single_sign_on` also turns single sign-on on in the
settings, pointed at it. `token_proxy` stands between the product and the token endpoint and
lets a test swap the ID token the product receives (another audience, another key).
"""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
import werkzeug.serving
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

HOST = "127.0.0.1"
CLIENT_ID = "serviceplans-test"
CLIENT_SECRET = "test-client-secret"

# The groups of the test provider and the roles they give (OIDC_ROLE_GROUPS).
ADMINISTRATORS_GROUP = "0a1b2c3d-admins"
HEADS_GROUP = "4e5f6a7b-heads"
OFFICERS_GROUP = "8c9d0e1f-officers"
MEMBERS_GROUP = "2a3b4c5d-members"
ROLE_GROUPS = {
    "Administrators": frozenset({ADMINISTRATORS_GROUP}),
    "Heads of service": frozenset({HEADS_GROUP}),
    "Officers": frozenset({OFFICERS_GROUP}),
    "Members": frozenset({MEMBERS_GROUP}),
}


def _serve(app) -> tuple[werkzeug.serving.BaseWSGIServer, threading.Thread]:
    server = werkzeug.serving.make_server(HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    return server, thread


def _stop(server, thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(5)


@dataclass
class Provider:
    """The running provider: its issuer address, and what a test can ask of it."""

    url: str

    def set_user(self, sub: str, **claims) -> None:
        """The claims the provider puts in this subject's ID token from now on."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()

    def authorise(self, authorize_url: str, sub: str) -> str:
        """What the person does on the provider's page: sign in as `sub`. Returns the
        address the provider sends the browser back to (the callback, with code and state)."""
        response = requests.post(
            authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def id_token(self, *, client_id: str, sub: str, nonce: str) -> str:
        """An ID token the provider really issues and signs, for another client."""
        redirect_uri = "https://another-application.example/callback"
        query = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid email profile",
            "state": "s",
            "nonce": nonce,
        }
        authorize = requests.Request("GET", f"{self.url}/oauth2/authorize", params=query)
        location = self.authorise(authorize.prepare().url, sub)
        code = parse_qs(urlsplit(location).query)["code"][0]
        response = requests.post(
            f"{self.url}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": "another-secret",
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["id_token"]


@pytest.fixture
def oidc_provider() -> Iterator[Provider]:
    """An OpenID Connect provider on 127.0.0.1 and a free port, with keys of its own, stopped
    after the test."""
    from oidc_provider_mock import app

    server, thread = _serve(app(require_nonce=True, issue_refresh_token=False))
    try:
        yield Provider(url=f"http://{HOST}:{server.server_port}")
    finally:
        _stop(server, thread)


@dataclass
class SingleSignOn:
    provider: Provider

    def start(self, client) -> str:
        """Press "Sign in with Microsoft": the provider's authorisation address."""
        response = client.get("/oidc/authenticate/")
        assert response.status_code == 302
        assert response["Location"].startswith(f"{self.provider.url}/oauth2/authorize?")
        return response["Location"]

    def sign_in(self, client, sub: str):
        """The whole round: start, sign in at the provider as `sub`, come back to the
        callback. Returns the callback's response."""
        callback = urlsplit(self.provider.authorise(self.start(client), sub))
        return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture
def single_sign_on(oidc_provider, settings) -> SingleSignOn:
    """Single sign-on turned on and pointed at the test provider (endpoints by discovery)."""
    from organisation.oidc import forget_discovery

    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Microsoft"
    settings.OIDC_ISSUER = oidc_provider.url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.OIDC_CREATE_USERS = False
    settings.AUTHENTICATION_BACKENDS = [
        "security.backends.LockoutBackend",
        "organisation.oidc.SignOnBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    forget_discovery()
    yield SingleSignOn(provider=oidc_provider)
    forget_discovery()


@pytest.fixture
def token_proxy(oidc_provider, settings) -> Iterator[Callable]:
    """Puts a proxy between the product and the provider's token endpoint. Call it with a
    function that takes the ID token the provider issued and returns the one the product gets.
    """
    swap: list[Callable[[str], str]] = []

    @Request.application
    def proxy(request: Request) -> Response:
        answer = requests.post(
            f"{oidc_provider.url}/oauth2/token",
            data=request.form,
            headers={"Authorization": request.headers.get("Authorization", "")},
            timeout=10,
        )
        body = answer.json()
        if "id_token" in body and swap:
            body["id_token"] = swap[0](body["id_token"])
        return Response(json.dumps(body), answer.status_code, content_type="application/json")

    server, thread = _serve(proxy)
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://{HOST}:{server.server_port}/token"
    try:
        yield swap.append
    finally:
        _stop(server, thread)


def signed_by_another_key(id_token: str) -> str:
    """The same claims and key id (if the header names one), signed with a key that is not
    the provider's: what a forger could make."""
    header = jwt.get_unverified_header(id_token)
    claims = jwt.decode(id_token, options={"verify_signature": False})
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_id = {"kid": header["kid"]} if "kid" in header else None
    return jwt.encode(claims, forger, algorithm="RS256", headers=key_id)
