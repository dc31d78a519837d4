"""Earlier records of many children at once, for a bulk import: the matching engine's candidates in batches.

A typed registration asks the engine once per child (`rescue.candidates`). An import of thousands of rows asks the
same question with the same blocking keys and the same scores, in a few queries per thousand rows: the keys of all
rows looked up together, the candidates' records loaded together, each row scored against its own candidates.
Only strong candidates are returned (the ones a typed registration makes the officer decide on).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from clts.matching import engine, keys
from clts.matching.records import Record
from rescue import match_records
from rescue.models import Case

BATCH = 1000
# Candidates scored per row: fewer than a registration's pool (60), as an import scores thousands of rows.
POOL = 10


@dataclass(frozen=True)
class Earlier:
    child_id: int
    case_id: int | None  # the child's latest case
    case_number: str
    probability: float


def strong_earlier_records(records: list[Record]) -> dict[int, Earlier]:
    """{index of the record in `records`: its strongest earlier record}, for the records that have a strong one."""
    found: dict[int, Earlier] = {}
    using = engine.parameters()
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        candidates = _candidate_ids([keys.query_keys(record) for record in batch])
        wanted = sorted({child_id for ids in candidates for child_id in ids})
        if not wanted:
            continue
        loaded = {record.id: record for record in match_records.records(wanted)}
        strong: dict[int, tuple[int, float]] = {}
        for offset, (record, ids) in enumerate(zip(batch, candidates, strict=True)):
            scored = engine.score(record, [loaded[i] for i in ids if i in loaded], using=using)
            best = next((item for item in scored if item.strength == engine.STRONG), None)
            if best is not None:
                strong[start + offset] = (best.record.id, best.probability)
        latest = {
            child_id: (case_id, number)
            for child_id, case_id, number in Case.objects.filter(
                child_id__in={child_id for child_id, _p in strong.values()}
            )
            .order_by("child_id", "-rescued_on", "-id")
            .distinct("child_id")
            .values_list("child_id", "id", "case_number")
        }
        for index, (child_id, probability) in strong.items():
            case_id, number = latest.get(child_id, (None, ""))
            found[index] = Earlier(child_id=child_id, case_id=case_id, case_number=number, probability=probability)
    return found


def _candidate_ids(queries: list[set[int]]) -> list[list[int]]:
    """keys.candidate_ids for many records: one lookup of all their keys, the same weighting per record."""
    all_keys = sorted({key for query in queries for key in query})
    if not all_keys:
        return [[] for _query in queries]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT k.key, c.child_id
            FROM unnest(%s::bigint[]) AS k(key)
            CROSS JOIN LATERAL (
                SELECT child_id FROM childmatchkey WHERE key = k.key ORDER BY child_id DESC LIMIT %s
            ) AS c
            """,
            [all_keys, keys.KEY_CAP],
        )
        per_key: dict[int, list[int]] = defaultdict(list)
        for key, child_id in cursor.fetchall():
            per_key[key].append(child_id)
    answers = []
    for query in queries:
        weight: dict[int, float] = defaultdict(float)
        for key in query:
            children = per_key.get(key)
            if children:
                share = 1.0 / len(children)
                for child_id in children:
                    weight[child_id] += share
        answers.append(sorted(weight, key=lambda child_id: (-weight[child_id], -child_id))[:POOL])
    return answers


def keys_write(cases: list[Case]) -> None:
    """The blocking keys of children just created in bulk with their first case (Child.save writes them for one
    child at a time): the records made from the rows in hand, as rescue.match_records reads them back, and the keys
    written by COPY (twenty-odd keys a child: model instances would cost more than the rest of the row)."""
    rows = []
    for case in cases:
        child = case.child
        row = {name: getattr(child, name) for name in match_records._FIELDS}
        rows.append(row | {"latest_age": case.age_at_rescue, "latest_on": case.rescued_on})
    text = "".join(
        f"{key}\t{record.id}\n" for record in map(match_records._record, rows) for key in keys.record_keys(record)
    )
    if text:
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert("COPY childmatchkey (key, child_id) FROM STDIN", io.StringIO(text))
