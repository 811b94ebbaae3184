from django.contrib import admin
from django.db.models import Count

from plans.models import (
    Action,
    Committee,
    CommitteeReview,
    Consultation,
    Directorate,
    FinancialYear,
    HeadOfService,
    Milestone,
    Objective,
    Priority,
    Project,
    Risk,
    Service,
    ServicePlan,
    WorkStream,
)


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start_date", "end_date", "is_current"]
    list_filter = ["is_current"]


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


class PlanPartInline(admin.StackedInline):
    extra = 0
    show_change_link = True


class ObjectiveInline(admin.TabularInline):
    model = Objective
    fields = ["position", "title", "is_key", "priorities"]
    extra = 0


class ActionInline(PlanPartInline):
    model = Action
    fields = [
        "position",
        "title",
        "objective",
        "status",
        "responsible_officer",
        "target_date",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the objectives of the plan being edited.
        if db_field.name == "objective":
            plan_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Objective.objects.filter(plan_id=plan_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectInline(PlanPartInline):
    model = Project
    fields = [
        "position",
        "title",
        "accountable_manager",
        "deliverables",
        "target_date",
        ("is_high_risk", "is_high_profile", "is_high_impact", "is_capital"),
        "priority",
    ]


class RiskInline(PlanPartInline):
    model = Risk
    fields = [
        "position",
        "description",
        "category",
        ("likelihood", "impact"),
        "owner",
        "mitigation",
    ]


class ConsultationInline(PlanPartInline):
    model = Consultation


class WorkStreamInline(PlanPartInline):
    model = WorkStream


@admin.register(ServicePlan)
class ServicePlanAdmin(admin.ModelAdmin):
    list_display = ["service", "year", "version", "status", "head_of_service", "updated_at"]
    list_filter = ["year", "status", "service__head_of_service", "service__committees"]
    list_select_related = ["service__head_of_service", "year"]
    search_fields = ["service__name", "introduction", "objectives__title"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["service", "year", "version", "status"]}),
        (
            "Narrative sections",
            {
                "fields": [
                    "introduction",
                    "key_achievements",
                    "structure",
                    "structure_changes",
                    "benchmarking",
                    "customer_impact",
                    "efficiency_measures",
                ]
            },
        ),
        ("Endorsement", {"fields": ["endorsed_by", "endorsed_on"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        ObjectiveInline,
        ActionInline,
        ProjectInline,
        RiskInline,
        ConsultationInline,
        WorkStreamInline,
    ]

    @admin.display(ordering="service__head_of_service__name")
    def head_of_service(self, plan: ServicePlan) -> HeadOfService:
        return plan.service.head_of_service


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "is_key"]
    list_filter = ["is_key", "plan__year", "plan__service__head_of_service"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["title", "plan__service__name"]
    autocomplete_fields = ["plan"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "status", "responsible_officer", "target_date"]
    list_filter = ["status", "plan__year", "plan__service__head_of_service"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["title", "responsible_officer", "plan__service__name"]
    autocomplete_fields = ["plan", "objective"]
    inlines = [MilestoneInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "plan",
        "accountable_manager",
        "target_date",
        "is_capital",
        "is_high_risk",
        "is_high_profile",
        "is_high_impact",
    ]
    list_filter = ["is_capital", "is_high_risk", "is_high_profile", "is_high_impact", "plan__year"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["title", "deliverables", "plan__service__name"]
    autocomplete_fields = ["plan"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["description", "plan", "category", "likelihood", "impact", "score", "owner"]
    list_filter = ["category", "plan__year", "plan__service__head_of_service"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["description", "owner", "plan__service__name"]
    autocomplete_fields = ["plan"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "start_date", "end_date", "consultation_type", "is_statutory"]
    list_filter = ["consultation_type", "is_statutory", "plan__year"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["name", "summary", "target_group", "plan__service__name"]
    autocomplete_fields = ["plan"]


@admin.register(WorkStream)
class WorkStreamAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "lead_officer", "target_date"]
    list_filter = ["plan__year", "plan__service__head_of_service"]
    list_select_related = ["plan__service", "plan__year"]
    search_fields = ["title", "description", "plan__service__name"]
    autocomplete_fields = ["plan"]
