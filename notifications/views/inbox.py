"""A person's own notifications and preferences, following committees, and the email's
unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Kind
from organisation.models import Committee


def _local(url: str) -> bool:
    """A path in the product, never another site (a crafted notification or `next`)."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: their own notifications, newest first, 50 a page."""
    preference = services.preference_of(request.user)
    page, rows = selectors.inbox_page(request.user, request.GET.get("page"), preference)
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in, their own notification only (another person's is 404): marks it read
    and goes to what it is about. A GET, as the link of a list is: reading it is what the
    person did, and marking it read again changes nothing."""
    notification = get_object_or_404(services.notifications_of(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if notification.url and _local(notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: marks all their own notifications read."""
    marked = services.mark_read(request.user)
    messages.success(
        request,
        f"Marked {marked} notification{'s' if marked != 1 else ''} as read."
        if marked
        else "You had no unread notifications.",
    )
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Anyone signed in: how they are told (their own preferences only)."""
    sat_on = selectors.committees_sat_on(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, sat_on=sat_on)
        if form.is_valid():
            services.set_preferences(
                request.user,
                immediate=form.immediate,
                muted=form.muted,
                committees=form.cleaned_data["committees"],
            )
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    else:
        preference = services.preference_of(request.user)
        form = PreferencesForm(initial=PreferencesForm.initial_for(preference), sat_on=sat_on)
    return render(request, "notifications/preferences.html", {"form": form})


# Exempt from CSRF: the signed token in the address is the authority, not a session (a mail
# client's RFC 8058 one-click POST has no cookie or CSRF token), and all a forged POST could do
# is turn off the one optional kind of email the token names for the person it names.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link from an email, signed in or not: the token names the person and
    the one optional kind of email to turn off. GET says what will stop; POST stops it (also
    RFC 8058's one-click POST from a mail client). A token this product did not make is 404."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user, kind = found
    context = {"kind_label": Kind(kind).label}
    if request.method == "POST":
        services.mute(user, kind)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            # A mail client, which shows nothing and may not follow a redirect.
            return render(request, "notifications/unsubscribe.html", {**context, "done": True})
        return redirect("notifications:unsubscribe", token=token)
    context["done"] = kind in services.preference_of(user).muted
    return render(request, "notifications/unsubscribe.html", context)


def _back(request: HttpRequest, committee: Committee) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if next_url and _local(next_url):
        return HttpResponseRedirect(next_url)
    return redirect(reverse("portal:committee-detail", args=[committee.pk]))


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: follow a committee (be told of its published plans and reports)."""
    committee = get_object_or_404(Committee, pk=pk)
    services.follow(request.user, committee)
    messages.success(
        request,
        f"You follow {committee}: you will be told when its plans and reports are published.",
    )
    return _back(request, committee)


@login_required
@require_POST
def unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone signed in: stop following a committee."""
    committee = get_object_or_404(Committee, pk=pk)
    services.unfollow(request.user, committee)
    messages.success(request, f"You no longer follow {committee}.")
    return _back(request, committee)
