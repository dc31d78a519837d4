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


def place_key(to: str, verbose_name, **options) -> models.ForeignKey:
    """An optional place (a state, district or block of `clts.geo`): a place with records is never deleted
    (PROTECT), and nothing is reached back from it (no reverse accessor). `options` adds to or overrides these, e.g.
    `db_index=False` where a composite index led by the column serves its lookups, or a `help_text`."""
    return models.ForeignKey(
        to,
        **{
            "on_delete": models.PROTECT,
            "null": True,
            "blank": True,
            "related_name": "+",
            "verbose_name": verbose_name,
        }
        | options,
    )
