"""Children as the matching engine's records (clts.matching.records.Record), and their blocking keys kept current.

The engine works on plain records; this module is where rescue says what a child is to it: the name and alias,
the parents and guardian, the home village, block and district, sex, the date of birth or the age at the latest
rescue, and the Aadhaar hash. A child's keys are written again whenever the child is saved or a case of it is
created (Child.save and Case.save call `child_indexed`).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from clts.matching import services as matching_services
from clts.matching.records import Record
from rescue.models import DuplicatePair, LinkRequest, LinkRequestStatus

BATCH = 20_000

# The child's columns the engine compares, and its latest rescue (the age then, the date, the case) in one LATERAL
# lookup per child on the case's child index (two correlated subqueries before: twice the index probes).
_SELECT = """
    SELECT c.id, c.name, c.alias, c.father_name, c.mother_name, c.guardian_name, c.home_village_text,
           c.home_block_id, c.home_district_id, c.sex, c.date_of_birth, c.age_years, c.aadhaar_hash, c.created_at,
           latest.age_at_rescue, latest.rescued_on, latest.id
    FROM rescue_child AS c
    LEFT JOIN LATERAL (
        SELECT age_at_rescue, rescued_on, id FROM rescue_case
        WHERE child_id = c.id ORDER BY rescued_on DESC, id DESC LIMIT 1
    ) AS latest ON true
"""


def _record(row: tuple) -> Record:
    (pk, name, alias, father, mother, guardian, village, block_id, district_id, sex, born, age_years, aadhaar,
     created_at, age, on, latest_case) = row  # fmt: skip
    if age is None:
        age, on = age_years, created_at.date() if created_at else None
    return Record(
        id=pk,
        name=name,
        alias=alias,
        father_name=father,
        mother_name=mother,
        guardian_name=guardian,
        village=village,
        block_id=block_id,
        district_id=district_id,
        sex=sex,
        born=born,
        age=age,
        on=on,
        aadhaar_hash=aadhaar,
        extra={"latest_case": latest_case},  # the id of the child's latest case (registration shows it)
    )


# The child's columns of _SELECT, by attname and in its order (the latest rescue's three follow them).
CHILD_COLUMNS = (
    "id", "name", "alias", "father_name", "mother_name", "guardian_name", "home_village_text", "home_block_id",
    "home_district_id", "sex", "date_of_birth", "age_years", "aadhaar_hash", "created_at",
)  # fmt: skip
_TEXT_COLUMNS = {
    "name",
    "alias",
    "father_name",
    "mother_name",
    "guardian_name",
    "home_village_text",
    "sex",
    "aadhaar_hash",
}


def written_record(child: dict, case: dict) -> Record:
    """The record `records` reads back for a child just written with its first case, from the values written (child
    and case by attname, as clts.core.copying.copy_values takes them): no query."""
    values = tuple((child.get(name) or "") if name in _TEXT_COLUMNS else child.get(name) for name in CHILD_COLUMNS)
    return _record(values + (case["age_at_rescue"], case["rescued_on"], case.get("id")))


def _rows(where: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_SELECT + where, params)
        return cursor.fetchall()


def records(ids: list[int]) -> list[Record]:
    """The records of these children (any order); the engine's `load`."""
    if not ids:
        return []
    return [_record(row) for row in _rows("WHERE c.id = ANY(%s)", [list(ids)])]


def all_records() -> Iterator[list[Record]]:
    """Every child, in batches by id (settings.MATCHING_REGISTRY)."""
    last = 0
    while True:
        rows = _rows("WHERE c.id > %s ORDER BY c.id LIMIT %s", [last, BATCH])
        if not rows:
            return
        last = rows[-1][0]
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
