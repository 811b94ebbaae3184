"""Which sign-in failures lock what (django-axes' AXES_LOCKOUT_PARAMETERS); see the settings."""

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def lockout_parameters(request, credentials=None) -> list:
    """AXES_LOCKOUT_PARAMETERS: username and address together; and the address alone once it
    has LOGIN_ADDRESS_FAILURE_LIMIT recent failures, whatever the usernames.

    axes calls it with the request it has marked (axes_ip_address, axes_attempt_time), and
    sometimes with an unmarked request or a stored attempt: those get username and address."""
    parameters: list = [["username", "ip_address"]]
    address = getattr(request, "axes_ip_address", None)
    if not address or getattr(request, "axes_attempt_time", None) is None:
        return parameters
    failures = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    if (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        parameters.append("ip_address")
    return parameters
