from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organisation.council import council_settings
from organisation.oidc import SignOnCallbackView, SignOnStartView
from security import password_reset
from security.views import SignInView, healthz

admin.site.site_header = "Service plans administration"
admin.site.site_title = "Service plans"

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("plans.urls")),
    path("performance/", include("performance.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    path("open-data/", include("opendata.urls")),
    path("account/tokens/", include("api.token_urls")),
    # Pages for residents, without signing in; not found until an administrator turns them on.
    path("public/", include("residents.urls")),
    path("", include("organisation.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    # Single sign-on with OpenID Connect (organisation/oidc.py); not found while it is off.
    # The callback's address, under SITE_URL, is the redirect URI registered with the provider.
    path("oidc/authenticate/", SignOnStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", SignOnCallbackView.as_view(), name="oidc_authentication_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by email (security/password_reset.py).
    path(
        "accounts/password/reset/",
        password_reset.PasswordResetView.as_view(council_name=lambda: council_settings().name),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
