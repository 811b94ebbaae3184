"""What the pages across domains keep: the log of imports made from the web."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportLog(models.Model):
    """An import an administrator confirmed on the imports page: who, when, which file, what it
    did."""

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
