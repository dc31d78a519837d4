"""Children as the matching engine's records (clts.matching.records.Record), and their blocking keys kept current.

The engine works on plain records; this module is where rescue says what a child is to it: the name and alias,
the parents and guardian, the home village, block and district, sex, the date of birth or the age at the latest
rescue, and the Aadhaar hash. A child's keys are written again whenever the child is saved or a case of it is
created (Child.save and Case.save call `child_indexed`).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery

from clts.matching import services as matching_services
from clts.matching.records import Record
from rescue.models import Case, Child, DuplicatePair, LinkRequest, LinkRequestStatus

_FIELDS = (
    "id",
    "name",
    "alias",
    "father_name",
    "mother_name",
    "guardian_name",
    "home_village_text",
    "home_block_id",
    "home_district_id",
    "sex",
    "date_of_birth",
    "age_years",
    "aadhaar_hash",
    "created_at",
)
BATCH = 20_000


def _with_latest_rescue(queryset):
    latest = Case.objects.filter(child=OuterRef("pk")).order_by("-rescued_on", "-id")
    return queryset.annotate(
        latest_age=Subquery(latest.values("age_at_rescue")[:1]), latest_on=Subquery(latest.values("rescued_on")[:1])
    )


def _record(row: dict) -> Record:
    age, on = row["latest_age"], row["latest_on"]
    if age is None:
        age, on = row["age_years"], row["created_at"].date() if row["created_at"] else None
    return Record(
        id=row["id"],
        name=row["name"],
        alias=row["alias"],
        father_name=row["father_name"],
        mother_name=row["mother_name"],
        guardian_name=row["guardian_name"],
        village=row["home_village_text"],
        block_id=row["home_block_id"],
        district_id=row["home_district_id"],
        sex=row["sex"],
        born=row["date_of_birth"],
        age=age,
        on=on,
        aadhaar_hash=row["aadhaar_hash"],
    )


def records(ids: list[int]) -> list[Record]:
    """The records of these children (any order); the engine's `load`."""
    rows = _with_latest_rescue(Child.objects.filter(pk__in=ids)).values(*_FIELDS, "latest_age", "latest_on")
    return [_record(row) for row in rows]


def all_records() -> Iterator[list[Record]]:
    """Every child, in batches by id (settings.MATCHING_REGISTRY)."""
    last = 0
    while True:
        rows = list(
            _with_latest_rescue(Child.objects.filter(pk__gt=last))
            .order_by("pk")
            .values(*_FIELDS, "latest_age", "latest_on")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1]["id"]
        yield [_record(row) for row in rows]


def child_indexed(child_id: int) -> None:
    """Write the child's blocking keys from its current particulars."""
    found = records([child_id])
    if found:
        matching_services.keys_refresh(found[0])


def confirmed_pairs() -> Iterator[tuple[Record, Record]]:
    """Pairs of records people confirmed to be one child: link requests and duplicates confirmed
    (settings.MATCHING_CONFIRMED_PAIRS). The earlier record as it stands now: the fields the holder chose to update
    from the new one make the pair look more alike than it was, a small bias towards agreement."""
    pairs = list(
        LinkRequest.objects.filter(status=LinkRequestStatus.CONFIRMED).values_list(
            "new_case__child_id", "earlier_child_id"
        )
    ) + list(
        DuplicatePair.objects.filter(status=LinkRequestStatus.CONFIRMED).values_list("child_id", "earlier_child_id")
    )
    for start in range(0, len(pairs), 5000):
        chunk = pairs[start : start + 5000]
        found = {record.id: record for record in records([pk for pair in chunk for pk in pair])}
        for one, other in chunk:
            if one in found and other in found and one != other:
                yield found[one], found[other]
