from django import forms
from django.contrib import admin
from django.db.models import Q

from budgets.display import format_fte, format_money
from budgets.models import (
    Budget,
    BudgetRisk,
    ReportingLine,
    ReportingLineService,
    Saving,
    Staffing,
)
from budgets.services import counted_twice
from organisation.models import HeadOfService


class HeadOfServiceFilter(admin.SimpleListFilter):
    """A figure is under a head of service through its service or its reporting line."""

    title = "head of service"
    parameter_name = "head_of_service"

    def lookups(self, request, model_admin):
        return [(str(head.pk), head.name) for head in HeadOfService.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Q(service__head_of_service_id=self.value())
                | Q(reporting_line__head_of_service_id=self.value())
            )
        return queryset


class FigureForm(forms.ModelForm):
    """Refuses by hand what the imports refuse: a figure that would be counted twice."""

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            problem = counted_twice(self.instance)
            if problem:
                self.add_error(None, problem)


class FigureAdmin(admin.ModelAdmin):
    form = FigureForm
    list_select_related = ["service", "reporting_line"]
    search_fields = ["service__name", "reporting_line__name"]
    autocomplete_fields = ["service", "reporting_line"]

    @admin.display(description="service or reporting line")
    def holder(self, figure) -> str:
        return str(figure.holder)


@admin.register(Budget)
class BudgetAdmin(FigureAdmin):
    list_display = [
        "holder",
        "year",
        "net",
        "gross",
        "income_figure",
        "is_forecast",
    ]
    list_filter = ["year", "is_forecast", HeadOfServiceFilter]
    list_select_related = [*FigureAdmin.list_select_related, "year"]
    fields = [
        "service",
        "reporting_line",
        "year",
        "net_budget",
        "gross_expenditure",
        "income",
        "is_forecast",
    ]

    @admin.display(description="net budget (£000)", ordering="net_budget")
    def net(self, budget: Budget) -> str:
        return format_money(budget.net_budget)

    @admin.display(description="gross expenditure (£000)", ordering="gross_expenditure")
    def gross(self, budget: Budget) -> str:
        return format_money(budget.gross_expenditure)

    @admin.display(description="income (£000)", ordering="income")
    def income_figure(self, budget: Budget) -> str:
        return format_money(budget.income)


@admin.register(Staffing)
class StaffingAdmin(FigureAdmin):
    list_display = ["holder", "year", "fte_figure"]
    list_filter = ["year", HeadOfServiceFilter]
    list_select_related = [*FigureAdmin.list_select_related, "year"]
    fields = ["service", "reporting_line", "year", "fte"]

    @admin.display(description="full-time equivalents", ordering="fte")
    def fte_figure(self, staffing: Staffing) -> str:
        return format_fte(staffing.fte)


@admin.register(Saving)
class SavingAdmin(FigureAdmin):
    list_display = ["holder", "period_label", "amount_figure", "status", "description"]
    list_filter = ["status", "first_year", "last_year", HeadOfServiceFilter]
    search_fields = [*FigureAdmin.search_fields, "description"]
    fields = [
        "service",
        "reporting_line",
        ("first_year", "last_year"),
        "amount",
        "description",
        "status",
    ]

    @admin.display(description="amount (£000)", ordering="amount")
    def amount_figure(self, saving: Saving) -> str:
        return format_money(saving.amount)


class ReportingLineServiceInline(admin.TabularInline):
    model = ReportingLineService
    extra = 2
    autocomplete_fields = ["service"]


class ReportingLineForm(forms.ModelForm):
    class Meta:
        model = ReportingLine
        fields = ["name", "head_of_service"]


class ReportingLineServiceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        head = self.instance.head_of_service if self.instance.head_of_service_id else None
        for form in self.forms:
            service = form.cleaned_data.get("service")
            if form.cleaned_data.get("DELETE") or service is None or head is None:
                continue
            if service.head_of_service_id != head.pk:
                form.add_error(
                    "service",
                    f"{service} is under {service.head_of_service}, not {head}; a reporting "
                    "line is a row of one head of service's tables.",
                )


ReportingLineServiceInline.formset = ReportingLineServiceFormSet


@admin.register(ReportingLine)
class ReportingLineAdmin(admin.ModelAdmin):
    form = ReportingLineForm
    list_display = ["name", "head_of_service", "covers"]
    list_filter = ["head_of_service"]
    list_select_related = ["head_of_service"]
    search_fields = ["name", "services__name"]
    inlines = [ReportingLineServiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services")

    @admin.display(description="services")
    def covers(self, line: ReportingLine) -> str:
        return "; ".join(service.name for service in line.services.all())


@admin.register(BudgetRisk)
class BudgetRiskAdmin(admin.ModelAdmin):
    list_display = ["head_of_service", "year", "title", "text", "position"]
    list_display_links = ["title", "text"]
    list_filter = ["year", "head_of_service"]
    list_select_related = ["head_of_service", "year"]
    search_fields = ["title", "text", "head_of_service__name"]
