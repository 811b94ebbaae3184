"""A person's notifications and preferences. (Being built: placeholders.)"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def notification_list(request):
    return HttpResponse("")


@login_required
def preferences(request):
    return HttpResponse("")


def unsubscribe(request, token):
    return HttpResponse("")
