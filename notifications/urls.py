from django.urls import path

from notifications.views import chasing, inbox

app_name = "notifications"

urlpatterns = [
    path("", inbox.notification_list, name="list"),
    path("preferences/", inbox.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe, name="unsubscribe"),
    path("chasing/", chasing.chasing, name="chasing"),
    path("chasing/remind/", chasing.remind, name="chasing-remind"),
]
