"""Performance indicators, their targets and their actuals.

An Indicator belongs to one service and is measured at a monitoring frequency; it has a Target
for each financial year (optionally profiled per period, for cumulative or seasonal targets)
and an Actual for each period, named by the month the period ends in (performance.periods).
The RAG status and direction of travel are computed (performance.rules), never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from organisation.models import FinancialYear, Priority, Service
from performance import periods
from performance.periods import Frequency
from performance.rules import Polarity, Tolerance, ValidRange

MAX_PLACES = 4
FIGURE = {"max_digits": 18, "decimal_places": MAX_PLACES}


class Indicator(models.Model):
    class Type(models.TextChoices):
        NATIONAL = "national", "National indicator"
        LOCAL = "local", "Local performance indicator"
        CORPORATE = "corporate", "Corporate health indicator"
        ACTIVITY = "activity", "Activity data"

    code = models.CharField(
        max_length=30, help_text='The reference officers and members know it by: "NI 181".'
    )
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True, help_text="What is counted and how.")
    data_source = models.CharField(
        max_length=300, blank=True, help_text="Where the figure comes from."
    )
    indicator_type = models.CharField(
        "type", max_length=10, choices=Type.choices, default=Type.LOCAL
    )
    unit = models.CharField(max_length=20, blank=True, help_text='"%", "days", "£", "number".')
    decimal_places = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PLACES)],
        help_text=(
            "Figures are printed, and compared with the target, at this many decimal places. "
            "Blank: as entered."
        ),
    )
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(
        "monitoring frequency", max_length=11, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="indicators")
    accountable_manager = models.CharField(max_length=120, blank=True)
    priorities = models.ManyToManyField(
        Priority,
        related_name="indicators",
        blank=True,
        help_text="The corporate priorities this indicator measures.",
    )
    is_corporate = models.BooleanField(
        "corporate indicator",
        default=False,
        help_text="Reported to members in the key performance information booklet.",
    )
    tolerance_percent = models.DecimalField(
        "tolerance (%)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="How far short of target, as a % of it, is still amber. Blank: 10%.",
    )
    tolerance_absolute = models.DecimalField(
        "tolerance (absolute)",
        **FIGURE,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Instead of a %: how far short, in the indicator's unit, is still amber. "
        "For zero or tiny targets.",
    )
    lowest_valid = models.DecimalField(
        "lowest valid figure",
        **FIGURE,
        null=True,
        blank=True,
        help_text="Blank: 0 for a percentage, a count or days; otherwise no lower bound.",
    )
    highest_valid = models.DecimalField(
        "highest valid figure",
        **FIGURE,
        null=True,
        blank=True,
        help_text="Blank: 100 for a percentage; otherwise no upper bound.",
    )
    first_year = models.PositiveSmallIntegerField(
        "reported from",
        null=True,
        blank=True,
        help_text="Start year of the first financial year it is reported for. Blank: always.",
    )
    last_year = models.PositiveSmallIntegerField(
        "reported until",
        null=True,
        blank=True,
        help_text="Start year of the last financial year it is reported for, once retired. "
        "Its figures are kept.",
    )

    class Meta:
        ordering = ["service__name", "code"]
        verbose_name = "performance indicator"
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="performance_indicator_code_unique_ignoring_case",
                violation_error_message="Another indicator already has this code.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance_percent__isnull=True) | Q(tolerance_absolute__isnull=True),
                name="performance_indicator_one_kind_of_tolerance",
                violation_error_message="Give a percentage or a margin as the tolerance, not both.",
            ),
            models.CheckConstraint(
                condition=Q(tolerance_percent__isnull=True) | Q(tolerance_percent__gte=0),
                name="performance_indicator_tolerance_percent_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(tolerance_absolute__isnull=True) | Q(tolerance_absolute__gte=0),
                name="performance_indicator_tolerance_margin_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__isnull=True) | Q(decimal_places__lte=MAX_PLACES),
                name="performance_indicator_at_most_4_decimal_places",
            ),
            models.CheckConstraint(
                condition=Q(lowest_valid__isnull=True)
                | Q(highest_valid__isnull=True)
                | Q(highest_valid__gte=F("lowest_valid")),
                name="performance_indicator_valid_range_not_reversed",
                violation_error_message="The highest valid figure is below the lowest.",
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="performance_indicator_reported_span_not_reversed",
                violation_error_message="It cannot be retired before it is first reported.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance.of(percent=self.tolerance_percent, absolute=self.tolerance_absolute)

    @property
    def valid_range(self) -> ValidRange:
        return ValidRange.of(unit=self.unit, lowest=self.lowest_valid, highest=self.highest_valid)


class Target(models.Model):
    """What an indicator should reach in a financial year: the year-end figure, and the figure
    for every period unless the target is profiled for that period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField("target", **FIGURE)

    class Meta:
        ordering = ["indicator__code", "year__start_year"]
        verbose_name = "target"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="performance_one_target_per_indicator_year",
                violation_error_message="This indicator already has a target for the year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value.normalize():f}"


