from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

from organisation import reporting_calendar, services, users
from organisation.models import (
    Committee,
    CommitteeReview,
    Directorate,
    FinancialYear,
    HeadOfService,
    MonitoringPoint,
    Priority,
    Service,
    SignOnIdentity,
)


class MonitoringPointInline(admin.TabularInline):
    model = MonitoringPoint
    fields = ["name", "as_at", "due_date"]
    extra = 0


class FinancialYearForm(forms.ModelForm):
    class Meta:
        model = FinancialYear
        fields = ["start_year", "is_current", "plans_due", "approvals_due"]

    def clean(self) -> dict:
        # Ticking "is current" on another year is one save: the year is saved as not current
        # and services.make_current moves "current" to it from the old year in one transaction
        # (FinancialYearAdmin.save_model), so "only one current year" never stands in the way.
        cleaned = super().clean()
        self.wants_current = bool(cleaned.get("is_current"))
        cleaned["is_current"] = False
        return cleaned


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    form = FinancialYearForm
    list_display = [
        "label",
        "start_date",
        "end_date",
        "is_current",
        "plans_due",
        "approvals_due",
        "monitoring_point_count",
    ]
    list_filter = ["is_current"]
    fieldsets = [
        (None, {"fields": ["start_year", "is_current"]}),
        (
            "Planning round deadlines",
            {
                "fields": ["plans_due", "approvals_due"],
                "description": "Shown to administrators on the planning round page.",
            },
        ),
    ]
    inlines = [MonitoringPointInline]
    actions = ["give_usual_monitoring_points"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("monitoring_points"))

    @admin.display(description="monitoring points", ordering="point_count")
    def monitoring_point_count(self, year: FinancialYear) -> int:
        return year.point_count

    def save_model(self, request, obj, form, change):
        # Saved as not current (the form's clean), then made current by the one service that
        # moves it; the admin's save is one transaction, so nobody sees a year without one.
        super().save_model(request, obj, form, change)
        if getattr(form, "wants_current", False):
            services.make_current(year=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new year starts with the council's usual points, unless some were entered with it.
        if not change and not form.instance.monitoring_points.exists():
            reporting_calendar.set_up_usual_points(form.instance)

    @admin.action(description="Give the year its usual monitoring points")
    def give_usual_monitoring_points(self, request, years) -> None:
        for year in years:
            made = reporting_calendar.set_up_usual_points(year)
            names = ", ".join(point.name for point in made)
            if made:
                self.message_user(request, f"{year}: added {names}.", messages.SUCCESS)
            else:
                self.message_user(request, f"{year} already has its usual points.", messages.INFO)


class HeadOfServiceInline(admin.TabularInline):
    model = HeadOfService
    fields = ["name", "officer_name", "user"]
    extra = 0
    show_change_link = True


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "director"]
    search_fields = ["name", "director"]
    inlines = [HeadOfServiceInline]


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ["name", "is_shared", "shared_with"]
    extra = 0
    show_change_link = True


@admin.register(HeadOfService)
class HeadOfServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "officer_name", "directorate", "user", "service_count"]
    list_filter = ["directorate"]
    list_select_related = ["directorate", "user"]
    search_fields = ["name", "officer_name"]
    autocomplete_fields = ["user"]
    inlines = [ServiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(service_count=Count("services"))

    @admin.display(description="services", ordering="service_count")
    def service_count(self, head: HeadOfService) -> int:
        return head.service_count


class CommitteeReviewInline(admin.TabularInline):
    model = CommitteeReview
    fields = ["committee", "scope_note"]
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "head_of_service", "is_shared", "shared_with", "reviewed_by"]
    list_filter = ["head_of_service", "is_shared", "committees"]
    list_select_related = ["head_of_service"]
    search_fields = ["name", "shared_with", "head_of_service__name"]
    filter_horizontal = ["editors"]
    inlines = [CommitteeReviewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reviews__committee")

    @admin.display(description="reviewed by")
    def reviewed_by(self, service: Service) -> str:
        return "; ".join(
            f"{review.committee.name}: {review.scope_note}"
            if review.scope_note
            else review.committee.name
            for review in service.reviews.all()
        )


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position", "service_count"]
    list_editable = ["position"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(service_count=Count("reviews"))

    @admin.display(description="services reviewed", ordering="service_count")
    def service_count(self, committee: Committee) -> int:
        return committee.service_count


@admin.register(CommitteeReview)
class CommitteeReviewAdmin(admin.ModelAdmin):
    list_display = ["service", "committee", "scope_note"]
    list_filter = ["committee", "service__head_of_service"]
    list_select_related = ["service", "committee"]
    search_fields = ["service__name", "committee__name", "scope_note"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "theme", "span_label"]
    list_filter = ["theme", "first_year", "last_year"]
    search_fields = ["code", "title", "theme", "description"]


class PersonAdmin(UserAdmin):
    """Django's user admin, except that nobody is deleted (history keeps their name) and
    activity changes through organisation.users, which refuses deactivating yourself or the
    last administrator. Administrators normally use the users pages (/users/)."""

    actions = ["deactivate_people", "reactivate_people"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "is_active"]

    @admin.action(description="Deactivate the selected people")
    def deactivate_people(self, request, queryset) -> None:
        for person in queryset:
            try:
                users.deactivate(user=person, by=request.user)
            except users.UserRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)

    @admin.action(description="Reactivate the selected people")
    def reactivate_people(self, request, queryset) -> None:
        for person in queryset:
            users.reactivate(user=person, by=request.user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PersonAdmin)


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(admin.ModelAdmin):
    """Links made by single sign-on; deleting one lets the account be linked again by email."""

    list_display = ["user", "issuer", "subject", "linked", "last_signed_in"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "linked", "last_signed_in"]

    def has_add_permission(self, request) -> bool:
        return False
