"""Single sign-on with OpenID Connect against a real provider on 127.0.0.1
(tests/oidc_provider.py): the product fetches its discovery document and keys, exchanges the
code at its token endpoint and checks the ID token's RS256 signature, audience, issuer,
expiry and nonce itself. Nothing of the product is mocked."""

import logging
from urllib.parse import urlsplit

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from organisation import access
from organisation.models import SignOnIdentity
from tests import factories
from tests.oidc_provider import (
    ADMINISTRATORS_GROUP,
    HEADS_GROUP,
    MEMBERS_GROUP,
    OFFICERS_GROUP,
    signed_by_another_key,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def signed_in_user(client):
    response = client.get("/")
    return response.wsgi_request.user if response.status_code == 200 else None


def refusal(response) -> str:
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def security_events(caplog) -> list[tuple[str, dict]]:
    return [
        (record.event, record.facts)
        for record in caplog.records
        if record.name == "serviceplans.security"
    ]


@pytest.fixture
def head(db):
    """An existing account with no role, not yet linked to anyone at the provider."""
    return factories.UserFactory(username="jsmith", email="Jane.Smith@Example.gov.uk")


def test_an_existing_user_signs_in_by_email_and_gets_the_role_of_their_group(
    client, single_sign_on, head, caplog
):
    single_sign_on.provider.set_user(
        "entra-sub-1", email="jane.smith@example.gov.uk", groups=[HEADS_GROUP, "unrelated"]
    )
    caplog.set_level(logging.INFO, logger="serviceplans.security")

    response = single_sign_on.sign_in(client, "entra-sub-1")

    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == head
    assert roles(head) == {access.HEADS_OF_SERVICE}
    identity = SignOnIdentity.objects.get(user=head)
    assert (identity.issuer, identity.subject) == (single_sign_on.provider.url, "entra-sub-1")
    assert identity.last_signed_in is not None
    event, facts = next(e for e in security_events(caplog) if e[0] == "sso_sign_in")
    assert facts["username"] == "jsmith" and facts["roles_added"] == [access.HEADS_OF_SERVICE]


def test_the_linked_subject_finds_the_account_after_the_email_changes(client, single_sign_on, head):
    single_sign_on.provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk")
    single_sign_on.sign_in(client, "entra-sub-1")
    client.logout()
    single_sign_on.provider.set_user("entra-sub-1", email="jane.jones@example.gov.uk")

    single_sign_on.sign_in(client, "entra-sub-1")

    assert signed_in_user(client) == head


def test_group_changes_apply_at_the_next_sign_in_and_unmanaged_roles_stay(
    client, single_sign_on, head, settings
):
    settings.OIDC_ROLE_GROUPS = {
        role: ids
        for role, ids in settings.OIDC_ROLE_GROUPS.items()
        if role != access.ADMINISTRATORS  # administrators are set by hand here
    }
    head.groups.add(Group.objects.get_or_create(name=access.ADMINISTRATORS)[0])
    single_sign_on.provider.set_user(
        "entra-sub-1", email="jane.smith@example.gov.uk", groups=[OFFICERS_GROUP, MEMBERS_GROUP]
    )
    single_sign_on.sign_in(client, "entra-sub-1")
    assert roles(head) == {access.ADMINISTRATORS, access.OFFICERS, access.MEMBERS}
    client.logout()

    single_sign_on.provider.set_user(
        "entra-sub-1", email="jane.smith@example.gov.uk", groups=[HEADS_GROUP, ADMINISTRATORS_GROUP]
    )
    single_sign_on.sign_in(client, "entra-sub-1")

    assert roles(head) == {access.ADMINISTRATORS, access.HEADS_OF_SERVICE}


def test_a_new_person_gets_an_account_at_first_sign_in_when_allowed(
    client, single_sign_on, settings
):
    settings.OIDC_CREATE_USERS = True
    single_sign_on.provider.set_user(
        "entra-sub-9",
        email="New.Officer@example.gov.uk",
        given_name="Nia",
        family_name="Officer",
        groups=[OFFICERS_GROUP],
    )

    single_sign_on.sign_in(client, "entra-sub-9")

    user = User.objects.get(email="New.Officer@example.gov.uk")
    assert signed_in_user(client) == user
    assert (user.username, user.get_full_name()) == ("new.officer@example.gov.uk", "Nia Officer")
    assert not user.has_usable_password()
    assert roles(user) == {access.OFFICERS}


def test_a_new_person_is_refused_when_accounts_are_not_created(client, single_sign_on, caplog):
    single_sign_on.provider.set_user(
        "entra-sub-9", email="new.officer@example.gov.uk", groups=[OFFICERS_GROUP]
    )

    response = single_sign_on.sign_in(client, "entra-sub-9")

    assert "did not sign you in" in refusal(response)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email__iexact="new.officer@example.gov.uk").exists()
    reasons = [
        facts["reason"] for event, facts in security_events(caplog) if event == "sso_refused"
    ]
    assert reasons == ["no account for 'new.officer@example.gov.uk' and OIDC_CREATE_USERS is off"]


def test_a_new_person_in_no_mapped_group_gets_no_account(client, single_sign_on, settings):
    settings.OIDC_CREATE_USERS = True
    single_sign_on.provider.set_user(
        "entra-sub-9", email="visitor@example.gov.uk", groups=["some-other-group"]
    )

    refusal(single_sign_on.sign_in(client, "entra-sub-9"))

    assert not User.objects.filter(email="visitor@example.gov.uk").exists()


