"""Admin (staff) for what was told and sent. Read-only: notifications are made by the events and
the reminder job, and emails by delivery; the one action is to try failed emails again now."""

from django.contrib import admin, messages

from notifications import delivery
from notifications.models import Email, Notification, Preference


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("subject", "recipient", "kind", "stage", "created_at", "read_at", "email")
    list_filter = ("kind", "created_at")
    list_select_related = ("recipient", "email")
    search_fields = ("subject", "about", "recipient__username", "recipient__email")
    date_hierarchy = "created_at"


@admin.register(Email)
class EmailAdmin(ReadOnly):
    list_display = ("subject", "to", "is_digest", "day", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "is_digest", "day")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    actions = ["try_again"]

    @admin.action(description="Try sending again now")
    def try_again(self, request, queryset):
        waiting = queryset.filter(sent_at__isnull=True)
        # Another MAX_ATTEMPTS tries, starting now.
        waiting.update(attempts=0, last_attempt_at=None)
        result = delivery.send_emails()
        level = messages.WARNING if result.failed else messages.SUCCESS
        self.message_user(
            request, f"{result.sent} sent, {result.failed} not sent (see Last error).", level
        )


@admin.register(Preference)
class PreferenceAdmin(ReadOnly):
    list_display = ("user", "immediate", "muted")
    search_fields = ("user__username", "user__email")
    filter_horizontal = ("committees",)
