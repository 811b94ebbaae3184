"""The council's organisation: financial years, directorates, heads of service, services,
committees and which committee reviews which service, and corporate priorities.

Everything else in the product hangs off these. The tables keep the names they were created
with (plans_…) when this was part of the plans app: moving the models changed no table.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from organisation import references, years


class FinancialYear(models.Model):
    """1 April to 31 March, named like "2012/13". Exactly one year may be the current one.
    Administrators set when its plans are due (reporting_calendar.plan_deadlines)."""

    start_year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The calendar year the financial year starts in: 2012 for 2012/13.",
    )
    is_current = models.BooleanField(
        default=False, help_text="The year officers plan and report against by default."
    )
    plans_due = models.DateField(
        "plans submitted by",
        null=True,
        blank=True,
        help_text="When the year's service plans must be submitted to heads of service.",
    )
    approvals_due = models.DateField(
        "plans approved by",
        null=True,
        blank=True,
        help_text="When heads of service must have approved the year's service plans.",
    )

    class Meta:
        db_table = "plans_financialyear"
        ordering = ["start_year"]
        verbose_name = "financial year"
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="plans_one_current_financial_year",
                violation_error_message="Only one financial year can be the current one.",
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, start_year__lte=2100),
                name="plans_financial_year_start_in_range",
            ),
            models.CheckConstraint(
                condition=Q(plans_due__isnull=True)
                | Q(approvals_due__isnull=True)
                | Q(approvals_due__gte=F("plans_due")),
                name="organisation_plans_approved_not_before_submitted",
                violation_error_message="Plans cannot be due for approval before submission.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.plans_due and self.approvals_due and self.approvals_due < self.plans_due:
            raise ValidationError(
                {"approvals_due": "Plans cannot be due for approval before they are submitted."}
            )

    @property
    def label(self) -> str:
        return years.label_for(self.start_year)

    @property
    def start_date(self) -> datetime.date:
        return years.start_date(self.start_year)

    @property
    def end_date(self) -> datetime.date:
        return years.end_date(self.start_year)


class Directorate(models.Model):
    """Optional tier above heads of service in larger councils."""

    name = models.CharField(max_length=120, unique=True)
    director = models.CharField(max_length=120, blank=True, help_text="Name of the director.")

    class Meta:
        db_table = "plans_directorate"
        ordering = ["name"]
        verbose_name = "directorate"

    def __str__(self) -> str:
        return self.name


class HeadOfService(models.Model):
    """A head of service's portfolio ("Finance & HR") and the officer who leads it."""

    name = models.CharField(
        max_length=120, unique=True, help_text='The portfolio, e.g. "Finance & HR".'
    )
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads_of_service",
    )
    officer_name = models.CharField(
        max_length=120, blank=True, help_text="Name of the officer who leads the portfolio."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headships",
        help_text="The account that approves this portfolio's plans.",
    )

    class Meta:
        db_table = "plans_headofservice"
        ordering = ["name"]
        verbose_name = "head of service"
        verbose_name_plural = "heads of service"

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    class Kind(models.TextChoices):
        SELECT = "select", "Select committee"
        CABINET = "cabinet", "Cabinet / Executive"
        COUNCIL = "council", "Full Council"
        OTHER = "other", "Other committee"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SELECT)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the committee's column in the guidance matrix."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="committees",
        blank=True,
        help_text="Councillors who sit on it: their home page shows its latest reports.",
    )

    class Meta:
        db_table = "plans_committee"
        ordering = ["position", "name"]
        verbose_name = "committee"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        max_length=10,
        unique=True,
        blank=True,
        help_text="Short letters that start the references of its actions, projects and risks "
        '("LIC" for LIC-A03). Blank: made from the name. Keep it once set: members follow '
        "items across years by their references.",
    )
    head_of_service = models.ForeignKey(
        HeadOfService, on_delete=models.PROTECT, related_name="services"
    )
    is_shared = models.BooleanField(
        "shared service",
        default=False,
        help_text="Delivered jointly with another council or body.",
    )
    shared_with = models.CharField(
        "shared with",
        max_length=200,
        blank=True,
        help_text="The partner(s) of a shared service.",
    )
    committees = models.ManyToManyField(
        Committee, through="CommitteeReview", related_name="services", blank=True
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="edited_services",
        blank=True,
        help_text="Officers who may edit this service's plans and enter its figures.",
    )

    class Meta:
        db_table = "plans_service"
        ordering = ["head_of_service__name", "name"]
        verbose_name = "service"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_shared=True) | Q(shared_with=""),
                name="plans_service_partner_only_when_shared",
                violation_error_message="Only a shared service can name a partner.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            taken = set(Service.objects.exclude(pk=self.pk).values_list("code", flat=True))
            self.code = references.service_code(self.name, taken)
        super().save(*args, **kwargs)


