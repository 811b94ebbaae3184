from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("settings/", views.council_settings, name="council-settings"),
]
