from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    # Administrators only, except the invitation's page (anyone holding a valid link).
    path("", views.user_list, name="user-list"),
    path("invite/", views.user_invite, name="user-invite"),
    path("import/", views.user_import, name="user-import"),
    path("import/confirm/", views.user_import_confirm, name="user-import-confirm"),
    path("import/template.xlsx", views.user_import_template, name="user-import-template"),
    path("<int:pk>/", views.user_detail, name="user-detail"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path(
        "<int:pk>/resend-invitation/",
        views.user_resend_invitation,
        name="user-resend-invitation",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
