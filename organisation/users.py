"""People: invited by an administrator, given a role and services, deactivated — never deleted.

Every change to a person goes through a function here: the users pages, the import (and its
command) and the Django admin's actions. Roles are groups (organisation.access); which
services an officer works on is Service.editors, which portfolio a head of service leads is
HeadOfService.user.

An invited person's account is active from the start, with an unusable password: no password
matches it, so nobody can sign in as them, and password reset skips them, until they follow the
invitation's link and choose one. Keeping them active means "inactive" says one thing only —
an administrator deactivated them — and a deactivated person's invitation stops working.

The invitation's link is a signed token (django.core.signing, timestamped) that names the
person and a digest of their password field. It expires after settings.INVITATION_DAYS; it
works once, because setting the password changes the digest; a resent invitation gives the
account a new unusable password, so the earlier link stops working.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from organisation.access import (
    ADMINISTRATORS,
    HEADS_OF_SERVICE,
    MEMBERS,
    OFFICERS,
    ROLE_GROUPS,
    forget_person,
    is_administrator,
)
from organisation.council import council_settings
from organisation.models import HeadOfService, Service
from security.audit import audit
from security.site_links import site_url

User = get_user_model()

INVITATION_SALT = "organisation.users.invitation"
ROLE_LABELS = {
    ADMINISTRATORS: "Administrator",
    HEADS_OF_SERVICE: "Head of service",
    OFFICERS: "Officer",
    MEMBERS: "Member",
}
NAME_LIMIT = 150  # django.contrib.auth's first_name and last_name
EMAIL_LIMIT = 150  # the email is the username, which is at most 150 characters


class UserRefused(Exception):
    """The change was refused; the message says why, in words for the administrator."""


class InvitationInvalid(Exception):
    """The invitation's link cannot be used: `reason` is "expired", "used" or "invalid"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# Reading --------------------------------------------------------------------------------------


def role_of(user) -> str:
    """The user's role group (the first of ROLE_GROUPS they are in), or "" for none. Reads
    prefetched groups when there are any."""
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLE_GROUPS if role in names), "")


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, "No role")


def is_invitation_pending(user) -> bool:
    """Invited and not yet accepted: an active account with no password of its own."""
    return user.is_active and not user.has_usable_password()


def active_administrators() -> QuerySet:
    return User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=ADMINISTRATORS), is_active=True
    ).distinct()


def email_is_taken(email: str, *, exclude=None) -> bool:
    people = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people.exists()


def split_name(name: str) -> tuple[str, str]:
    """ "Claire Smith" -> ("Claire", "Smith"); "Mary Jane Smith" -> ("Mary", "Jane Smith")."""
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def check_new_person(*, name: str, email: str) -> list[str]:
    """What is wrong with inviting `name` at `email` (empty when nothing is)."""
    problems = []
    if not name.strip():
        problems.append("A name is required.")
    elif any(len(part) > NAME_LIMIT for part in split_name(name)):
        problems.append(f"The name is longer than {NAME_LIMIT} characters.")
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"{email!r} is not an email address.")
    else:
        if len(email) > EMAIL_LIMIT:
            problems.append(f"The email address is longer than {EMAIL_LIMIT} characters.")
        elif email_is_taken(email):
            problems.append(f"Someone already has the email address {email}.")
    return problems


# Writing --------------------------------------------------------------------------------------


@transaction.atomic
def invite_user(
    *,
    name: str,
    email: str,
    role: str,
    services: Iterable[Service] = (),
    head_of_service: HeadOfService | None = None,
    by,
    send: bool = True,
):
    """Create the person's account (username: their email address) with the role and
    services, and email them an invitation once the transaction commits."""
    email = email.strip().lower()
    problems = check_new_person(name=name, email=email)
    if role not in ROLE_GROUPS:
        problems.append(f"{role!r} is not a role.")
    if problems:
        raise UserRefused(" ".join(problems))
    first_name, last_name = split_name(name)
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    headships = [head_of_service] if head_of_service is not None else []
    _attach(user, services=services, headships=headships)
    audit("user_invited", username=user.username, role=role, by=_who(by))
    if send:
        send_invitation_on_commit(user, by=by)
    return user


def send_invitation_on_commit(user, *, by) -> None:
    """Email the invitation after the transaction commits: a rolled-back invitation sends
    nothing, and a mail server that is down loses no account (resend it from the user's page)."""
    transaction.on_commit(lambda: send_invitation(user, by=by), robust=True)


