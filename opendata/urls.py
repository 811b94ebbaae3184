from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/<str:month>/<str:filename>", views.data_file, name="file"),
]
