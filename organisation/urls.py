from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    # Users: administrators only, except the invitation's page (anyone holding a valid link).
    path("users/", views.user_list, name="user-list"),
    path("users/invite/", views.user_invite, name="user-invite"),
    path("users/import/", views.user_import, name="user-import"),
    path("users/import/confirm/", views.user_import_confirm, name="user-import-confirm"),
    path("users/import/template.xlsx", views.user_import_template, name="user-import-template"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path(
        "users/<int:pk>/resend-invitation/",
        views.user_resend_invitation,
        name="user-resend-invitation",
    ),
    path("users/invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    # The council's settings: administrators only.
    path("council/settings/", views.council_settings, name="council-settings"),
]
