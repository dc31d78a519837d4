"""A labelled set for the matching engine's thresholds, read from a CSV file the state's data team prepares.

One row per registration whose truth the team knows from its own confirmed links: what the officer typed, and the
case number of the child's earlier record, or "new" for a child who was not registered before. UTF-8, a header
row, these columns (any order; those marked optional may be left out or empty):

    name, alias (optional), father_name, mother_name, guardian_name, village,
    district        the home district: LGD code or English name
    block           optional: LGD code or English name, within the district
    sex             m or f
    date_of_birth   optional, YYYY-MM-DD
    age             optional, completed years on `on`
    on              the date the particulars were given (the rescue), YYYY-MM-DD
    aadhaar         optional: hashed as it is read, never kept
    earlier_case    the earlier record's case number (BR-GAY-2024-000123), or "new"

The file holds children's particulars: keep it where the registry is kept, and delete it after the run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import Q

from clts.core.identifiers import identifier_hash
from clts.geo.models import Block, District
from clts.matching.calibration import Labelled
from clts.matching.records import Record
from rescue.models import Case

REQUIRED = ("name", "sex", "district", "on", "earlier_case")
NEW = "new"


class LabelledFileError(ValueError):
    pass


@dataclass
class Read:
    queries: list[Labelled]
    skipped: list[str]  # "row 12: ..." for rows that could not be used


def _date(value: str, row: int, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LabelledFileError(f"row {row}: {column} {value!r} is not a date (YYYY-MM-DD)") from None


def _place(model, value: str, **within):
    if not value:
        return None
    lookup = Q(lgd_code=int(value)) if value.isdigit() else Q(name_en__iexact=value)
    return model.objects.filter(lookup, **within).values_list("pk", flat=True).first()


def read(path: str | Path) -> Read:
    """The labelled queries of a file; a row whose case number is unknown is skipped and said."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise LabelledFileError("the file has no rows")
    missing = [column for column in REQUIRED if column not in rows[0]]
    if missing:
        raise LabelledFileError(f"columns missing: {', '.join(missing)}")
    numbers = {row["earlier_case"].strip() for row in rows} - {NEW, ""}
    child_of = dict(Case.objects.filter(case_number__in=numbers).values_list("case_number", "child_id"))
    queries, skipped = [], []
    for number, row in enumerate(rows, start=2):
        values = {key: (value or "").strip() for key, value in row.items() if key}
        truth_text = values["earlier_case"]
        if truth_text.lower() == NEW:
            truth = None
        elif truth_text in child_of:
            truth = child_of[truth_text]
        else:
            skipped.append(f"row {number}: no case {truth_text!r}")
            continue
        district = _place(District, values["district"])
        if district is None:
            skipped.append(f"row {number}: no district {values['district']!r}")
            continue
        age = values.get("age", "")
        record = Record(
            name=values["name"],
            alias=values.get("alias", ""),
            father_name=values.get("father_name", ""),
            mother_name=values.get("mother_name", ""),
            guardian_name=values.get("guardian_name", ""),
            village=values.get("village", ""),
            district_id=district,
            block_id=_place(Block, values.get("block", ""), district_id=district),
            sex=values["sex"].lower()[:1],
            born=_date(values.get("date_of_birth", ""), number, "date_of_birth"),
            age=int(age) if age.isdigit() else None,
            on=_date(values["on"], number, "on"),
            aadhaar_hash=identifier_hash(values["aadhaar"]) if values.get("aadhaar") else "",
        )
        queries.append(Labelled(record, truth))
    return Read(queries, skipped)
