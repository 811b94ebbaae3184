"""Notifications (what someone is told, in the product), the emails that carry them, and each
person's preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisation.models import Committee


class Kind(models.TextChoices):
    PLAN_SUBMITTED = "plan-submitted", "Plan submitted for approval"
    PLAN_RETURNED = "plan-returned", "Plan returned"
    PLAN_APPROVED = "plan-approved", "Plan approved"
    PLAN_PUBLISHED = "plan-published", "Plan published"
    REPORT_PUBLISHED = "report-published", "Report published"
    FIGURES_DUE = "figures-due", "Figures due"
    PROGRESS_DUE = "progress-due", "Progress updates due"
    PLAN_DUE = "plan-due", "Plan to submit"
    APPROVAL_DUE = "approval-due", "Plan to approve"
    SIGN_OFF_DUE = "sign-off-due", "Figures to sign off"


# Reminders go in the day's digest unless the person asked for immediate mail; the rest are
# workflow and news, sent at once.
REMINDER_KINDS = frozenset(
    {Kind.FIGURES_DUE, Kind.PROGRESS_DUE, Kind.PLAN_DUE, Kind.APPROVAL_DUE, Kind.SIGN_OFF_DUE}
)
# What a person may stop receiving by email (the unsubscribe link): news of what others did.
# Reminders and the steps of a person's own plans are their work, not an option.
OPTIONAL_KINDS = frozenset({Kind.PLAN_APPROVED, Kind.PLAN_PUBLISHED, Kind.REPORT_PUBLISHED})


class Preference(models.Model):
    """How a person wants to be told. A person without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    immediate = models.BooleanField(
        "email reminders as they happen",
        default=False,
        help_text="Otherwise reminders come in one email a day.",
    )
    muted = models.JSONField(
        default=list, blank=True, help_text="Optional kinds of notification not wanted by email."
    )
    committees = models.ManyToManyField(
        Committee,
        blank=True,
        related_name="followers",
        help_text="Committees whose published plans and reports the person is told of.",
    )

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class Email(models.Model):
    """An email to one person: one notification, or a day's digest of reminders. Kept until
    sent; a failed attempt is recorded and tried again by the next run of the job."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to = models.EmailField(help_text="The address it was sent to.")
    subject = models.CharField(max_length=300)
    is_digest = models.BooleanField(default=False)
    day = models.DateField(help_text="The day it was made for.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"],
                condition=Q(is_digest=True),
                name="notifications_one_digest_a_day",
                violation_error_message="This person already has a digest for the day.",
            )
        ]
        indexes = [
            # The job's "what is still to send".
            models.Index(fields=["sent_at", "attempts"], name="notifications_email_unsent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class Notification(models.Model):
    """One thing one person is told: in the product always, by email if they have an address.

    `about` names what it concerns ("figures:12:2012-09-30": a service's figures for a period)
    and `stage` how far along it is ("due-soon", "overdue-2", a workflow event's id): a person
    is told each (about, stage) once, however often the job runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    about = models.CharField(max_length=120)
    stage = models.CharField(max_length=40, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="A path in the product.")
    reason = models.CharField(max_length=300, help_text="Why this person was told.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        Email, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "about", "stage"],
                name="notifications_told_once",
                violation_error_message="This person has already been told this.",
            )
        ]
        indexes = [
            # The header's unread count and the person's list.
            models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx"),
            # The chasing page's "last reminder sent" for each late item.
            models.Index(fields=["about", "created_at"], name="notifications_about_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_reminder(self) -> bool:
        return self.kind in REMINDER_KINDS

    @property
    def is_optional(self) -> bool:
        return self.kind in OPTIONAL_KINDS
