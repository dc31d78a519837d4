"""What the officer has typed about a child, in the form the matching engine (clts.matching) compares.

The engine itself (names across scripts, comparisons, the trained model, blocking keys) lives in clts.matching;
this module only turns the registration form's particulars into its record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from clts.core.identifiers import identifier_hash
from clts.matching.names import name_key  # noqa: F401  (rescue's name search and registration read it here)
from clts.matching.records import Record


@dataclass
class Particulars:
    """What the officer has typed about a child so far."""

    name: str
    alias: str = ""
    father_name: str = ""
    mother_name: str = ""
    guardian_name: str = ""
    village: str = ""
    sex: str = ""
    age: int | None = None
    on: date | None = None  # the date of the new rescue, for the age an earlier record implies today
    home_district_id: int | None = None
    home_block_id: int | None = None
    aadhaar_hash: str = ""


def record_of(particulars: Particulars, *, child_id: int | None = None) -> Record:
    return Record(
        id=child_id,
        name=particulars.name,
        alias=particulars.alias,
        father_name=particulars.father_name,
        mother_name=particulars.mother_name,
        guardian_name=particulars.guardian_name,
        village=particulars.village,
        block_id=particulars.home_block_id,
        district_id=particulars.home_district_id,
        sex=particulars.sex,
        age=particulars.age,
        on=particulars.on or timezone.localdate(),
        aadhaar_hash=particulars.aadhaar_hash,
    )


def aadhaar_hash(number: str) -> str:
    """Keyed hash of a full Aadhaar number, for matching without keeping the number (clts.core.identifiers)."""
    return identifier_hash(number)
