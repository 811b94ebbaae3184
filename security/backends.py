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
