"""Identifiers: last four digits and a keyed hash, never the number."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clts.core.identifiers import identifier_digits, identifier_hash


def mask(number: str, *, field: str, pattern: str = r"[0-9A-Z]{4,30}") -> tuple[str, str]:
    """(last four, keyed hash) of an identifier; ("", "") for an empty one."""
    digits = identifier_digits(number)
    if not digits:
        return "", ""
    if not re.fullmatch(pattern, digits):
        raise ValidationError({field: _("Enter the number as written, digits and letters only.")})
    return digits[-4:], identifier_hash(digits)


def aadhaar_mask(number: str, *, field: str = "aadhaar_number") -> tuple[str, str]:
    digits = identifier_digits(number)
    if digits and not re.fullmatch(r"[0-9]{12}", digits):
        raise ValidationError({field: _("An Aadhaar number has 12 digits.")})
    return mask(digits, field=field)
