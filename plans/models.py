"""The council's organisation and its service plans.

Organisation: financial years, directorates, heads of service, services, committees and which
committee reviews which service; corporate priorities. Plans: one service plan per service, year
and version, with its narrative sections and repeating parts (objectives, actions and their
milestones, projects, risks, consultations, other work-streams).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation import references
from organisation.models import Committee, FinancialYear, MonitoringPoint, Priority, Service

# The history reason of every row a revision or roll-forward copies (plans.workflow): the plan's
# history shows the copy as one event, not an "Added" per part (plans.selectors.plan_history).
COPY_REASON = "copied"


class ServicePlanQuerySet(models.QuerySet):
    def published(self) -> "ServicePlanQuerySet":
        return self.filter(status=ServicePlan.Status.PUBLISHED)


class ServicePlan(models.Model):
    """One service's plan for one financial year. A revision is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    # Statuses of the one version that is still being worked on.
    WORKING_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED)
    # Only these may be changed; a submitted plan is frozen while the head of service reads it.
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="plans")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    introduction = models.TextField(
        "introduction and strategic direction",
        blank=True,
        help_text="Where the service fits, its core purpose and where it is heading.",
    )
    key_achievements = models.TextField(
        "key achievements last year", blank=True, help_text="What the service delivered."
    )
    structure = models.TextField(
        blank=True, help_text="Who is in charge and the lines of authority and responsibility."
    )
    structure_changes = models.TextField(
        blank=True, help_text="Changes in the past year or expected this year, and why."
    )
    benchmarking = models.TextField(
        "benchmarking and value for money",
        blank=True,
        help_text="How you know the service offers value for money; comparison with others.",
    )
    customer_impact = models.TextField(blank=True)
    efficiency_measures = models.TextField(blank=True)

    endorsed_by = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="endorsed_plans",
        help_text="The committee or meeting that endorsed the published plan.",
    )
    endorsed_on = models.DateField(null=True, blank=True, help_text="Date of that meeting.")
    rolled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rolled_into",
        help_text="The plan this one was copied from: last year's, or the version it revises.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServicePlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year", "service__name", "version"]
        verbose_name = "service plan"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "version"],
                name="plans_one_plan_per_service_year_version",
                violation_error_message="This service already has this version for the year.",
            ),
            models.UniqueConstraint(
                fields=["service", "year"],
                condition=Q(status="published"),
                name="plans_one_published_plan_per_service_year",
                violation_error_message="Only one version of a year's plan can be published.",
            ),
            models.UniqueConstraint(
                fields=["service", "year"],
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="plans_one_working_version_per_service_year",
                violation_error_message="A version of this plan is already being worked on.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="plans_plan_version_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "superseded"])
                | Q(endorsed_by__isnull=False, endorsed_on__isnull=False),
                name="plans_published_plan_records_endorsement",
                violation_error_message=(
                    "A published plan records the committee and meeting date that endorsed it."
                ),
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.service} {self.year}"
        return f"{name} ({self.revision_label})" if self.revision_label else name

    @property
    def revision_label(self) -> str:
        """How people tell a revision from the plan it revises: by its date, never by its
        number ("revised on 11 October 2012", the meeting that endorsed it; before that
        "revision started on 3 October 2012"). Empty for a year's first plan. The number stays
        in the data (the API, the open data) for programs."""
        if self.version <= 1:
            return ""
        if self.endorsed_on:
            return f"revised on {self.endorsed_on:%-d %B %Y}"
        if self.created_at:
            return f"revision started on {timezone.localdate(self.created_at):%-d %B %Y}"
        return "revision"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class PlanEvent(models.Model):
    """A step of the plan's workflow: who did what, when, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        ROLLED_FORWARD = "rolled_forward", "Rolled forward"
        SUBMITTED = "submitted", "Submitted for approval"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        REVISED = "revised", "Revision started"
        SUPERSEDED = "superseded", "Superseded"

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "plan event"

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_kind_display()}"


class PlanPart(models.Model):
    """A repeating part of a plan, kept in the order the officer chose."""

    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class ReferencedPart(PlanPart):
    """A part members follow across years by its stable reference ("LIC-A03"): numbered after
    the service when first saved, never reused, and kept by revision and roll-forward."""

    KIND = ""  # "action", "project" or "risk": organisation.references.KIND_LETTERS

    reference = models.CharField(
        max_length=20,
        blank=True,
        db_index=True,
        help_text="Stable reference, kept across years. Blank: the next number.",
    )

    class Meta(PlanPart.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = self._next_reference()
        super().save(*args, **kwargs)

    def _next_reference(self) -> str:
        service = Service.objects.only("code").get(
            pk=ServicePlan.objects.values("service_id").get(pk=self.plan_id)["service_id"]
        )
        used = type(self).objects.filter(plan__service=service).values_list("reference", flat=True)
        highest = max((references.number_of(r) or 0 for r in used), default=0)
        return references.part_reference(service.code, self.KIND, highest + 1)


class Objective(PlanPart):
    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.TextField()
    is_key = models.BooleanField(
        "key objective",
        default=False,
        help_text="Key objectives appear in the committee summary of service plans.",
    )
    priorities = models.ManyToManyField(Priority, related_name="objectives", blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = "objective"

    def __str__(self) -> str:
        return self.title


class Action(ReferencedPart):
    KIND = "action"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        COMPLETED = "completed", "Completed"
        DEFERRED = "deferred", "Deferred"

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The plan objective this action delivers.",
    )
    title = models.TextField()
    priorities = models.ManyToManyField(Priority, related_name="actions", blank=True)
    responsible_officer = models.CharField(max_length=120, blank=True)
    success_measure = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    risk = models.TextField(blank=True, help_text="What could stop the action being delivered.")
    resource_implications = models.TextField(blank=True)
    customer_impact = models.TextField(blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = "action"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="plans_action_reference_unique_in_plan"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(
        max_length=24,
        blank=True,
        db_index=True,
        help_text="Its action's reference and a number (LIC-A03.1). Blank: the next number.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "due_date", "id"]
        verbose_name = "milestone"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "reference"], name="plans_milestone_reference_unique_in_action"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.reference:
            action = Action.objects.only("reference").get(pk=self.action_id)
            used = Milestone.objects.filter(action=action).values_list("reference", flat=True)
            highest = max((int(r.rsplit(".", 1)[1]) for r in used if "." in r), default=0)
            self.reference = references.milestone_reference(action.reference, highest + 1)
        super().save(*args, **kwargs)


class Project(ReferencedPart):
    """A high-risk, high-profile or high-impact project or development."""

    KIND = "project"

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(max_length=300)
    accountable_manager = models.CharField(max_length=120, blank=True)
    deliverables = models.TextField("deliverables or outcomes", blank=True)
    target_date = models.DateField("target date of delivery", null=True, blank=True)
    is_capital = models.BooleanField(
        "capital project",
        default=False,
        help_text="Capital projects are subject to a gateway review before they start.",
    )
    is_high_risk = models.BooleanField("high risk", default=False)
    is_high_profile = models.BooleanField("high profile", default=False)
    is_high_impact = models.BooleanField("high impact", default=False)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        help_text="The corporate priority it supports.",
    )

    class Meta(PlanPart.Meta):
        verbose_name = "project"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="plans_project_reference_unique_in_plan"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Risk(ReferencedPart):
    KIND = "risk"

    class Category(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        OPERATIONAL = "operational", "Operational"
        FINANCIAL = "financial", "Financial"
        REPUTATIONAL = "reputational", "Reputational"
        LEGAL = "legal", "Legal and regulatory"
        PARTNERSHIP = "partnership", "Partnership"
        PEOPLE = "people", "People"

    SCALE = [MinValueValidator(1), MaxValueValidator(5)]

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    category = models.CharField(max_length=12, choices=Category.choices)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (rare) to 5.")
    impact = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (minor) to 5.")
    owner = models.CharField(max_length=120, blank=True)
    mitigation = models.TextField(blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = "risk"
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5),
                name="plans_risk_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="plans_risk_impact_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["plan", "reference"], name="plans_risk_reference_unique_in_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> str:
        return risk_rating(self.score)


def risk_rating(score: int) -> str:
    """High, medium or low on the usual 5 × 5 matrix."""
    if score >= 15:
        return "High"
    if score >= 8:
        return "Medium"
    return "Low"


class Consultation(PlanPart):
    """Planned resident or user involvement: the columns of the consultation table."""

    class Type(models.TextChoices):
        BUSINESS = "business", "Business"
        COUNCIL = "council", "Council"
        ENVIRONMENT = "environment", "Environment"
        SOCIAL = "social", "Social"
        COMMUNITY = "community", "Community"
        EDUCATION = "education", "Education"
        LEISURE = "leisure", "Leisure"
        TRANSPORT = "transport", "Transport"

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="consultations")
    name = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    feedback_date = models.DateField(null=True, blank=True)
    target_group = models.CharField(max_length=200, blank=True)
    target_area = models.CharField(max_length=200, blank=True)
    summary = models.TextField("brief summary", blank=True)
    purpose = models.TextField("what we want to find out and how it will be used", blank=True)
    is_statutory = models.BooleanField("statutory", default=False)
    consultation_type = models.CharField(max_length=12, choices=Type.choices, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = "consultation"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="plans_consultation_ends_after_start",
                violation_error_message="A consultation cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkStream(PlanPart):
    """Key in-year work that does not fit an indicator or an action."""

    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="work_streams")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_officer = models.CharField(max_length=120, blank=True)
    target_date = models.DateField(null=True, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = "other work-stream"

    def __str__(self) -> str:
        return self.title


def evidence_path(update: "ProgressUpdate", filename: str) -> str:
    # A random name: the officer's file name is kept in evidence_name, never used as a path.
    return f"evidence/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ProgressUpdate(models.Model):
    """Progress on one item of a published plan as at a monitoring point, recorded beside the
    plan (never by changing it): an action, milestone or project's status, or a risk re-scored.

    An item is named by its service and stable reference, not by its row, so that a revision
    of the plan (new rows, same references) keeps the year's progress. Each update is a record;
    the latest for an item is its progress (plans.progress reads and writes them).
    """

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        MILESTONE = "milestone", "Milestone"
        PROJECT = "project", "Project"
        RISK = "risk", "Risk"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(
        MonitoringPoint,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name="monitoring point",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reference = models.CharField(max_length=24)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        "% complete", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    commentary = models.TextField(blank=True)
    commentary_internal = models.BooleanField(
        "commentary is internal",
        default=False,
        help_text="Kept from public pages and the open data; members and staff still read it.",
    )
    completed_on = models.DateField(
        null=True, blank=True, help_text="For a milestone: the day it was completed."
    )
    likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=Risk.SCALE, help_text="For a risk: 1 (rare) to 5."
    )
    impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=Risk.SCALE, help_text="For a risk: 1 (minor) to 5."
    )
    evidence_link = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField(
        max_length=200, blank=True, help_text="The evidence file's name as uploaded."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    head_comment = models.TextField("head of service's comment", blank=True)
    head_comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    head_comment_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "progress update"
        indexes = [models.Index(fields=["service", "reference"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="risk") & Q(status="") & Q(likelihood__gte=1, impact__gte=1))
                | (~Q(kind="risk") & ~Q(status="") & Q(likelihood=None, impact=None)),
                name="plans_progress_status_or_risk_scores",
                violation_error_message="A risk is re-scored; any other item has a status.",
            ),
            models.CheckConstraint(
                condition=Q(likelihood=None) | Q(likelihood__lte=5),
                name="plans_progress_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(impact=None) | Q(impact__lte=5),
                name="plans_progress_impact_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete=None) | Q(percent_complete__lte=100),
                name="plans_progress_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} at {self.point.name}"

    @property
    def score(self) -> int | None:
        return self.likelihood * self.impact if self.likelihood and self.impact else None


class RollForwardJob(models.Model):
    """Rolling a year's plans forward in the background: opening the round (every published
    plan of the year before without a plan for the year yet) or the round page's "roll forward
    the selected". The worker (plans.rounds.roll_forward_job) keeps the counts and failures up
    to date for the round page; each plan is its own transaction."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped with an error"

    year = models.ForeignKey(
        FinancialYear, on_delete=models.CASCADE, related_name="roll_forward_jobs"
    )
    # The services asked for; empty: every service with a published plan the year before.
    service_ids = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    rolled = models.PositiveIntegerField(default=0)
    # [{"service": "Licensing", "reason": "…"}], one for each plan not rolled forward.
    failures = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "roll-forward job"

    def __str__(self) -> str:
        return f"Roll forward to {self.year} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
