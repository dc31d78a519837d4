"""Writes of the engine: a child's blocking keys, and a pair a person rejected."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db import connection, transaction

from clts.matching import keys
from clts.matching.models import ChildMatchKey, RejectedPair
from clts.matching.records import Record


@transaction.atomic
def keys_refresh(record: Record) -> None:
    """Replace a stored child's blocking keys with those of its current particulars (call on every save)."""
    ChildMatchKey.objects.filter(child_id=record.id).delete()
    ChildMatchKey.objects.bulk_create(
        [ChildMatchKey(key=key, child_id=record.id) for key in keys.record_keys(record)], ignore_conflicts=True
    )


def keys_add(records: Iterable[Record]) -> None:
    """The blocking keys of children who have none written (keys already there are left as they are)."""
    ChildMatchKey.objects.bulk_create(
        [ChildMatchKey(key=key, child_id=record.id) for record in records for key in keys.record_keys(record)],
        ignore_conflicts=True,
        batch_size=5000,
    )


def keys_forget(child_id: int) -> None:
    ChildMatchKey.objects.filter(child_id=child_id).delete()


def keys_rebuild(batches: Iterable[list[Record]]) -> int:
    """All keys built again from the registry, batch by batch (COPY); returns the number of keys written.

    Then VACUUM ANALYZE when not inside a transaction (the management command, a Celery task, the benchmark): a
    table just filled by COPY has no visibility map, so every key lookup of a registration check would read the
    table's pages as well as the index's (an index-only scan needs the map). ANALYZE alone runs inside one.
    """
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE childmatchkey")
        for batch in batches:
            rows = "".join(f"{key}\t{record.id}\n" for record in batch for key in keys.record_keys(record))
            if rows:
                cursor.copy_expert("COPY childmatchkey (key, child_id) FROM STDIN", io.StringIO(rows))
                written += rows.count("\n")
        cursor.execute("ANALYZE childmatchkey")
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) childmatchkey")
    return written


def pair_reject(*, child_id: int, other_id: int, source: str, actor=None) -> RejectedPair:
    """Record that two records are different children (idempotent: a pair is rejected once)."""
    one, other = sorted((child_id, other_id))
    pair, _created = RejectedPair.objects.get_or_create(
        child_id=one, other_id=other, defaults={"source": source, "decided_by": actor}
    )
    return pair
