from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import detail_views, docs, resource_views, views

app_name = "api"

urlpatterns = [
    path("services/", views.ServiceList.as_view(), name="service-list"),
    path("directorates/", views.DirectorateList.as_view(), name="directorate-list"),
    path("heads-of-service/", views.HeadOfServiceList.as_view(), name="head-of-service-list"),
    path("committees/", views.CommitteeList.as_view(), name="committee-list"),
    path("plans/", views.PlanList.as_view(), name="plan-list"),
    path(
        "plans/<str:year>/<str:service_code>/",
        detail_views.PlanDetail.as_view(),
        name="plan-detail",
    ),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", detail_views.IndicatorDetail.as_view(), name="indicator-detail"),
    path(
        "resources/<str:year>/<int:head_of_service>/",
        resource_views.ResourcesDetail.as_view(),
        name="resources-detail",
    ),
    path("reports/", resource_views.ReportList.as_view(), name="report-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.swagger_ui, name="docs"),
    path("docs/redoc/", docs.redoc, name="redoc"),
]
