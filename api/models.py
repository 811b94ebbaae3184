"""Personal tokens for the read API: a person's own key to read what they may read.

The secret is shown once, when the token is made; only its SHA-256 is kept. The first
characters (the prefix) are kept in clear to find the row and to tell tokens apart in the list.
"""

from django.conf import settings
from django.db import models


class PersonalToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What it is for, e.g. “Power BI”.")
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField("SHA-256 of the secret", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "personal API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
