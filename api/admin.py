from django.contrib import admin

from api.models import PersonalToken


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    """Who holds which tokens, and when each was last used. Tokens are made by their person
    on their tokens page; the secret is never here (only its hash)."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at")
    exclude = ("secret_hash",)

    def has_add_permission(self, request) -> bool:
        return False
