"""The imports page: administrators upload any of the council's files, see what the import
would do (or every problem) before anything is written, and confirm or cancel. Same services
and rules as the management commands (portal/imports.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from organisation.models import ImportLog
from plans.access import require_administrator
from portal import imports
from spreadsheets.reader import ImportRejected

SESSION_KEY = "pending_imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=[(k.slug, k.label) for k in imports.KINDS]
    )
    file = forms.FileField(label="CSV or XLSX file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.IMPORT_MAX_BYTES:,}."
            )
        return upload


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Administrators: choose a kind and a file; the preview of what importing it would do, or
    every problem in it, with nothing written."""
    require_administrator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        kind = imports.BY_SLUG[form.cleaned_data["kind"]]
        upload = form.cleaned_data["file"]
        content = imports.read_upload(upload)
        try:
            result = imports.preview(kind, content=content, filename=upload.name, by=request.user)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            pending = imports.keep(kind, content=content, filename=upload.name)
            request.session.setdefault(SESSION_KEY, {})[pending.token] = pending.__dict__
            request.session.modified = True
            return render(
                request,
                "portal/import_preview.html",
                {
                    "kind": kind,
                    "pending": pending,
                    "result": result,
                    "rows": imports.changes_by_record(result),
                    "left_alone": imports.left_alone(result),
                },
            )
    context = {
        "form": form,
        "errors": errors,
        "kinds": imports.KINDS,
        "log": ImportLog.objects.select_related("by")[:20],
    }
    return render(request, "portal/imports.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Administrators, for a file they previewed in this session: import it (confirm) or forget
    it (cancel)."""
    require_administrator(request)
    waiting = request.session.get(SESSION_KEY, {})
    data = waiting.pop(request.POST.get("token", ""), None)
    request.session.modified = True
    if data is None:
        raise Http404("No file of yours is waiting to be imported under that name.")
    pending = imports.Pending(**data)
    kind = imports.BY_SLUG[pending.kind]
    if request.POST.get("action") != "confirm":
        imports.discard(pending)
        messages.info(request, f"{pending.filename} was not imported; nothing was saved.")
        return redirect("portal:imports")
    try:
        result = imports.confirm(pending, by=request.user)
    except ImportRejected as rejected:  # the data changed since the preview
        imports.discard(pending)
        context = {
            "form": UploadForm(initial={"kind": kind.slug}),
            "errors": rejected.errors,
            "kinds": imports.KINDS,
            "log": ImportLog.objects.select_related("by")[:20],
        }
        return render(request, "portal/imports.html", context, status=409)
    messages.success(request, f"{kind.label} imported from {pending.filename}: {result.describe()}")
    return redirect("portal:imports")


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators: an XLSX file with a kind's header row and one example row."""
    require_administrator(request)
    kind = imports.BY_SLUG.get(slug)
    if kind is None:
        raise Http404("No such import.")
    response = HttpResponse(kind.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slug}-template.xlsx"'
    return response