def send_invitation(user, *, by) -> None:
    """Email `user` the link to set their password (plain text and HTML)."""
    link = site_url(reverse("organisation:invitation-accept", args=[invitation_token(user)]))
    context = {
        "user": user,
        "council_name": council_settings().name,
        "site_url": settings.SITE_URL,
        "link": link,
        "days": settings.INVITATION_DAYS,
        "invited_by": by.get_full_name() if by is not None else "",
        "role": role_label(role_of(user)),
    }
    subject = render_to_string("organisation/email/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("organisation/email/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("organisation/email/invitation.html", context), "text/html"
    )
    message.send()
    audit("invitation_sent", username=user.username, by=_who(by))


@transaction.atomic
def resend_invitation(*, user, by) -> None:
    """A fresh invitation; the earlier link stops working."""
    if not user.is_active:
        raise UserRefused(f"{user.get_full_name() or user} is deactivated; reactivate them first.")
    if user.has_usable_password():
        raise UserRefused(
            f"{user.get_full_name() or user} has already set a password; they can use "
            "“Forgotten your password?” on the sign-in page."
        )
    user.set_unusable_password()  # a new random one: the old link's digest no longer matches
    user.save(update_fields=["password"])
    send_invitation_on_commit(user, by=by)


def invitation_token(user) -> str:
    return signing.dumps({"user": user.pk, "state": _state(user)}, salt=INVITATION_SALT)


def _state(user) -> str:
    return salted_hmac(INVITATION_SALT, f"{user.pk}|{user.password}").hexdigest()[:32]


def user_for_invitation(token: str):
    """The person a valid invitation link is for; InvitationInvalid otherwise."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=timedelta(days=settings.INVITATION_DAYS)
        )
    except signing.SignatureExpired:
        raise InvitationInvalid("expired") from None
    except signing.BadSignature:
        raise InvitationInvalid("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise InvitationInvalid("invalid")
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        raise InvitationInvalid("invalid")
    if user.has_usable_password() or not constant_time_compare(
        str(data.get("state", "")), _state(user)
    ):
        raise InvitationInvalid("used")
    return user


@transaction.atomic
def accept_invitation(*, token: str, password: str):
    """Set the invited person's password (already checked by the password validators); the
    link then stops working."""
    user = user_for_invitation(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():  # accepted by a request that finished meanwhile
        raise InvitationInvalid("used")
    user.set_password(password)
    user.save(update_fields=["password"])
    audit("invitation_accepted", username=user.username)
    return user


@transaction.atomic
def set_role(*, user, role: str, by) -> None:
    """Give `user` the role `role` in place of the one they had."""
    if role not in ROLE_GROUPS:
        raise UserRefused(f"{role!r} is not a role.")
    old = role_of(user)
    if old == role:
        return
    if role != ADMINISTRATORS and _is_last_active_administrator(user):
        raise UserRefused(
            f"{user.get_full_name() or user} is the last active administrator; make someone "
            "else an administrator first."
        )
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    forget_person(user)
    audit("role_changed", username=user.username, old=old, new=role, by=_who(by))


@transaction.atomic
def attach(*, user, services: Iterable[Service], headships: Iterable[HeadOfService], by) -> None:
    """`user` edits exactly `services` and leads exactly the portfolios `headships` (taking
    each from whoever led it)."""
    _attach(user, services=services, headships=headships)
    audit(
        "user_attached",
        username=user.username,
        services=sorted(service.name for service in user.edited_services.all()),
        heads_of_service=sorted(head.name for head in user.headships.all()),
        by=_who(by),
    )


def _attach(user, *, services: Iterable[Service], headships: Iterable[HeadOfService]) -> None:
    user.edited_services.set(list(services))
    forget_person(user)
    wanted = [head.pk for head in headships]
    HeadOfService.objects.filter(user=user).exclude(pk__in=wanted).update(user=None)
    HeadOfService.objects.filter(pk__in=wanted).update(user=user)


@transaction.atomic
def rename(*, user, name: str, by) -> None:
    first_name, last_name = split_name(name)
    if (user.first_name, user.last_name) == (first_name, last_name):
        return
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    audit("user_renamed", username=user.username, by=_who(by))


@transaction.atomic
def deactivate(*, user, by) -> None:
    """Stop `user` signing in and being told anything; their name stays in every history."""
    if by is not None and user.pk == by.pk:
        raise UserRefused("You cannot deactivate yourself; ask another administrator.")
    if _is_last_active_administrator(user):
        raise UserRefused(
            f"{user.get_full_name() or user} is the last active administrator; make someone "
            "else an administrator first."
        )
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit("user_deactivated", username=user.username, by=_who(by))


@transaction.atomic
def reactivate(*, user, by) -> None:
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit("user_reactivated", username=user.username, by=_who(by))


def _is_last_active_administrator(user) -> bool:
    return (
        user.is_active
        and is_administrator(user)
        and not active_administrators().exclude(pk=user.pk).exists()
    )


def _who(by) -> str:
    return by.get_username() if by is not None else "(command line)"
