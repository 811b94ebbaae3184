"""What the reports store: the covering report's narrative a policy team writes, and the reports
rendered in the background and kept in storage (committee packs, published plans' PDFs).

The models moved here from the plans app and kept their tables (plans_coveringreport,
plans_generatedreport and plans_generatedreport_covers): see migrations/0001.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from organisation.models import Committee, FinancialYear
from plans.models import ServicePlan


class CoveringReport(models.Model):
    """The covering report that takes a year's service plans to Cabinet or Council (as councils
    000-002): the narrative the policy team writes, with the abridged plans appended."""

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="covering_reports",
        help_text="The meeting the report goes to: Cabinet, Executive or Council.",
    )
    meeting_date = models.DateField()
    agenda_item = models.CharField(max_length=20, blank=True, help_text='e.g. "22" or "5e".')
    title = models.CharField(max_length=200, help_text='e.g. "Service plans 2012/13".')
    report_of = models.CharField(
        max_length=200, help_text='Who presents it, e.g. "Head of Policy and Performance".'
    )
    lead_member = models.CharField(
        "lead member", max_length=200, blank=True, help_text="The portfolio holder, if any."
    )
    decision = models.CharField(
        max_length=100, blank=True, help_text='e.g. "Council decision" or "Key decision".'
    )
    wards_affected = models.CharField(max_length=200, default="All")
    purpose = models.TextField("purpose of report")
    recommendations = models.TextField(help_text="One recommendation a line; they are numbered.")
    reasons = models.TextField("reasons for the recommendations", blank=True)
    background = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    risk_assessment = models.TextField(blank=True)
    consultation_and_customer_impact = models.TextField(blank=True)
    policy_implications = models.TextField(blank=True)
    other_considerations = models.TextField(
        blank=True,
        help_text="Equalities, crime and disorder, environment, human rights, and so on.",
    )
    contact_name = models.CharField("contact officer", max_length=120)
    contact_title = models.CharField("contact officer's job title", max_length=200, blank=True)
    contact_phone = models.CharField("contact telephone", max_length=40, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    background_papers = models.TextField(blank=True, help_text="One paper a line.")
    include_abridged_plans = models.BooleanField(
        "append the abridged plans",
        default=True,
        help_text="Key objectives and their actions from each published plan of the year.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "plans_coveringreport"
        ordering = ["-meeting_date", "committee__name", "agenda_item"]
        verbose_name = "covering report"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "meeting_date", "title"],
                name="plans_one_covering_report_per_meeting_and_title",
                violation_error_message="This meeting already has a report with this title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.committee}, {self.meeting_date:%d %B %Y}"


def _report_upload_to(instance: "GeneratedReport", filename: str) -> str:
    # Files are looked up through their row, never by a guessable path.
    return f"reports/{instance.report}/{filename}"


class GeneratedReport(models.Model):
    """A report rendered in the background and kept in storage: a committee pack someone asked
    for, or the PDF of a published plan, rendered once when it was published."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being generated"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    report = models.CharField(max_length=40, help_text="The report's slug.")
    title = models.CharField(max_length=300)
    parameters = models.JSONField(default=dict, blank=True, help_text="The report form's data.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=_report_upload_to, blank=True, max_length=300)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")
    plan = models.ForeignKey(
        ServicePlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stored_pdfs",
        help_text="Set for the stored PDF of a published plan.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was made available to members."
    )
    # Residents get a report only when an administrator releases it (tasks.release_to_residents):
    # the file is the members' edition, which may hold what the public pages never show.
    released_to_residents_at = models.DateTimeField(
        "released to residents",
        null=True,
        blank=True,
        help_text="When an administrator made it available on the public pages for residents.",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Filled when the render finishes (reports.tasks.generate_report), from the report's
    # plans_covered() and unpublished_content(): which plan versions the file shows, and what
    # it showed that members may not read. Either keeps it from being published to members.
    covers = models.ManyToManyField(
        ServicePlan,
        blank=True,
        related_name="reports_covering",
        help_text="The plan versions the rendered report shows.",
    )
    unpublished_at_render = models.JSONField(
        default=list,
        blank=True,
        help_text="What the rendered report includes that was not published when it was made.",
    )
    # reports.base.fingerprint of what was rendered: a later render of the same report with the
    # same fingerprint reuses this file instead of laying the pages out again.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # reports.base.content_fingerprint: the content alone, whatever laid it out. A released
    # report made again keeps its release while this is unchanged (reports.tasks).
    content_fingerprint = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "plans_generatedreport"  # and its `covers`, plans_generatedreport_covers
        ordering = ["-requested_at", "-id"]
        verbose_name = "generated report"
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(plan__isnull=False),
                name="plans_one_stored_pdf_per_plan",
                violation_error_message="This plan already has its stored PDF.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="plans_report_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="plans_ready_report_has_a_file",
            ),
            models.CheckConstraint(
                condition=Q(released_to_residents_at__isnull=True) | Q(published_at__isnull=False),
                name="reports_released_report_is_published_to_members",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
