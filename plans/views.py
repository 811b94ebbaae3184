from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plans.models import FinancialYear


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Any signed-in user: the starting page."""
    current_year = FinancialYear.objects.filter(is_current=True).first()
    return render(request, "plans/home.html", {"current_year": current_year})
