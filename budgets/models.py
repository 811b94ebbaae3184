"""Net budgets, savings plans, staffing and budget risks.

Money is in £000 as Decimal, exactly as the finance team reports it; a negative net budget means
the service brings in more than it spends (Parking & Amenity). Totals are never stored: the
selectors add them up, so a table can never disagree with its own rows.

A figure belongs to one service, or to a reporting line: services the finance team budgets and
reports together as one line ("Private & Social Housing" covers the Private Housing and Social
Housing services). The council's papers carry such lines and do not split them, so neither do we.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value

from organisation.models import FinancialYear, HeadOfService, Service

# £000 to the nearest £10: the summary prints 0.9 (Policy & Performance, 2011/12).
MONEY = {"max_digits": 12, "decimal_places": 2}
ROUNDING_TOLERANCE = Value(Decimal("0.001"))


class ReportingLine(models.Model):
    """Two or more services of one head of service that the finance team reports as one line."""

    name = models.CharField(
        max_length=120,
        unique=True,
        help_text='Its row label in the budget and savings tables: "Private & Social Housing".',
    )
    head_of_service = models.ForeignKey(
        HeadOfService, on_delete=models.PROTECT, related_name="reporting_lines"
    )
    services = models.ManyToManyField(
        Service, through="ReportingLineService", related_name="reporting_lines"
    )

    class Meta:
        ordering = ["head_of_service__name", "name"]
        verbose_name = "reporting line"

    def __str__(self) -> str:
        return self.name


class ReportingLineService(models.Model):
    reporting_line = models.ForeignKey(
        ReportingLine, on_delete=models.CASCADE, related_name="memberships"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="reporting_line_memberships"
    )

    class Meta:
        ordering = ["reporting_line__name", "service__name"]
        verbose_name = "service in a reporting line"
        verbose_name_plural = "services in reporting lines"
        constraints = [
            # A service in two lines would be counted twice in its head of service's totals.
            models.UniqueConstraint(
                fields=["service"],
                name="budgets_service_in_one_reporting_line",
                violation_error_message="This service is already part of a reporting line.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} in {self.reporting_line}"


class ServiceOrLineFigure(models.Model):
    """A figure recorded against exactly one service or exactly one reporting line."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True)
    reporting_line = models.ForeignKey(
        ReportingLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Instead of a service: the line that covers several services.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False, reporting_line__isnull=True)
                | Q(service__isnull=True, reporting_line__isnull=False),
                name="%(app_label)s_%(class)s_for_service_or_reporting_line",
                violation_error_message="Give either a service or a reporting line, not both.",
            ),
        ]

    @property
    def holder(self) -> Service | ReportingLine:
        return self.service or self.reporting_line


class Budget(ServiceOrLineFigure):
    """The net budget of a service (or reporting line) for a financial year, in £000."""

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="budgets")
    net_budget = models.DecimalField(
        "net budget (£000)",
        **MONEY,
        help_text="Negative when the service's income exceeds its spending.",
    )
    gross_expenditure = models.DecimalField(
        "gross expenditure (£000)", **MONEY, null=True, blank=True
    )
    income = models.DecimalField(
        "income (£000)",
        **MONEY,
        null=True,
        blank=True,
        help_text="As a positive figure: net budget = gross expenditure − income.",
    )
    is_forecast = models.BooleanField(
        "forecast",
        default=False,
        help_text="A medium-term financial plan figure, not yet an approved budget.",
    )

    class Meta:
        ordering = ["year__start_year", "service__name", "reporting_line__name"]
        verbose_name = "budget"
        default_related_name = "budgets"
        constraints = [
            *ServiceOrLineFigure.Meta.constraints,
            models.UniqueConstraint(
                fields=["service", "year"],
                condition=Q(service__isnull=False),
                name="budgets_one_budget_per_service_year",
                violation_error_message="This service already has a budget for this year.",
            ),
            models.UniqueConstraint(
                fields=["reporting_line", "year"],
                condition=Q(reporting_line__isnull=False),
                name="budgets_one_budget_per_line_year",
                violation_error_message="This reporting line already has a budget for this year.",
            ),
            models.CheckConstraint(
                condition=Q(gross_expenditure__isnull=True) | Q(gross_expenditure__gte=0),
                name="budgets_gross_expenditure_not_negative",
                violation_error_message="Gross expenditure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(income__isnull=True) | Q(income__gte=0),
                name="budgets_income_not_negative",
                violation_error_message="Write income as a positive figure.",
            ),
            # Within a thousandth of £000 rather than equal: SQLite keeps decimals as floating
            # point, where 10.3 - 9.4 is not exactly 0.9. Figures have two decimal places, so
            # any real discrepancy (0.01 or more) is still refused.
            models.CheckConstraint(
                condition=Q(gross_expenditure__isnull=True)
                | Q(income__isnull=True)
                | Q(
                    net_budget__gte=F("gross_expenditure") - F("income") - ROUNDING_TOLERANCE,
                    net_budget__lte=F("gross_expenditure") - F("income") + ROUNDING_TOLERANCE,
                ),
                name="budgets_net_is_gross_less_income",
                violation_error_message="The net budget must equal gross expenditure less income.",
            ),
        ]

    def __str__(self) -> str:
        forecast = " (forecast)" if self.is_forecast else ""
        return f"{self.holder} {self.year} net budget {self.net_budget}{forecast}"


