from django import forms
from django.contrib import admin

from performance import periods
from performance.models import (
    Actual,
    FigureChange,
    FigureSignOff,
    Indicator,
    PeriodTarget,
    Target,
)
from performance.services import (
    FigureEntry,
    delete_actuals,
    figures_problems,
    save_actual,
)


class PeriodField(forms.Field):
    """A period typed as the month it ends in ("2012-08"), stored as the month's last day."""

    widget = forms.TextInput(attrs={"size": 8, "placeholder": "YYYY-MM"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The month the period ends in, like 2012-08.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "year") and hasattr(value, "month"):
            return periods.Period.of(value).name
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return periods.parse(value).end_date
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class _PeriodForm(forms.ModelForm):
    """Checks the period ends a period of the indicator's frequency."""

    period_end = PeriodField(label="Period")

    def check_period(self, indicator: Indicator | None) -> None:
        period_end = self.cleaned_data.get("period_end")
        if indicator is None or period_end is None:
            return
        period = periods.Period.of(period_end)
        if not periods.is_period_end(indicator.frequency, period):
            ends = ", ".join(
                p.name for p in periods.period_ends(indicator.frequency, period.financial_year)
            )
            self.add_error(
                "period_end",
                f"{period.name} does not end a {indicator.get_frequency_display().lower()} "
                f"period; they end {ends}.",
            )


class ActualForm(_PeriodForm):
    class Meta:
        model = Actual
        fields = ["indicator", "period_end", "value", "state", "forecast_outturn", "commentary"]

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is None and self.instance.indicator_id:
            indicator = self.instance.indicator
        self.check_period(indicator)
        period_end = cleaned.get("period_end")
        if indicator is not None and period_end and not self.errors:
            self.check_rules(indicator, cleaned)
        return cleaned

    def check_rules(self, indicator, cleaned) -> None:
        """The rules of every figure (a red or awaited one is explained), from the service."""
        entry = FigureEntry(
            indicator=indicator,
            value=cleaned.get("value"),
            state=cleaned.get("state"),
            commentary=cleaned.get("commentary", ""),
            forecast_outturn=cleaned.get("forecast_outturn"),
        )
        period = periods.Period.of(cleaned["period_end"])
        found = figures_problems(period=period, entries=[entry])[indicator.pk]
        for field, message in found.items():
            self.add_error(field, message)


class PeriodTargetForm(_PeriodForm):
    class Meta:
        model = PeriodTarget
        fields = ["target", "period_end", "value"]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target is None and self.instance.target_id:
            target = self.instance.target
        if target is not None:
            self.check_period(target.indicator)
            period_end = cleaned.get("period_end")
            if period_end and periods.Period.of(period_end).financial_year != (
                target.year.start_year
            ):
                self.add_error("period_end", f"The period is not in {target.year}.")
        return cleaned


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "value"]


class ActualInline(admin.TabularInline):
    model = Actual
    form = ActualForm
    extra = 0
    fields = ["period_end", "value", "state", "forecast_outturn", "commentary", "entered_by"]
    readonly_fields = ["entered_by"]
    ordering = ["-period_end"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "service",
        "frequency",
        "polarity",
        "unit",
        "is_corporate",
        "indicator_type",
    ]
    list_filter = [
        "service__head_of_service",
        "frequency",
        "polarity",
        "indicator_type",
        "is_corporate",
        "service",
    ]
    search_fields = ["code", "title", "definition", "accountable_manager"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]
    filter_horizontal = ["priorities"]
    inlines = [TargetInline, ActualInline]
    fieldsets = [
        (None, {"fields": ["code", "title", "service", "accountable_manager", "indicator_type"]}),
        ("Definition", {"fields": ["definition", "data_source", "priorities", "is_corporate"]}),
        (
            "Measurement",
            {
                "fields": [
                    "unit",
                    "decimal_places",
                    "polarity",
                    "frequency",
                    ("tolerance_percent", "tolerance_absolute"),
                    ("lowest_valid", "highest_valid"),
                    ("first_year", "last_year"),
                ]
            },
        ),
    ]

    def save_formset(self, request, form, formset, change):
        # Figures typed into the inline go through the service that keeps their history and
        # withdraws a sign-off they change, as entered by this administrator, now.
        # formset.save(commit=False) returns only the new and changed rows.
        for instance in formset.save(commit=False):
            if isinstance(instance, Actual):
                save_actual(actual=instance, by=request.user)
            else:
                instance.save()
        deleted = formset.deleted_objects
        figures = [instance for instance in deleted if isinstance(instance, Actual)]
        if figures:
            delete_actuals(actuals=figures, by=request.user)
        for instance in deleted:
            if not isinstance(instance, Actual):
                instance.delete()
        formset.save_m2m()