class CommitteeReview(models.Model):
    """A committee reviews a service, possibly only part of it ("Street Cleaning")."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reviews")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="reviews")
    scope_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="The part of the service this committee reviews, if not all of it.",
    )

    class Meta:
        db_table = "plans_committeereview"
        ordering = ["committee__position", "committee__name", "service__name"]
        verbose_name = "committee review"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "committee"],
                name="plans_one_review_per_service_committee",
                violation_error_message="This committee already reviews this service.",
            ),
        ]

    def __str__(self) -> str:
        scope = f" ({self.scope_note})" if self.scope_note else ""
        return f"{self.committee} reviews {self.service}{scope}"


class Priority(models.Model):
    """A corporate plan priority, grouped under a theme, for a span of financial years."""

    code = models.CharField(max_length=20, unique=True, help_text='Short reference, e.g. "P3".')
    theme = models.CharField(max_length=120, help_text="The corporate plan theme it belongs to.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    first_year = models.PositiveSmallIntegerField(
        help_text="Start year of the first financial year it covers: 2011 for 2011/12."
    )
    last_year = models.PositiveSmallIntegerField(
        help_text="Start year of the last financial year it covers: 2014 for 2014/15."
    )

    class Meta:
        db_table = "plans_priority"
        ordering = ["code"]
        verbose_name = "corporate priority"
        verbose_name_plural = "corporate priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="plans_priority_span_not_reversed",
                violation_error_message="The last year cannot come before the first year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def span_label(self) -> str:
        return f"{years.label_for(self.first_year)} to {years.label_for(self.last_year)}"


class MonitoringPoint(models.Model):
    """A point in the year at which progress and figures are reported to members: "Half-year",
    as at 30 September, due by 31 October. Set by administrators for each year
    (reporting_calendar makes the council's usual ones)."""

    year = models.ForeignKey(
        FinancialYear, on_delete=models.CASCADE, related_name="monitoring_points"
    )
    name = models.CharField(max_length=60, help_text='e.g. "Quarter 1" or "Half-year".')
    as_at = models.DateField(
        "reports as at", help_text="The last day of the month the monitoring reports as at."
    )
    due_date = models.DateField(help_text="When progress updates for it are due.")

    class Meta:
        db_table = "organisation_monitoringpoint"
        ordering = ["as_at"]
        verbose_name = "monitoring point"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "as_at"],
                name="organisation_one_monitoring_point_per_month",
                violation_error_message="The year already has a monitoring point as at this month.",
            ),
            models.UniqueConstraint(
                fields=["year", "name"],
                name="organisation_monitoring_point_names_unique_in_year",
                violation_error_message="The year already has a monitoring point of this name.",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("as_at")),
                name="organisation_monitoring_point_due_after_as_at",
                violation_error_message="Updates cannot be due before the date they report as at.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year} (as at {self.as_at:%-d %B %Y})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.as_at
            and self.year_id
            and not (self.year.start_date <= self.as_at <= self.year.end_date)
        ):
            raise ValidationError({"as_at": f"The date must fall within {self.year}."})


