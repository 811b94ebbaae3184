from django import forms
from django.contrib import admin

from organisation.models import HeadOfService
from plans import progress
from plans.models import (
    Action,
    Consultation,
    Milestone,
    Objective,
    ProgressUpdate,
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


class ProgressUpdateAdminForm(forms.ModelForm):
    """The progress rules hold here as on the page and in the import (plans.progress)."""

    evidence_link = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = ProgressUpdate
        fields = [
            "service",
            "point",
            "kind",
            "reference",
            "status",
            "percent_complete",
            "completed_on",
            "likelihood",
            "impact",
            "commentary",
            "evidence_link",
            "head_comment",
            "head_comment_by",
        ]

    def clean(self):
        data = super().clean()
        point, kind = data.get("point"), data.get("kind")
        if point is None or not kind:
            return data  # the field's own error says what is missing
        service, reference = data.get("service"), data.get("reference", "")
        if service is not None and reference:
            self._add_problems(
                progress.item_problems(service=service, point=point, reference=reference, kind=kind)
            )
        self._add_problems(
            progress.update_problems(
                kind=kind,
                point=point,
                status=data.get("status", ""),
                percent_complete=data.get("percent_complete"),
                commentary=data.get("commentary", ""),
                completed_on=data.get("completed_on"),
                likelihood=data.get("likelihood"),
                impact=data.get("impact"),
                evidence_link=data.get("evidence_link", ""),
            )
        )
        return data

    def _add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Corrections by administrators. An evidence file comes only through the progress page,
    whose service checks what the file really is; here it can only be read."""

    form = ProgressUpdateAdminForm
    list_display = [
        "reference",
        "service",
        "point",
        "kind",
        "status",
        "percent_complete",
        "by",
        "at",
    ]
    list_filter = ["point__year", "point", "kind", "status", "service__head_of_service", "service"]
    list_select_related = ["service", "point__year", "by"]
    search_fields = ["reference", "commentary", "service__name"]
    autocomplete_fields = ["service", "head_comment_by"]
    readonly_fields = ["evidence_file", "evidence_name", "by", "at", "head_comment_at"]
    fields = [
        ("service", "point"),
        ("kind", "reference"),
        ("status", "percent_complete", "completed_on"),
        ("likelihood", "impact"),
        "commentary",
        "evidence_link",
        ("evidence_file", "evidence_name"),
        ("head_comment", "head_comment_by", "head_comment_at"),
        ("by", "at"),
    ]

    def save_model(self, request, update, form, change):
        if not change:
            update.by = request.user
        super().save_model(request, update, form, change)
