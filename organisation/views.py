from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from organisation import council, services
from organisation.access import is_administrator
from organisation.forms import CouncilSettingsForm
from security.audit import client_ip


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
