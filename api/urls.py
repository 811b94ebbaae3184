from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

urlpatterns = [
    path("services/", views.ServiceList.as_view(), name="service-list"),
    path("committees/", views.CommitteeList.as_view(), name="committee-list"),
    path("plans/", views.PlanList.as_view(), name="plan-list"),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