class SignOnIdentity(models.Model):
    """Which person at the single sign-on provider an account belongs to: the ID token's
    issuer and subject, linked at their first sign-in (organisation.oidc). Found by it, a
    person keeps their account when their email address changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked = models.DateTimeField(auto_now_add=True)
    last_signed_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username", "issuer"]
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="organisation_one_account_per_sign_on_subject"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="organisation_one_sign_on_subject_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"


class CouncilSettings(models.Model):
    """The council this installation serves: its name, logo and report colour, the contact
    printed on the accessibility statement and on reports, and its reporting defaults. One row
    (id 1), edited by administrators on the settings page; the environment's values
    (settings.COUNCIL_NAME, …) are its first values. Read it through
    organisation.council.council_settings(), which caches it."""

    class Cadence(models.TextChoices):
        HALF_YEARLY = "half-yearly", "Half-yearly: September and March"
        QUARTERLY = "quarterly", "Quarterly: June, September, December and March"

    class BankHolidays(models.TextChoices):
        ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(
        "council's name",
        max_length=120,
        blank=True,
        help_text="As printed on every page and report, for example Riverside Borough Council.",
    )
    logo = models.BinaryField("logo", blank=True, default=b"", editable=False)
    logo_type = models.CharField(
        max_length=20, blank=True, editable=False, help_text="image/png or image/jpeg; blank: none."
    )
    report_colour = models.CharField(
        max_length=7,
        default="#1d4e89",
        help_text="Headings and table headers of reports, in white text on it: #rrggbb.",
    )
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact telephone", max_length=40, blank=True)
    contact_address = models.TextField(
        "contact postal address",
        max_length=300,
        blank=True,
        help_text="Printed on the accessibility statement and on reports.",
    )
    # The accessibility statement is the council's: only it knows when it prepared, reviewed and
    # tested it, so these dates are its to give (the statement says when they are missing).
    accessibility_prepared_on = models.DateField(
        "accessibility statement prepared on",
        null=True,
        blank=True,
        help_text="The date the council first prepared its accessibility statement.",
    )
    accessibility_reviewed_on = models.DateField(
        "accessibility statement last reviewed on",
        null=True,
        blank=True,
        help_text="Review the statement at least once a year and when the service changes.",
    )
    accessibility_tested_on = models.DateField(
        "service last tested for accessibility on",
        null=True,
        blank=True,
        help_text="The council's own check of the pages and reports against WCAG 2.2 AA.",
    )
    monitoring_cadence = models.CharField(
        "progress reported to members",
        max_length=12,
        choices=Cadence,
        default=Cadence.HALF_YEARLY,
        help_text="The monitoring points a new year starts with; each year's can be changed.",
    )
    figures_due_working_days = models.PositiveSmallIntegerField(
        "figures due, working days after the period",
        default=10,
        validators=[MaxValueValidator(60)],
        help_text="0: on the period's last day.",
    )
    bank_holidays = models.CharField(
        "bank holidays of",
        max_length=20,
        choices=BankHolidays,
        default=BankHolidays.ENGLAND_AND_WALES,
        help_text="Working days skip weekends and these.",
    )
    public_pages = models.BooleanField(
        "public pages for residents",
        default=False,
        help_text="Residents see, without signing in, the published plans, performance, "
        "reports and open data. Off until you turn it on.",
    )
    public_shows_provisional = models.BooleanField(
        "show figures not yet signed off",
        default=False,
        help_text="On public pages and in the open data. Off: only signed-off figures.",
    )
    public_shows_names = models.BooleanField(
        "show officers' names",
        default=False,
        help_text="Heads of service and action owners, on public pages and in the open data. "
        "Off: their job titles or services only.",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "council settings"
        verbose_name_plural = "council settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="organisation_one_council_settings"),
            models.CheckConstraint(
                condition=Q(report_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="organisation_report_colour_is_hex",
            ),
            models.CheckConstraint(
                condition=Q(figures_due_working_days__lte=60),
                name="organisation_figures_due_at_most_60_working_days",
            ),
            models.CheckConstraint(
                condition=Q(accessibility_reviewed_on__gte=F("accessibility_prepared_on"))
                | Q(accessibility_reviewed_on__isnull=True)
                | Q(accessibility_prepared_on__isnull=True),
                name="organisation_accessibility_reviewed_after_prepared",
                violation_error_message="The statement cannot be reviewed before it was prepared.",
            ),
        ]

    def __str__(self) -> str:
        return self.name or "Council settings"


class ImportLog(models.Model):
    """An import made from the web (the imports page, the users import) or by the users
    command: who, when, which file, what it did."""

    kind = models.CharField(max_length=30)
    filename = models.CharField(max_length=255)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField()
    summary = models.TextField(help_text="What it created, changed and removed, in words.")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.at:%d %b %Y %H:%M})"