class PeriodTargetInline(admin.TabularInline):
    model = PeriodTarget
    form = PeriodTargetForm
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value", "profiled"]
    list_filter = ["year", "indicator__service__head_of_service", "indicator__frequency"]
    search_fields = ["indicator__code", "indicator__title"]
    list_select_related = ["indicator", "year"]
    autocomplete_fields = ["indicator"]
    inlines = [PeriodTargetInline]

    @admin.display(boolean=True, description="profiled")
    def profiled(self, target: Target) -> bool:
        return bool(target.profile.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("profile")


@admin.register(Actual)
class ActualAdmin(admin.ModelAdmin):
    form = ActualForm
    list_display = [
        "indicator",
        "period_name",
        "value",
        "state",
        "forecast_outturn",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["state", "indicator__service__head_of_service", "indicator__service"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    list_select_related = ["indicator", "entered_by"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "period_end"
    readonly_fields = ["entered_by", "entered_at"]

    @admin.display(description="period", ordering="period_end")
    def period_name(self, actual: Actual) -> str:
        return actual.period.name

    def save_model(self, request, obj, form, change):
        # Through the service every route uses: the rules, the history, the sign-off.
        save_actual(actual=obj, by=request.user)

    def delete_model(self, request, obj):
        delete_actuals(actuals=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        delete_actuals(actuals=list(queryset.select_related("indicator")), by=request.user)


@admin.register(FigureChange)
class FigureChangeAdmin(admin.ModelAdmin):
    """An indicator's history: read only, since it is the record of what happened."""

    list_display = ["indicator", "period_name", "previous_value", "value", "state", "by", "at"]
    list_filter = ["route", "indicator__service"]
    search_fields = ["indicator__code", "indicator__title", "commentary"]
    list_select_related = ["indicator", "by"]
    date_hierarchy = "at"

    @admin.display(description="period", ordering="period_end")
    def period_name(self, change: FigureChange) -> str:
        return change.period.name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FigureSignOff)
class FigureSignOffAdmin(admin.ModelAdmin):
    """Sign-offs are given on the sign-off page, which checks the figures are complete; here
    they are listed, and one given in error can be withdrawn (deleted)."""

    list_display = ["service", "period_name", "by", "at"]
    list_filter = ["service__head_of_service", "service"]
    list_select_related = ["service", "by"]
    date_hierarchy = "period_end"

    @admin.display(description="period", ordering="period_end")
    def period_name(self, sign_off: FigureSignOff) -> str:
        return sign_off.period.name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodTarget)
class PeriodTargetAdmin(admin.ModelAdmin):
    """Profiled targets are usually edited on their year's target; this lists them all."""

    form = PeriodTargetForm
    list_display = ["indicator_code", "year", "period_name", "value"]
    list_filter = ["target__year", "target__indicator__service__head_of_service"]
    search_fields = ["target__indicator__code", "target__indicator__title"]
    list_select_related = ["target__indicator", "target__year"]
    fields = ["target", "period_end", "value"]
    autocomplete_fields = ["target"]

    @admin.display(description="indicator", ordering="target__indicator__code")
    def indicator_code(self, profiled: PeriodTarget) -> str:
        return profiled.target.indicator.code

    @admin.display(description="year", ordering="target__year__start_year")
    def year(self, profiled: PeriodTarget) -> str:
        return str(profiled.target.year)

    @admin.display(description="period", ordering="period_end")
    def period_name(self, profiled: PeriodTarget) -> str:
        return profiled.period.name
