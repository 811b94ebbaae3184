from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlySignedIn(BasePermission):
    """Anyone signed in (by token or session), reading only. What they read is narrowed by
    each list's access functions."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and bool(
            request.user and request.user.is_authenticated
        )
