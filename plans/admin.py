from django.contrib import admin

from organisation.models import HeadOfService
from plans.models import (
    Action,
    Consultation,
    Milestone,
    Objective,
    Project,
    Risk,
    ServicePlan,
    WorkStream,
)
from plans.sections import NARRATIVE_FIELDS


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
            {"fields": list(NARRATIVE_FIELDS)},
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