def test_an_inactive_account_is_refused(client, single_sign_on, head, caplog):
    head.is_active = False
    head.save()
    single_sign_on.provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk")

    refusal(single_sign_on.sign_in(client, "entra-sub-1"))

    assert signed_in_user(client) is None
    assert not SignOnIdentity.objects.exists()
    assert ("sso_refused", {"reason": "inactive user 'jsmith'", "ip": "127.0.0.1"}) in (
        security_events(caplog)
    )


def test_an_account_linked_to_another_subject_is_not_taken_over_by_email(
    client, single_sign_on, head
):
    SignOnIdentity.objects.create(user=head, issuer=single_sign_on.provider.url, subject="real")
    single_sign_on.provider.set_user("impostor", email="jane.smith@example.gov.uk")

    refusal(single_sign_on.sign_in(client, "impostor"))

    assert signed_in_user(client) is None


def test_a_token_for_another_application_is_refused(
    client, single_sign_on, token_proxy, head, caplog
):
    """The provider really issued and signed it, for another client id: the product must
    not accept it as a sign-in to itself."""
    provider = single_sign_on.provider
    provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk", groups=[HEADS_GROUP])

    def for_another_audience(id_token: str) -> str:
        claims = jwt.decode(id_token, options={"verify_signature": False})
        return provider.id_token(
            client_id="another-application", sub=claims["sub"], nonce=claims["nonce"]
        )

    token_proxy(for_another_audience)

    refusal(single_sign_on.sign_in(client, "entra-sub-1"))

    assert signed_in_user(client) is None
    assert roles(head) == set()
    [reason] = [
        facts["reason"] for event, facts in security_events(caplog) if event == "sso_refused"
    ]
    assert reason.startswith("InvalidAudienceError")


def test_a_token_with_a_forged_signature_is_refused(
    client, single_sign_on, token_proxy, head, caplog
):
    single_sign_on.provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk")
    token_proxy(signed_by_another_key)

    refusal(single_sign_on.sign_in(client, "entra-sub-1"))

    assert signed_in_user(client) is None
    [reason] = [
        facts["reason"] for event, facts in security_events(caplog) if event == "sso_refused"
    ]
    assert reason.startswith("InvalidSignatureError")


def test_a_token_from_another_issuer_is_refused(client, single_sign_on, head, settings, caplog):
    """The provider's keys, but the product expects another issuer (a tenant mix-up)."""
    single_sign_on.provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk")
    authorize = single_sign_on.start(client)
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{single_sign_on.provider.url}/oauth2/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{single_sign_on.provider.url}/jwks"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{single_sign_on.provider.url}/oauth2/authorize"
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"
    callback = single_sign_on.provider.authorise(authorize, "entra-sub-1")

    refusal(client.get(path_of(callback)))

    assert signed_in_user(client) is None
    [reason] = [
        facts["reason"] for event, facts in security_events(caplog) if event == "sso_refused"
    ]
    assert reason.startswith("InvalidIssuerError")


def test_a_replayed_callback_is_refused(client, single_sign_on, head):
    """The state is used once: the same code and state again sign nobody in."""
    single_sign_on.provider.set_user("entra-sub-1", email="jane.smith@example.gov.uk")
    callback = single_sign_on.provider.authorise(single_sign_on.start(client), "entra-sub-1")
    path = path_of(callback)
    client.get(path)
    client.logout()

    response = client.get(path)

    assert response.status_code in (302, 400)
    assert signed_in_user(client) is None


def test_the_redirect_uri_is_built_from_site_url(client, single_sign_on, settings):
    settings.SITE_URL = "https://intranet.example.gov.uk/serviceplans"

    authorize = single_sign_on.start(client)

    assert (
        "redirect_uri=https%3A%2F%2Fintranet.example.gov.uk%2Fserviceplans%2Foidc%2Fcallback%2F"
        in (authorize)
    )
    assert "code_challenge_method=S256" in authorize and "nonce=" in authorize


def test_single_sign_on_is_not_found_while_off(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_the_provider(client, single_sign_on, settings):
    settings.OIDC_PROVIDER_NAME = "Kent County Council account"

    page = client.get("/accounts/login/?next=/performance/").content.decode()

    assert "Sign in with Kent County Council account" in page
    assert 'href="/oidc/authenticate/?next=/performance/"' in page
    assert 'name="password"' in page


def test_password_sign_in_off_hides_and_refuses_the_password_form(
    client, single_sign_on, settings, caplog
):
    settings.PASSWORD_SIGN_IN = False
    settings.AUTHENTICATION_BACKENDS = [
        "security.backends.LockoutBackend",
        "organisation.oidc.SignOnBackend",
    ]
    factories.UserFactory(username="jsmith")

    page = client.get("/accounts/login/").content.decode()
    response = client.post(
        "/accounts/login/",
        {"username": "jsmith", "password": "correct horse battery staple"},
    )

    assert "Sign in with Microsoft" in page and 'name="password"' not in page
    assert response.status_code == 403
    assert "Signing in with a password is turned off here" in response.content.decode()
    assert signed_in_user(client) is None
    assert ("password_sign_in_refused", {"username": "jsmith", "ip": "127.0.0.1"}) in (
        security_events(caplog)
    )
    # The admin's sign-in has no password backend left to accept it either.
    client.post("/admin/login/", {"username": "jsmith", "password": "correct horse battery staple"})
    assert signed_in_user(client) is None
