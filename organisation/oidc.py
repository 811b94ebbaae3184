"""Single sign-on with OpenID Connect: Microsoft Entra ID, or any standard provider.

mozilla-django-oidc runs the authorisation code flow (state, nonce, PKCE, the code exchanged
for tokens at the token endpoint, the ID token's RS256 signature checked against the
provider's published keys). This module adds what it leaves to us:

- the provider's endpoints from its discovery document, unless configured one by one;
- the ID token's audience (our client id), issuer, expiry and issue time, all required;
- who the person is here: the account linked to the token's subject, else the one account
  with the token's email (ignoring case), else a new account when OIDC_CREATE_USERS is on;
- their roles: the role groups OIDC_ROLE_GROUPS names are set from the groups claim at every
  sign-in, added and removed; roles it does not name are left as administrators set them;
- a line in the security log for every sign-in and every refusal, with the reason.

Heads of service and service editors are still assigned here: the provider knows roles, not
which services a person works on.
"""

import logging
import threading
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from organisation.access import forget_person
from organisation.models import SignOnIdentity
from security.audit import audit, client_ip
from security.site_links import site_link

logger = logging.getLogger(__name__)

CALLBACK_URL_NAME = "oidc_authentication_callback"


class SignOnRefused(Exception):
    """The provider's answer does not sign this person in; the message is the reason logged."""


# Discovery ---------------------------------------------------------------------------------

_discovered: dict[str, dict[str, str]] = {}
_discovery_lock = threading.Lock()


def provider_endpoints() -> dict[str, str]:
    """The provider's authorisation, token and JWKS endpoints: each configured one, the others
    from the discovery document of OIDC_ISSUER, fetched once per process. The document must
    name the configured issuer (OpenID Connect Discovery, section 4.3)."""
    configured = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
    }
    if all(configured.values()):
        return configured
    issuer = settings.OIDC_ISSUER
    with _discovery_lock:
        if issuer not in _discovered:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            document = response.json()
            if str(document.get("issuer", "")).rstrip("/") != issuer:
                raise SignOnRefused(
                    f"the discovery document names issuer {document.get('issuer')!r}, "
                    f"not OIDC_ISSUER {issuer!r}"
                )
            _discovered[issuer] = {name: str(document.get(name, "")) for name in configured}
    discovered = _discovered[issuer]
    return {name: value or discovered[name] for name, value in configured.items()}


def forget_discovery() -> None:
    """Fetch the discovery document again at the next sign-in (tests; a changed provider)."""
    with _discovery_lock:
        _discovered.clear()


def callback_url() -> str:
    """The redirect URI registered with the provider: SITE_URL + the callback's path, never
    built from the request's Host header."""
    return site_link(CALLBACK_URL_NAME)


# Roles -------------------------------------------------------------------------------------


def roles_for_groups(group_ids: set[str]) -> set[str]:
    """The roles OIDC_ROLE_GROUPS gives to someone in these provider groups."""
    return {role for role, ids in settings.OIDC_ROLE_GROUPS.items() if ids & group_ids}


def apply_roles(user, group_ids: set[str]) -> tuple[set[str], set[str]]:
    """Give the user the managed roles their groups map to and take away the managed roles
    they no longer map to. Returns (added, removed) role names."""
    managed = set(settings.OIDC_ROLE_GROUPS)
    wanted = roles_for_groups(group_ids)
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added, removed = wanted - current, current - wanted
    if added:
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(added)))
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added or removed:
        forget_person(user)
    return added, removed


def _group_ids(claims: dict[str, Any]) -> set[str]:
    claim = settings.OIDC_GROUPS_CLAIM
    value = claims.get(claim)
    if value is None:
        if claim in (claims.get("_claim_names") or {}):
            # Entra ID sends a link to Microsoft Graph instead of the groups of someone in
            # more than 200: their roles cannot be known from the token.
            raise SignOnRefused("group_overage")
        return set()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SignOnRefused("groups_claim_not_a_list")
    return {str(item) for item in value}


# The authentication backend ----------------------------------------------------------------


class SignOnBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider's ID token names (settings.AUTHENTICATION_BACKENDS
    lists it when OIDC_ENABLED is on). Only the sign-on callback calls it with a nonce; any
    other sign-in (a password form) passes it by."""

    def __init__(self, *args, **kwargs):
        # Django builds the backend for every request of a signed-in user (get_user): read
        # nothing from the provider here; the endpoints are resolved at sign-in only.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        if request is None or not nonce or kwargs or not settings.OIDC_ENABLED:
            return None
        ip = client_ip(request)
        try:
            endpoints = provider_endpoints()
            self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
            self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
            self.OIDC_OP_USER_ENDPOINT = None
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SignOnRefused as refusal:
            audit("sso_refused", level=logging.WARNING, reason=str(refusal)[:300], ip=ip)
        except SuspiciousOperation as refusal:
            audit("sso_refused", level=logging.WARNING, reason=str(refusal)[:300], ip=ip)
        except (requests.RequestException, ValueError, KeyError) as error:
            # The provider is down or answered with something that is not OpenID Connect.
            logger.warning("Single sign-on failed talking to the provider: %s", error)
            audit("sso_refused", level=logging.WARNING, reason="provider_error", ip=ip)
        return None

    def get_token(self, payload):
        # The redirect URI sent with the code must be the one sent to the authorisation
        # endpoint, which comes from SITE_URL (SignOnStartView).
        payload["redirect_uri"] = callback_url()
        return super().get_token(payload)

    def retrieve_matching_jwk(self, token):
        """The provider's RSA signing key the token names (its "kid"), from the JWKS fetched
        now: the provider rotates its keys. A token naming no key is checked against the only
        key, never against whichever of several verifies."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("kty") == "RSA"
            and key.get("use", "sig") == "sig"
            and key.get("alg", self.OIDC_RP_SIGN_ALGO) == self.OIDC_RP_SIGN_ALGO
        ]
        try:
            key_id = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as error:
            raise SignOnRefused(f"not a token: {error}") from error
        if key_id is not None:
            keys = [key for key in keys if key.get("kid") == key_id]
        if len(keys) != 1:
            raise SignOnRefused(f"no single signing key of the provider matches kid {key_id!r}")
        try:
            return jwt.PyJWK(keys[0], algorithm=self.OIDC_RP_SIGN_ALGO)
        except jwt.PyJWTError as error:
            raise SignOnRefused(f"the provider's key is not usable: {error}") from error

    def _verify_jws(self, payload, key):
        """The signature (by the library's caller, with the key from the provider's JWKS) and
        the claims the library leaves unchecked: audience, issuer, expiry, issue time."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SignOnRefused(f"token signed with {algorithm!r}, not RS256")
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as error:
            raise SignOnRefused(f"{type(error).__name__}: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token holds everything needed, groups included; Entra ID's user
        # information endpoint (Microsoft Graph) would not give the groups.
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        request = self.request
        with transaction.atomic():
            user, created = self._find_or_create(claims)
            if not user.is_active:
                raise SignOnRefused(f"inactive user {user.get_username()!r}")
            group_ids = _group_ids(claims)
            added, removed = apply_roles(user, group_ids)
            SignOnIdentity.objects.filter(user=user, issuer=settings.OIDC_ISSUER).update(
                last_signed_in=timezone.now()
            )
        audit(
            "sso_sign_in",
            username=user.get_username(),
            subject=str(claims["sub"])[:255],
            created=created,
            roles_added=sorted(added),
            roles_removed=sorted(removed),
            ip=client_ip(request),
        )
        return user

    def _find_or_create(self, claims: dict[str, Any]) -> tuple[Any, bool]:
        issuer, subject = settings.OIDC_ISSUER, str(claims["sub"])
        identity = (
            SignOnIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is not None:
            return identity.user, False
        email = str(claims.get("email") or "").strip()
        if not email:
            raise SignOnRefused(f"subject {subject!r} is not linked and the token has no email")
        matches = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(matches) > 1:
            raise SignOnRefused(f"several accounts have the email {email!r}")
        if matches:
            user = matches[0]
            if SignOnIdentity.objects.filter(user=user, issuer=issuer).exists():
                # The account is someone else's at the provider: a changed or reused email
                # must not hand it over.
                raise SignOnRefused(f"the account of {email!r} is linked to another subject")
            created = False
        else:
            if not settings.OIDC_CREATE_USERS:
                raise SignOnRefused(f"no account for {email!r} and OIDC_CREATE_USERS is off")
            if not roles_for_groups(_group_ids(claims)):
                raise SignOnRefused(f"no account for {email!r} and no group giving a role")
            user = self.create_user(claims)
            created = True
        SignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        return user, created

    def create_user(self, claims):
        """A new account with no password (it signs in through the provider only), named by
        the email address."""
        email = str(claims["email"]).strip()
        username = base = email.lower()[:150]
        suffix = 1
        while self.UserModel.objects.filter(username__iexact=username).exists():
            suffix += 1
            username = f"{base[: 150 - len(str(suffix)) - 1]}-{suffix}"
        return self.UserModel.objects.create_user(
            username,
            email=email,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )


# Views -------------------------------------------------------------------------------------


class SignOnStartView(OIDCAuthenticationRequestView):
    """Anyone (the sign-in page's "Sign in with …" button): sends the browser to the provider
    with a fresh state, nonce and PKCE challenge. Not found while single sign-on is off."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints()["authorization_endpoint"]
        except (requests.RequestException, ValueError, SignOnRefused) as error:
            logger.warning("Single sign-on provider unreachable: %s", error)
            ip = client_ip(request)
            audit("sso_refused", level=logging.WARNING, reason="provider_error", ip=ip)
            messages.error(
                request,
                f"{settings.OIDC_PROVIDER_NAME} sign-in is not available just now. Try again "
                "in a few minutes; if it goes on, tell the policy and performance team.",
            )
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        # Replaces the redirect URI the library builds from the request's Host header.
        return {**super().get_extra_params(request), "redirect_uri": callback_url()}


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """Anyone (the provider sends the browser back here): signs the person in, or back to the
    sign-in page saying single sign-on did not. Not found while single sign-on is off."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up.")
        if request.GET.get("error"):
            audit(
                "sso_refused",
                level=logging.WARNING,
                reason=f"provider error {request.GET['error'][:100]!r}",
                ip=client_ip(request),
            )
        return super().get(request)

    @property
    def success_url(self) -> str:
        next_url = self.request.session.get("oidc_login_next")
        return next_url or reverse(settings.LOGIN_REDIRECT_URL)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            f"{settings.OIDC_PROVIDER_NAME} did not sign you in to service plans: your "
            "account here may not exist, may be switched off or may not be linked to yours "
            f"at {settings.OIDC_PROVIDER_NAME}. Ask the policy and performance team.",
        )
        return HttpResponseRedirect(reverse("login"))
