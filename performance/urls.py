from django.urls import path

from performance import views

app_name = "performance"

urlpatterns = [
    path("figures/", views.figures_overview, name="figures-overview"),
    path("figures/upload/", views.figures_upload, name="figures-upload"),
    path("figures/<int:service_pk>/<str:period>/", views.figures_entry, name="figures-entry"),
    path("figures/<int:service_pk>/<str:period>/sign-off/", views.sign_off, name="sign-off"),
    path(
        "figures/indicators/<int:indicator_pk>/history/",
        views.indicator_history,
        name="figure-history",
    ),
]
