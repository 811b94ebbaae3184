"""Password reset by email: Django's own views and form, with three changes.

- The link in the email is built from settings.SITE_URL (security.site_links), never from the
  request's Host header, so it works behind the council's proxy and a forged Host header
  cannot put another address into it.
- Requests are limited (django-ratelimit) to settings.PASSWORD_RESETS_PER_HOUR from one network
  address and for one email address, so the form cannot be used to flood someone's inbox or
  to probe the mail server. A refused request sends nothing and says so.
- The email has an HTML part beside the plain text and names the council.

Everything else is Django's: the page after asking is the same whether or not the address
belongs to anyone, and inactive users and users without a usable password get no email.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited

from security.audit import audit, client_ip
from security.site_links import site_link

RATE_LIMIT_GROUP = "password-reset"


def _address_key(group: str, request) -> str:
    return f"ip:{client_ip(request)}"


def _email_key(email: str):
    normalised = email.strip().casefold()
    return lambda group, request: f"email:{normalised}"


def reset_is_limited(request, email: str) -> bool:
    """Count this request against its network address and its email address; true once either
    has had more than settings.PASSWORD_RESETS_PER_HOUR this hour."""
    rate = f"{settings.PASSWORD_RESETS_PER_HOUR}/h"
    limited = [
        is_ratelimited(request, group=RATE_LIMIT_GROUP, key=key, rate=rate, increment=True)
        for key in (_address_key, _email_key(email))
    ]  # both counted, not stopping at the first
    return any(limited)


def link_lifetime() -> str:
    """How long a reset link works, in words ("3 days", "1 hour")."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


class SiteLinkPasswordResetForm(PasswordResetForm):
    """Django's form, with the absolute reset link in the email's context as `reset_link`."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        context["reset_link"] = site_link(
            "password_reset_confirm", uidb64=context["uid"], token=context["token"]
        )
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Anyone: ask for a link to set a new password, by email address."""

    form_class = SiteLinkPasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("password_reset_done")
    # The council's name for the email, read when it is sent. The security layer cannot read
    # the council's settings (organisation is above it): serviceplans/urls.py passes the
    # reader in, as_view(council_name=…).
    council_name: Callable[[], str] = staticmethod(lambda: "")

    def form_valid(self, form) -> HttpResponse:
        email = form.cleaned_data["email"]
        ip = client_ip(self.request)
        if reset_is_limited(self.request, email):
            audit("password_reset_limited", level=logging.WARNING, email=email[:254], ip=ip)
            context = self.get_context_data(form=form, rate_limited=True)
            return self.render_to_response(context, status=429)
        audit("password_reset_requested", email=email[:254], ip=ip)
        form.save(
            domain_override=settings.SITE_URL.split("://", 1)[1],
            use_https=settings.SITE_URL.startswith("https://"),
            token_generator=self.token_generator,
            from_email=self.from_email,
            subject_template_name=self.subject_template_name,
            email_template_name=self.email_template_name,
            html_email_template_name=self.html_email_template_name,
            request=self.request,
            extra_email_context={
                "council_name": self.council_name(),
                "site_url": settings.SITE_URL,
                "link_lifetime": link_lifetime(),
            },
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)  # the redirect

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "resets_per_hour": settings.PASSWORD_RESETS_PER_HOUR,
        }


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Anyone: the same page whether or not the address belongs to an account."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lifetime": link_lifetime()}
