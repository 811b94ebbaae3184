"""People, managed by administrators in the browser: the users page, inviting someone, a
person's role, services and portfolios, deactivating and reactivating, resending an
invitation, and importing people from a file with a preview. The invitation's own page is for
anyone holding a valid link.

Each view's docstring says who may use it. Every change goes through organisation.users.
"""

import base64
import binascii

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from organisation import council, services, users
from organisation.access import is_administrator
from organisation.forms import (
    AccessForm,
    CouncilSettingsForm,
    InviteForm,
    UserFilterForm,
    UserUploadForm,
)
from organisation.models import Service
from organisation.selectors import people
from organisation.user_import import (
    TEMPLATE_COLUMNS,
    ImportOutdated,
    import_users,
    plan_user_import,
)
from security.audit import client_ip
from spreadsheets.reader import ImportRejected, RowError
from spreadsheets.writer import XLSX_CONTENT_TYPE, write_xlsx

PAGE_SIZE = 50
# The confirmation carries the file back in a hidden field (signed, so it is the file the
# preview was made from); a file of people is small, and the field must stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE.
USER_FILE_MAX_BYTES = 1024 * 1024
UPLOAD_SALT = "organisation.views.user-import"
UPLOAD_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


def _require_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied


def _person(pk: int):
    return get_object_or_404(users.User.objects.prefetch_related("groups"), pk=pk)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Administrators: everyone, with role, services, portfolios, committees, last sign-in and
    whether active; filtered by role and active, 50 a page."""
    _require_administrator(request)
    filters = UserFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = people(role=chosen.get("role", ""), active=chosen.get("active", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "user": user,
            "role": users.role_label(users.role_of(user)),
            "pending": users.is_invitation_pending(user),
        }
        for user in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "organisation/user_list.html", context)


@login_required
def user_invite(request: HttpRequest) -> HttpResponse:
    """Administrators: invite someone by email, with their role and services."""
    _require_administrator(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = users.invite_user(
                name=data["name"],
                email=data["email"],
                role=data["role"],
                services=data["services"],
                head_of_service=data["head_of_service"],
                by=request.user,
            )
        except users.UserRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Invitation sent to {user.email}; the link works for "
                f"{settings.INVITATION_DAYS} days.",
            )
            return redirect("organisation:user-detail", pk=user.pk)
    context = {"form": form, "invitation_days": settings.INVITATION_DAYS}
    return render(request, "organisation/user_invite.html", context)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: a person's role, services and portfolios (changed by POST), and the
    buttons to deactivate, reactivate or resend their invitation."""
    _require_administrator(request)
    person = _person(pk)
    initial = {
        "role": users.role_of(person),
        "services": list(person.edited_services.all()),
        "headships": list(person.headships.all()),
    }
    form = AccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            users.set_role(user=person, role=data["role"], by=request.user)
            users.attach(
                user=person,
                services=data["services"],
                headships=data["headships"],
                by=request.user,
            )
        except users.UserRefused as refused:
            form.add_error("role", str(refused))
        else:
            messages.success(request, f"{_called(person)}: role and services saved.")
            return redirect("organisation:user-detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "role": users.role_label(users.role_of(person)),
        "pending": users.is_invitation_pending(person),
        "committees": person.committees.all(),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "organisation/user_detail.html", context)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: stop someone signing in (not themselves, nor the last administrator)."""
    _require_administrator(request)
    person = _person(pk)
    try:
        users.deactivate(user=person, by=request.user)
    except users.UserRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{_called(person)} is deactivated: they cannot sign in.")
    return redirect("organisation:user-detail", pk=person.pk)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: let a deactivated person sign in again."""
    _require_administrator(request)
    person = _person(pk)
    users.reactivate(user=person, by=request.user)
    messages.success(request, f"{_called(person)} is active again.")
    return redirect("organisation:user-detail", pk=person.pk)


@login_required
@require_POST
def user_resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators: a fresh invitation for someone who has not yet set a password."""
    _require_administrator(request)
    person = _person(pk)
    try:
        users.resend_invitation(user=person, by=request.user)
    except users.UserRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"A new invitation is on its way to {person.email}.")
    return redirect("organisation:user-detail", pk=person.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with a valid invitation link: choose a password. An expired, used or altered
    link says so."""
    try:
        person = users.user_for_invitation(token)
    except users.InvitationInvalid as invalid:
        return _invitation_invalid(request, invalid)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            users.accept_invitation(token=token, password=form.cleaned_data["new_password1"])
        except users.InvitationInvalid as invalid:
            return _invitation_invalid(request, invalid)
        messages.success(
            request, f"Your password is set. Sign in with your username, {person.username}."
        )
        return redirect("login")
    return render(request, "organisation/invitation_accept.html", {"form": form, "person": person})


