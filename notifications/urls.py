from django.urls import path

from notifications.views import chasing, inbox

app_name = "notifications"

urlpatterns = [
    path("", inbox.notification_list, name="list"),
    path("<int:pk>/open/", inbox.open_notification, name="open"),
    path("read/", inbox.mark_all_read, name="mark-all-read"),
    path("preferences/", inbox.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe, name="unsubscribe"),
    path("committees/<int:pk>/follow/", inbox.follow, name="follow"),
    path("committees/<int:pk>/unfollow/", inbox.unfollow, name="unfollow"),
    path("chasing/", chasing.chasing, name="chasing"),
    path("chasing/remind/", chasing.remind, name="chasing-remind"),
    path("round/remind/", chasing.round_remind, name="round-remind"),
]