class PeriodTarget(models.Model):
    """A profiled target for one period of the year: a cumulative collection rate (30% by
    June, 98% by March) or a seasonal one. Periods without one use the year's target."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="profile")
    period_end = models.DateField(help_text="The last day of the month the period ends in.")
    value = models.DecimalField("target", **FIGURE)

    class Meta:
        ordering = ["target__indicator__code", "period_end"]
        verbose_name = "profiled target"
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period_end"],
                name="performance_one_profiled_target_per_period",
                violation_error_message="The target is already profiled for this period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.indicator.code} {self.period}: {self.value.normalize():f}"

    @property
    def period(self) -> periods.Period:
        return periods.Period.of(self.period_end)


class Actual(models.Model):
    """The figure an indicator reached in one period, with the officer's commentary and their
    forecast of the year's outturn at that point."""

    class State(models.TextChoices):
        AWAITED = "awaited", "Awaited"
        ESTIMATE = "estimate", "Estimate"
        VERIFIED = "verified", "Verified"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period_end = models.DateField(help_text="The last day of the month the period ends in.")
    value = models.DecimalField(
        "actual", **FIGURE, null=True, blank=True, help_text="Blank while the figure is awaited."
    )
    state = models.CharField(
        "data state", max_length=8, choices=State.choices, default=State.VERIFIED
    )
    commentary = models.TextField(
        blank=True, help_text="Why the figure is where it is, and what is being done about it."
    )
    commentary_internal = models.BooleanField(
        "commentary is internal",
        default=False,
        help_text="Kept from public pages and the open data; members and staff still read it.",
    )
    forecast_outturn = models.DecimalField(
        **FIGURE,
        null=True,
        blank=True,
        help_text="The figure expected for the whole year, as forecast at this period.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator__code", "period_end"]
        verbose_name = "actual"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                name="performance_one_actual_per_indicator_period",
                violation_error_message="This indicator already has a figure for the period.",
            ),
            models.CheckConstraint(
                condition=Q(state="awaited", value__isnull=True)
                | (~Q(state="awaited") & Q(value__isnull=False)),
                name="performance_actual_value_unless_awaited",
                violation_error_message="An awaited figure has no value; any other has one.",
            ),
        ]
        indexes = [
            # The figures of a period across every indicator (the overview's counts, the
            # month a page opens on): read by period, not by indicator, so that the cost
            # follows the indicators in force, not the years of history kept. It also serves
            # selectors.latest_reported_month (the latest month with any figure, on every
            # plan, performance and priority page), which would otherwise read every figure
            # of the year: the unique key leads with the indicator, not the month.
            models.Index(fields=["period_end", "indicator"], name="performance_actual_by_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"

    @property
    def period(self) -> periods.Period:
        return periods.Period.of(self.period_end)


class DraftIndicator(models.Model):
    """An indicator as a plan's working draft proposes it for the plan's year, with its target.

    What an officer types in a draft's indicator editor waits here, beside the indicators in
    force, until the plan is published (services.publish_draft_indicators applies it): members,
    search, counts, reports and exports read only Indicator and Target, which therefore always
    hold what was published. A draft is named by its service, year and version — exactly one
    plan — rather than by a key to the plans app, which sits beside this one.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="+")
    plan_version = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="The indicator in force this row changes; blank for a new one.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=30, help_text='The reference it is known by: "NI 181".')
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, blank=True, help_text='"%", "days", "£", "number".')
    decimal_places = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PLACES)]
    )
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(
        "monitoring frequency", max_length=11, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    accountable_manager = models.CharField(max_length=120, blank=True)
    is_corporate = models.BooleanField("corporate indicator", default=False)
    target = models.DecimalField(
        **FIGURE, null=True, blank=True, help_text="For the plan's year. Blank: still to be set."
    )
    taken_out = models.BooleanField(
        default=False, help_text="Not reported from the plan's year on; its figures are kept."
    )

    class Meta:
        ordering = ["service__name", "year__start_year", "plan_version", "position", "id"]
        verbose_name = "indicator proposed in a draft plan"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "plan_version", "indicator"],
                condition=Q(indicator__isnull=False),
                name="performance_draft_changes_an_indicator_once",
            ),
            models.UniqueConstraint(
                "service",
                "year",
                "plan_version",
                Lower("code"),
                name="performance_draft_indicator_code_unique_ignoring_case",
                violation_error_message="The draft already has an indicator with this code.",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__isnull=True) | Q(decimal_places__lte=MAX_PLACES),
                name="performance_draft_indicator_at_most_4_decimal_places",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_new(self) -> bool:
        return self.indicator_id is None


# The fields a draft may change, the same on an indicator in force and on a draft's row.
DRAFTED_FIELDS = (
    "code",
    "title",
    "unit",
    "decimal_places",
    "polarity",
    "frequency",
    "accountable_manager",
    "is_corporate",
)


class FigureChange(models.Model):
    """One change to an actual, by whichever route it came: the figure as it became, as it was
    before (blank when it was new), who changed it, when and how. An indicator's history.

    A figure deleted is a change whose new state is blank. A change to a figure that had been
    signed off withdraws the sign-off (performance.services), and says so here.
    """

    class Route(models.TextChoices):
        GRID = "grid", "Data-entry grid"
        UPLOAD = "upload", "Upload"
        IMPORT = "import", "Import command"
        ADMIN = "admin", "Admin"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="figure_changes"
    )
    period_end = models.DateField(help_text="The last day of the month the period ends in.")
    value = models.DecimalField("actual", **FIGURE, null=True, blank=True)
    state = models.CharField(
        "data state",
        max_length=8,
        choices=Actual.State.choices,
        blank=True,
        help_text="Blank: the figure was deleted.",
    )
    commentary = models.TextField(blank=True)
    forecast_outturn = models.DecimalField(**FIGURE, null=True, blank=True)
    previous_value = models.DecimalField("previous actual", **FIGURE, null=True, blank=True)
    previous_state = models.CharField(
        "previous data state",
        max_length=8,
        choices=Actual.State.choices,
        blank=True,
        help_text="Blank: the figure was new.",
    )
    previous_commentary = models.TextField(blank=True)
    previous_forecast_outturn = models.DecimalField(**FIGURE, null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    route = models.CharField(max_length=6, choices=Route.choices)
    withdrew_sign_off_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sign-off this change withdrew was given."
    )
    withdrew_sign_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who had signed off the figures this change made provisional again.",
    )

    class Meta:
        ordering = ["indicator_id", "-period_end", "-at", "-id"]
        verbose_name = "change to a figure"
        indexes = [
            models.Index(fields=["indicator", "period_end"], name="performance_change_by_figure"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.name}: {self.get_route_display()}"

    @property
    def period(self) -> periods.Period:
        return periods.Period.of(self.period_end)

    @property
    def is_new(self) -> bool:
        return not self.previous_state

    @property
    def is_deletion(self) -> bool:
        return not self.state

    @property
    def withdrew_sign_off(self) -> bool:
        return self.withdrew_sign_off_at is not None


class FigureSignOff(models.Model):
    """A service's figures for one period, signed off by its head of service or an
    administrator. Until then, and again after any later change, they are provisional."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField(help_text="The last day of the month the period ends in.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "service_id"]
        verbose_name = "sign-off of figures"
        verbose_name_plural = "sign-offs of figures"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_end"],
                name="performance_one_sign_off_per_service_period",
                violation_error_message="The service's figures for the period are signed off.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.period.month_label}"

    @property
    def period(self) -> periods.Period:
        return periods.Period.of(self.period_end)
