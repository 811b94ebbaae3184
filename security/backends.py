"""The sign-in lock-out check (django-axes) as the first authentication backend."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while the account is locked out after too many failures.

    Axes needs the request to know who is trying. Every sign-in through the site (the sign-in
    page, the admin's) passes it. A call without a request is code signing a user in on its
    own (a test's client.login, a script), with no visitor to lock out, so the check is
    skipped there rather than failing; the password is still checked by ModelBackend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


USERNAME_LIMIT = 150  # django.contrib.auth's User.username


def lockout_username(request, credentials: dict | None) -> str | None:
    """The username django-axes records for a failed sign-in (settings.AXES_USERNAME_CALLABLE):
    what was typed, cut to the longest a username can be.

    The sign-in form normalises what is typed (NFKC) without checking its length, and one
    character can normalise to eighteen ("ﷺ"), so a 50-character username reached axes as 900
    characters, more than its 255-character column: a server error on PostgreSQL (found by
    tests/fuzz). No account has a longer name, so nothing is lost by cutting it.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("username") if request is not None else None
    return None if username is None else str(username)[:USERNAME_LIMIT]
