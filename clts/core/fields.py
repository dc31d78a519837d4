"""Model fields declared alike in many models."""

from django.conf import settings
from django.db import models


def user_key(verbose_name, *, related_name: str = "+") -> models.ForeignKey:
    """The user who recorded or decided something, empty until then; a user with records is never deleted (PROTECT),
    only deactivated."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )
