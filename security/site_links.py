"""Absolute links to the product's pages, for emails.

They are built from settings.SITE_URL, the address people reach the product at, never from a
request: the Host header is whatever the visitor sent (a forged one would put an attacker's
address into a password reset email), and a job sending mail has no request at all."""

from django.conf import settings
from django.urls import get_script_prefix, reverse


def site_url(path: str) -> str:
    """`path` (a path of this site, as reverse() gives it) as an absolute address under
    SITE_URL."""
    prefix = get_script_prefix()
    if path.startswith(prefix):
        # The prefix the web server told this request about; SITE_URL already carries the
        # public one, which may differ behind the proxy.
        path = path[len(prefix) :]
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


def site_link(view_name: str, **kwargs) -> str:
    """The absolute address of a named URL, e.g. site_link("plans:plan-detail", pk=3)."""
    return site_url(reverse(view_name, kwargs=kwargs or None))