class Staffing(ServiceOrLineFigure):
    """Full-time equivalent staff of a service for a financial year (Part 2a)."""

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="staffing")
    fte = models.DecimalField(
        "full-time equivalents",
        max_digits=7,
        decimal_places=2,
        help_text="For a shared service, only the staff this council employs.",
    )

    class Meta:
        ordering = ["year__start_year", "service__name", "reporting_line__name"]
        verbose_name = "staffing (FTE)"
        verbose_name_plural = "staffing (FTE)"
        default_related_name = "staffing"
        constraints = [
            *ServiceOrLineFigure.Meta.constraints,
            models.UniqueConstraint(
                fields=["service", "year"],
                condition=Q(service__isnull=False),
                name="budgets_one_staffing_per_service_year",
                violation_error_message="This service already has staffing for this year.",
            ),
            models.UniqueConstraint(
                fields=["reporting_line", "year"],
                condition=Q(reporting_line__isnull=False),
                name="budgets_one_staffing_per_line_year",
                violation_error_message="This reporting line already has staffing for this year.",
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=0),
                name="budgets_fte_not_negative",
                violation_error_message="Full-time equivalents cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} {self.year} {self.fte} FTE"


class Saving(ServiceOrLineFigure):
    """A line of the savings plan: £000 saved in one financial year or over a span of years.

    A span ("2008/09 to 2009/10") records savings the council reported only as a total for
    those years, as the 2012/13 summary does for 2008-10.
    """

    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed"
        ACHIEVED = "achieved", "Achieved"
        AT_RISK = "at_risk", "At risk"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    # The span's years point at FinancialYear.start_year rather than its id, so that the
    # database itself can check that the span is not reversed (ids need not follow years).
    first_year = models.ForeignKey(
        FinancialYear,
        to_field="start_year",
        db_column="first_year",
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_year = models.ForeignKey(
        FinancialYear,
        to_field="start_year",
        db_column="last_year",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The same as the first year for a saving in a single year.",
    )
    amount = models.DecimalField(
        "amount (£000)",
        **MONEY,
        help_text="Negative when a saving is reversed or a line costs more than before.",
    )
    description = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.AGREED)

    class Meta:
        ordering = ["first_year", "last_year", "service__name", "reporting_line__name", "id"]
        verbose_name = "saving"
        default_related_name = "savings"
        constraints = [
            *ServiceOrLineFigure.Meta.constraints,
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="budgets_saving_span_not_reversed",
                violation_error_message="The last year cannot come before the first year.",
            ),
            models.UniqueConstraint(
                fields=["service", "first_year", "last_year", "description"],
                condition=Q(service__isnull=False),
                name="budgets_one_saving_per_service_period_description",
                violation_error_message="This service already has this saving for this period.",
            ),
            models.UniqueConstraint(
                fields=["reporting_line", "first_year", "last_year", "description"],
                condition=Q(reporting_line__isnull=False),
                name="budgets_one_saving_per_line_period_description",
                violation_error_message=(
                    "This reporting line already has this saving for this period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} {self.period_label}: {self.description}"

    @property
    def is_span(self) -> bool:
        return self.first_year_id != self.last_year_id

    @property
    def period_label(self) -> str:
        # The foreign keys hold start years, so the labels need no query.
        first = FinancialYear(start_year=self.first_year_id).label
        if not self.is_span:
            return first
        return f"{first} to {FinancialYear(start_year=self.last_year_id).label}"


class BudgetRisk(models.Model):
    """A budget risk a head of service reports for a year (Part 3c), in the order given."""

    head_of_service = models.ForeignKey(
        HeadOfService, on_delete=models.PROTECT, related_name="budget_risks"
    )
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="budget_risks")
    title = models.CharField(
        max_length=200, blank=True, help_text='What is at risk, e.g. "Housing - Homeless".'
    )
    text = models.TextField(help_text="The risk and why, as the head of service reports it.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year__start_year", "head_of_service__name", "position", "id"]
        verbose_name = "budget risk"
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="budgets_budget_risk_has_text",
                violation_error_message="Describe the risk.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]
