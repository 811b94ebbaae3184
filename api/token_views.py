"""Anyone signed in: their own personal API tokens — make one (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from api import selectors, services
from api.forms import TokenForm
from api.models import PersonalToken


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _, new_token = services.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
            form = TokenForm()
    else:
        form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": selectors.tokens_of(request.user),
        "now": timezone.now(),
    }
    # The new token is in this response only: never cached, never shown again.
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = services.revoke_token(user=request.user, pk=pk)
    except PersonalToken.DoesNotExist:
        raise Http404("No such token of yours.") from None
    messages.success(request, f"The token “{row.name}” is revoked: it no longer works.")
    return redirect("tokens:list")
