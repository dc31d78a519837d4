"""Earlier records of many children at once, for a bulk import: the matching engine's candidates in batches.

A typed registration asks the engine once per child (`rescue.candidates`). An import of thousands of rows asks the
same question with the same blocking keys and the same scores, in a few queries per thousand rows: the keys of all
rows looked up together, the candidates' records loaded together, each row scored against its own candidates.
Only strong candidates are returned (the ones a typed registration makes the officer decide on).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef

from clts.matching import engine, keys
from clts.matching.records import Record
from rescue import match_records
from rescue.models import Case, CaseHistory, Child, ChildHistory

BATCH = 1000
# Candidates scored per row: fewer than a registration's pool (60), as an import scores thousands of rows.
POOL = 10


@dataclass(frozen=True)
class Earlier:
    child_id: int
    case_id: int | None  # the child's latest case
    case_number: str
    probability: float


def strong_earlier_records(records: list[Record], looked_up: list[set[int]] | None = None) -> dict[int, Earlier]:
    """{index of the record in `records`: its strongest earlier record}, for the records that have a strong one.
    `looked_up` holds each record's query keys when the caller has hashed them already."""
    found: dict[int, Earlier] = {}
    using = engine.parameters()
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        queries = looked_up[start : start + BATCH] if looked_up is not None else map(keys.query_keys, batch)
        candidates = _candidate_ids(list(queries))
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


def keys_restore(*, since) -> int:
    """Children created since `since` who have no blocking key get theirs, worked out from their records as
    Child.save works them out; returns how many children. A bulk import writes its children's keys in a transaction
    committed just after its own (clts.core.copying.SideCopy): a process killed between the two commits leaves them
    without keys, and a registration would not find them until this runs (rescue.tasks.keys_restore, hourly)."""
    from clts.matching import services as matching
    from clts.matching.models import ChildMatchKey

    without = ~Exists(ChildMatchKey.objects.filter(child_id=OuterRef("pk")))
    ids = list(Child.objects.filter(without, created_at__gte=since).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        matching.keys_add(match_records.records(ids[start : start + BATCH]))
    return len(ids)


def registry_mark() -> list:
    """What `strong_earlier_records` and a search for the same rescue read of the registry, as a value that changes
    whenever a child or a case is written: each one's audit trail (append-only, one row per insert, update or
    delete) counted and its last id, and the matching model in use. Counted, not only its last id: a transaction
    that took a lower id may commit after a higher one."""
    using = engine.parameters()
    parts = []
    with connection.cursor() as cursor:
        for model in (ChildHistory, CaseHistory):
            cursor.execute(f"SELECT count(*), max(pgh_id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            parts.append(list(cursor.fetchone()))
    parts.append([using.model_id, using.slope, using.intercept, using.strong_threshold, using.shown_threshold])
    return parts


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


def keys_copy(written: list[tuple[dict, dict, Iterable[int] | None]]) -> tuple[str, str] | None:
    """The COPY of the blocking keys of children just created in bulk with their first case (Child.save writes them
    for one child at a time): its statement and text, sent with the rest of the chunk (rescue.services.bulk), or
    None when there are none. Twenty-odd keys a child: model instances would cost more than the rest of the row.
    `written` holds (child, case, keys) by attname; keys computed already (the importer hashes them with the keys
    it looks up: `stored_keys`) are written as given, otherwise they are worked out from the values."""
    lines = []
    for child, case, known in written:
        found = known if known is not None else keys.record_keys(match_records.written_record(child, case))
        suffix = f"\t{child['id']}\n"
        lines.extend(f"{key}{suffix}" for key in found)
    return ("COPY childmatchkey (key, child_id) FROM STDIN", "".join(lines)) if lines else None
