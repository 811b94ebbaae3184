"""Pages for residents, included from serviceplans/urls.py under public/ (namespace public)."""

from django.urls import path

from residents import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("performance/", views.performance, name="performance"),
    path("performance/services/<int:pk>/", views.service_performance, name="service"),
    path("performance/priorities/<int:pk>/", views.priority_performance, name="priority"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/download/", views.report_download, name="report-download"),
]