def _invitation_invalid(request: HttpRequest, invalid: users.InvitationInvalid) -> HttpResponse:
    context = {"reason": invalid.reason, "invitation_days": settings.INVITATION_DAYS}
    return render(request, "organisation/invitation_invalid.html", context)


@login_required
def user_import(request: HttpRequest) -> HttpResponse:
    """Administrators: upload a file of people and see what it would do, before anything is
    written."""
    _require_administrator(request)
    form = UserUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        return _preview(request, form, content=content, filename=upload.name)
    return render(request, "organisation/user_import.html", {"form": form})


@login_required
@require_POST
def user_import_confirm(request: HttpRequest) -> HttpResponse:
    """Administrators: import the previewed file; invitations go once it is saved."""
    _require_administrator(request)
    try:
        carried = signing.loads(
            request.POST.get("upload", ""), salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE
        )
        content = base64.b64decode(carried["content"], validate=True)
        filename = str(carried["filename"])
    except (signing.BadSignature, binascii.Error, KeyError, TypeError):
        messages.error(
            request, "The preview has expired or was not complete; upload the file again."
        )
        return redirect("organisation:user-import")
    try:
        result = import_users(
            content=content,
            filename=filename,
            by=request.user,
            expected=request.POST.get("fingerprint", ""),
        )
    except (ImportOutdated, ImportRejected):
        messages.warning(
            request,
            "People or services changed since the preview, so nothing was imported. Check "
            "the new preview and confirm again.",
        )
        return _preview(request, UserUploadForm(), content=content, filename=filename)
    messages.success(request, f"{filename}: {result.describe()} Invitations are on their way.")
    return redirect("organisation:user-list")


def _preview(request: HttpRequest, form, *, content: bytes, filename: str) -> HttpResponse:
    errors: list[RowError] = []
    plan = None
    if len(content) > USER_FILE_MAX_BYTES:
        errors = [
            RowError(
                0,
                "",
                f"a file of people is at most {USER_FILE_MAX_BYTES:,} bytes; "
                "split it into several.",
            )
        ]
    else:
        try:
            plan = plan_user_import(content=content, filename=filename)
        except ImportRejected as rejected:
            errors = rejected.errors
    context = {"form": form, "errors": errors, "plan": plan, "filename": filename}
    if plan is not None:
        context["upload"] = signing.dumps(
            {"filename": filename, "content": base64.b64encode(content).decode()},
            salt=UPLOAD_SALT,
            compress=True,
        )
        context["fingerprint"] = plan.fingerprint()
    return render(request, "organisation/user_import.html", context)


@login_required
def user_import_template(request: HttpRequest) -> HttpResponse:
    """Administrators: the XLSX template for importing people, with one example row."""
    _require_administrator(request)
    service = Service.objects.order_by("name").first()
    example = [
        "Alex Example",
        "alex.example@example.gov.uk",
        "officer",
        service.name if service else "",
        "",
    ]
    content = write_xlsx(TEMPLATE_COLUMNS, [example], sheet_title="People")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="people-template.xlsx"'
    return response


def _called(person) -> str:
    return person.get_full_name() or person.get_username()


# The council's settings -------------------------------------------------------------------


@login_required
def council_settings(request: HttpRequest) -> HttpResponse:
    """Administrators: the council's name, logo, report colour, contact and reporting
    defaults. Everyone else signed in: 403."""
    if not is_administrator(request.user):
        raise PermissionDenied
    current = council.settings_for_editing()
    form = CouncilSettingsForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        changed = services.update_council_settings(
            values=form.values(),
            logo=form.cleaned_data["logo_file"],
            remove_logo=form.cleaned_data.get("remove_logo", False),
            changed_by=request.user,
            ip=client_ip(request),
        )
        if changed:
            messages.success(request, "The council's settings are saved.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("organisation:council-settings")
    context = {
        "form": form,
        "logo": council.data_uri(bytes(current.logo or b""), current.logo_type),
        "needs_name": not council.council_settings().name,
    }
    return render(request, "organisation/council_settings.html", context)
