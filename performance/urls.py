from django.urls import path

from performance import views

app_name = "performance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("services/<int:pk>/", views.service_performance, name="service"),
    path("corporate/", views.corporate, name="corporate"),
    path("figures/", views.figures_overview, name="figures-overview"),
    path("figures/upload/", views.figures_upload, name="figures-upload"),
    path("figures/<int:service_pk>/<str:period>/", views.figures_entry, name="figures-entry"),
    path("plans/<int:plan_pk>/indicators/", views.plan_indicators_edit, name="plan-indicators"),
]
