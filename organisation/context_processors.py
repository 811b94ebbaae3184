import functools

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from organisation.access import is_administrator
from organisation.council import council_settings

# The links of every page's header and footer (templates/base.html), by URL name.
SITE_LINKS = (
    "portal:home",
    "portal:committee-list",
    "portal:head-of-service-list",
    "portal:priority-list",
    "portal:overview",
    "reports:reports",
    "portal:search",
    "notifications:list",
    "notifications:chasing",
    "plans:years",
    "plans:planning-round",
    "portal:imports",
    "organisation:user-list",
    "organisation:council-settings",
    "admin:index",
    "password_change",
    "tokens:list",
    "logout",
    "portal:accessibility",
    "opendata:index",
)


def council(request: HttpRequest) -> dict:
    """The council's name and contact for every page (no query: the settings are cached).
    `council_name` is "" until an administrator gives one: pages then say only "Service plans"."""
    user = getattr(request, "user", None)
    settings = council_settings()
    return {
        "council_name": settings.name,
        "council": settings,
        "user_is_administrator": bool(user and is_administrator(user)),
        "site_links": _site_links(get_script_prefix()),
    }


@functools.cache
def _site_links(script_prefix: str) -> dict[str, str]:
    """SITE_LINKS' addresses, found once per process (and per script prefix, which reverse
    puts in front): twenty reverse() calls were a tenth of the time of a plan page read from
    the cache."""
    return {name.replace(":", "_").replace("-", "_"): reverse(name) for name in SITE_LINKS}
