"""Administrators invite people, change their roles and services, deactivate and reactivate
them; the invited person sets a password from the emailed link and signs in."""

import logging
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisation import access, users

pytestmark = pytest.mark.django_db

PASSWORD = "a long and new passphrase 7"


def invitation_link(message) -> str:
    body = message.body if hasattr(message, "body") else message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/users/invitation/\S+/", body)[0]


def invite(client, world, callbacks, **fields):
    client.force_login(world.admin)
    data = {"name": "Claire Smith", "email": "Claire@Example.org", "role": access.OFFICERS}
    data.update(fields)
    with callbacks(execute=True):
        response = client.post(reverse("organisation:user-invite"), data)
    return response


def test_invite_mail_accept_sign_in(
    client, world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.SITE_URL = "https://plans.example.gov.uk"
    settings.COUNCIL_NAME = "Tandridge District Council"
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    response = invite(
        client, world, django_capture_on_commit_callbacks, services=[world.service_a.pk]
    )
    claire = get_user_model().objects.get(username="claire@example.org")
    assert response.status_code == 302
    assert response.url == reverse("organisation:user-detail", args=[claire.pk])
    assert claire.get_full_name() == "Claire Smith"
    assert not claire.has_usable_password()
    assert list(claire.edited_services.all()) == [world.service_a]
    assert users.role_of(claire) == access.OFFICERS
    [message] = mail.outbox
    assert message.to == ["claire@example.org"]
    assert "Tandridge District Council" in message.subject
    link = invitation_link(message)
    assert link.startswith("https://plans.example.gov.uk/users/invitation/")
    html, kind = message.alternatives[0]
    assert kind == "text/html" and link in html and "Tandridge District Council" in html
    assert "7 days" in message.body
    assert "invitation_sent username='claire@example.org' by='admin'" in caplog.text

    client.logout()
    path = link.removeprefix("https://plans.example.gov.uk")
    page = client.get(path)
    assert page.status_code == 200 and b"Choose your password" in page.content
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.login(username="claire@example.org", password=PASSWORD)

    client.logout()
    used = client.get(path)
    assert b"already been used" in used.content
    again = client.post(
        path, {"new_password1": "another 1 phrase", "new_password2": "another 1 phrase"}
    )
    assert b"already been used" in again.content
    assert client.login(username="claire@example.org", password=PASSWORD)


def test_invitation_arrives_by_smtp(world, smtp_mail, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://plans.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        users.invite_user(
            name="Dev Patel", email="dev@example.org", role=access.MEMBERS, by=world.admin
        )
    [message] = smtp_mail.messages
    assert message.envelope_recipients == ["dev@example.org"]
    assert message.get_body(("html",)) is not None
    link = invitation_link(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert users.user_for_invitation(token).username == "dev@example.org"


def test_an_expired_link_says_so(client, world, settings, django_capture_on_commit_callbacks):
    settings.INVITATION_DAYS = 7
    with time_machine.travel(timezone.now() - timezone.timedelta(days=8), tick=False):
        invite(client, world, django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(invitation_link(mail.outbox[0]))
    assert response.status_code == 200
    assert b"The link has expired" in response.content
    assert b"Choose your password" not in response.content


def test_a_tampered_link_says_so(client, world, django_capture_on_commit_callbacks):
    invite(client, world, django_capture_on_commit_callbacks)
    client.logout()
    link = invitation_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("organisation:invitation-accept", args=[forged]))
    assert b"The link is not valid" in response.content
    response = client.post(
        reverse("organisation:invitation-accept", args=[forged]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert b"The link is not valid" in response.content
    assert not get_user_model().objects.get(username="claire@example.org").has_usable_password()


def test_resending_replaces_the_earlier_link(client, world, django_capture_on_commit_callbacks):
    invite(client, world, django_capture_on_commit_callbacks)
    claire = get_user_model().objects.get(username="claire@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisation:user-resend-invitation", args=[claire.pk]))
    assert response.status_code == 302
    first, second = (invitation_link(message) for message in mail.outbox)
    client.logout()
    assert b"already been used, or a newer invitation" in client.get(first).content
    assert b"Choose your password" in client.get(second).content


def test_resending_to_someone_with_a_password_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisation:user-resend-invitation", args=[world.officer_a.pk]), follow=True
    )
    assert b"has already set a password" in response.content
    assert mail.outbox == []


def test_inviting_a_known_address_is_refused(client, world, django_capture_on_commit_callbacks):
    response = invite(
        client, world, django_capture_on_commit_callbacks, email=world.officer_a.email.upper()
    )
    assert response.status_code == 200
    assert b"Someone already has the email address" in response.content
    assert mail.outbox == []


def test_role_and_services_change(client, world, caplog):
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    client.force_login(world.admin)
    response = client.post(
        reverse("organisation:user-detail", args=[world.officer_a.pk]),
        {
            "role": access.HEADS_OF_SERVICE,
            "services": [world.service_b.pk],
            "headships": [world.service_b.head_of_service.pk],
        },
    )
    assert response.status_code == 302
    officer = get_user_model().objects.get(pk=world.officer_a.pk)
    assert users.role_of(officer) == access.HEADS_OF_SERVICE
    assert list(officer.edited_services.all()) == [world.service_b]
    assert list(officer.headships.all()) == [world.service_b.head_of_service]
    assert (
        "role_changed username='officer_a' old='Officers' new='Heads of service' by='admin'"
        in caplog.text
    )


def test_the_last_administrator_keeps_the_role(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisation:user-detail", args=[world.admin.pk]), {"role": access.MEMBERS}
    )
    assert response.status_code == 200
    assert b"last active administrator" in response.content
    assert users.role_of(get_user_model().objects.get(pk=world.admin.pk)) == access.ADMINISTRATORS


def test_an_administrator_cannot_deactivate_themselves(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("organisation:user-deactivate", args=[world.admin.pk]), follow=True
    )
    assert b"You cannot deactivate yourself" in response.content
    assert get_user_model().objects.get(pk=world.admin.pk).is_active


def test_the_last_active_administrator_cannot_be_deactivated(world):
    other = get_user_model().objects.create_user("second", is_superuser=False)
    with pytest.raises(users.UserRefused, match="last active administrator"):
        users.deactivate(user=world.admin, by=other)
    other.groups.add(world.admin.groups.get())
    users.deactivate(user=world.admin, by=other)
    with pytest.raises(users.UserRefused, match="last active administrator"):
        users.deactivate(user=other, by=world.head)


def test_a_deactivated_person_cannot_sign_in_and_keeps_their_name(client, world, caplog):
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    client.force_login(world.admin)
    response = client.post(reverse("organisation:user-deactivate", args=[world.officer_a.pk]))
    assert response.status_code == 302
    assert "user_deactivated username='officer_a' by='admin'" in caplog.text
    officer = get_user_model().objects.get(pk=world.officer_a.pk)
    assert not officer.is_active and officer.get_full_name() == world.officer_a.get_full_name()
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": "officer_a", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated

    client.force_login(world.admin)
    client.post(reverse("organisation:user-reactivate", args=[world.officer_a.pk]))
    client.logout()
    response = client.post(
        reverse("login"),
        {"username": "officer_a", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302


def test_a_deactivated_persons_invitation_stops_working(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, django_capture_on_commit_callbacks)
    claire = get_user_model().objects.get(username="claire@example.org")
    users.deactivate(user=claire, by=world.admin)
    client.logout()
    assert b"The link is not valid" in client.get(invitation_link(mail.outbox[0])).content


def test_the_django_admin_deletes_nobody_and_deactivates_through_the_rules(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    change = client.get(reverse("admin:auth_user_change", args=[world.officer_a.pk]))
    assert change.status_code == 200
    assert (
        client.get(reverse("admin:auth_user_delete", args=[world.officer_a.pk])).status_code == 403
    )
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "deactivate_people",
            "_selected_action": [world.admin.pk, world.officer_a.pk],
        },
        follow=True,
    )
    assert b"You cannot deactivate yourself" in response.content
    assert not get_user_model().objects.get(pk=world.officer_a.pk).is_active
    assert get_user_model().objects.get(pk=world.admin.pk).is_active
