"""Identity numbers (Aadhaar, bank accounts, ration cards): kept as the last four characters and a keyed hash.

The number itself is never stored. Equal numbers give equal hashes, so an earlier record with the same Aadhaar is
found; the hash cannot be read back without settings.IDENTIFIER_HASH_KEY.
"""

import hashlib
import hmac
import re

from django.conf import settings

_SEPARATORS = re.compile(r"[\s-]")


def identifier_digits(number: str) -> str:
    """The number as typed, without the spaces and hyphens people write into it (1234 5678 ..., 1234-5678-...)."""
    return _SEPARATORS.sub("", number or "").upper()


def identifier_hash(number: str) -> str:
    """HMAC-SHA256 of the number's characters under settings.IDENTIFIER_HASH_KEY."""
    key = settings.IDENTIFIER_HASH_KEY.encode()
    return hmac.new(key, identifier_digits(number).encode(), hashlib.sha256).hexdigest()
