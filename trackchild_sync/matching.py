"""Missing against found: the matching engine (clts.matching) applied to missing reports, found children and CCI
residents. No second matcher: records are handed to the engine as `Record`s, blocked on the engine's own keys
(`clts.matching.keys`, stored here in `MatchKey` because these records are not the registry's children), scored by
`engine.score`, and every pair the engine finds worth showing is raised once (`MatchPair`'s unique constraints: a
pair decided, rejected included, is never raised again).

`match_record(kind, pk)` runs when a record is added (Celery, ids only); `matching_pass()` every night.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from clts.matching import engine, keys
from clts.matching.records import Record
from trackchild_sync import vectorised
from trackchild_sync.choices import PairStatus, ReportStatus
from trackchild_sync.models import FoundChild, MatchKey, MatchPair, MissingReport, Residence

log = logging.getLogger(__name__)

MISSING, FOUND, RESIDENT = MatchKey.Kind.MISSING, MatchKey.Kind.FOUND, MatchKey.Kind.RESIDENT
KEY_CAP = 150  # records read per key (the engine's own cap for the registry)
POOL = 60  # candidates scored per record, the best by shared keys
BATCH = 1000
# The engine's model for missing against found: a purpose of its own, for registration's parameters do not fit it (a
# found child is described by someone who does not know the family; heights, marks and languages count). Until a
# model of this purpose is trained, the engine's default priors are used. Scored with a registration model trained on
# 200,000 children, 144 of a sample of 786 true pairs reached "shown" (the nightly pass's recall at 1,000,000 cases
# fell to 16.9%); with the priors, 616.
PURPOSE = "missing"


def _languages(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _record(kind: str, obj, *, on, place: str, district_id) -> Record:
    return Record(
        id=obj.pk,
        name=obj.name,
        guardian_name=obj.guardian_name,
        district_id=district_id,
        sex=obj.sex if obj.sex in ("m", "f") else "",
        born=obj.date_of_birth,
        age=obj.age_years,
        on=on,
        height_cm=obj.height_cm,
        marks=obj.identifying_marks,
        languages=_languages(obj.languages),
        place=place,
        place_on=on,
        extra={"kind": kind},
    )


def record_of_missing(report: MissingReport) -> Record:
    return _record(
        MISSING, report, on=report.last_seen_on, place=report.last_seen_place, district_id=report.district_id
    )


def record_of_found(found: FoundChild) -> Record:
    return _record(FOUND, found, on=found.found_on, place=found.found_place, district_id=found.district_id)


def record_of_resident(residence: Residence) -> Record:
    return _record(
        RESIDENT,
        residence,
        on=residence.admitted_on,
        place=residence.institution.name,
        district_id=residence.institution.district_id,
    )


# What is open to matching: reports still open, found children not yet matched, children in a home now.
def _open(kind: str):
    if kind == MISSING:
        return MissingReport.objects.filter(status=ReportStatus.OPEN)
    if kind == FOUND:
        return FoundChild.objects.filter(matched=False)
    return Residence.objects.filter(left_on__isnull=True).select_related("institution")


_RECORD_OF = {MISSING: record_of_missing, FOUND: record_of_found, RESIDENT: record_of_resident}


def records(kind: str, ids: Iterable[int]) -> list[Record]:
    """The open records of one kind with these ids, as the engine's Records (ids of closed ones are left out)."""
    return [_RECORD_OF[kind](obj) for obj in _open(kind).filter(pk__in=list(ids))]


def keys_store(kind: str, batch: list[Record]) -> None:
    """Write the engine's keys of these records (replacing what they had)."""
    ids = [record.id for record in batch]
    rows = [(key, kind, record.id) for record in batch for key in keys.record_keys(record)]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM trackchild_sync_matchkey WHERE kind = %s AND target_id = ANY(%s)", [kind, ids])
        if rows:
            cursor.execute(
                "INSERT INTO trackchild_sync_matchkey (key, kind, target_id) "
                "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[]) ON CONFLICT DO NOTHING",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )


def _candidates(batch: list[Record], kinds: tuple[str, ...]) -> dict[int, list[tuple[str, int]]]:
    """For each record of the batch, the records of `kinds` sharing its keys, ranked as the engine ranks the
    registry (each key counts 1 / the records it holds), at most POOL."""
    wanted: dict[int, set[int]] = {record.id: keys.query_keys(record) for record in batch}
    every = sorted({key for found in wanted.values() for key in found})
    if not every:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT k.key, c.kind, c.target_id FROM unnest(%s::bigint[]) AS k(key)
            CROSS JOIN LATERAL (
                SELECT kind, target_id FROM trackchild_sync_matchkey
                WHERE key = k.key AND kind = ANY(%s) ORDER BY target_id DESC, kind LIMIT %s
            ) AS c
            """,
            [every, list(kinds), KEY_CAP],
        )
        holders: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for key, kind, target_id in cursor.fetchall():
            holders[key].append((kind, target_id))
    ranked: dict[int, list[tuple[str, int]]] = {}
    for record_id, query in wanted.items():
        weight: dict[tuple[str, int], float] = defaultdict(float)
        for key in query:
            held = holders.get(key, ())
            for target in held:
                weight[target] += 1.0 / len(held)
        ranked[record_id] = sorted(weight, key=lambda target: (-weight[target], target))[:POOL]
    return ranked


def _pair(missing: Record, target: Record, scored) -> MatchPair:
    kind = target.extra["kind"]
    return MatchPair(
        missing_id=missing.id,
        found_id=target.id if kind == FOUND else None,
        residence_id=target.id if kind == RESIDENT else None,
        district_id=target.district_id,
        probability=scored.probability,
        strength=scored.strength,
        evidence=[str(text) for text in scored.evidence],
    )


def _raise(missing_batch: list[Record], candidates: dict[int, list[tuple[str, int]]], loaded: dict) -> int:
    """Score each report against its candidates with the engine, and raise the pairs worth showing (once)."""
    using = engine.parameters(PURPOSE)
    pairs = []
    for missing in missing_batch:
        targets = [loaded[target] for target in candidates.get(missing.id, ()) if target in loaded]
        for scored in engine.score(missing, targets, using=using):
            if scored.strength and scored.record.district_id:
                pairs.append(_pair(missing, scored.record, scored))
    if not pairs:
        return 0
    before = MatchPair.objects.count() if len(pairs) < 50 else None
    MatchPair.objects.bulk_create(pairs, ignore_conflicts=True, batch_size=1000)
    return MatchPair.objects.count() - before if before is not None else len(pairs)


def _load(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Record]:
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in targets:
        by_kind[kind].add(pk)
    return {(kind, record.id): record for kind, ids in by_kind.items() for record in records(kind, ids)}


@transaction.atomic
def match_record(kind: str, pk: int) -> int:
    """A record was added: store its keys and raise its pairs (a report against found children and residents; a
    found child or resident against open reports). Safe to run twice: a pair is raised once."""
    batch = records(kind, [pk])
    if not batch:
        return 0
    keys_store(kind, batch)
    if kind == MISSING:
        candidates = _candidates(batch, (FOUND, RESIDENT))
        loaded = _load(target for found in candidates.values() for target in found)
        return _raise(batch, candidates, loaded)
    target = batch[0]
    candidates = _candidates(batch, (MISSING,))
    reports = records(MISSING, [pk for _kind, pk in candidates.get(target.id, ())])
    return _raise(reports, {report.id: [(kind, target.id)] for report in reports}, {(kind, target.id): target})


_ROW_FIELDS = ("id", "name", "guardian_name", "sex", "date_of_birth", "age_years", "height_cm",
               "identifying_marks", "languages")  # fmt: skip
_ROWS = {
    MISSING: ("last_seen_on", "last_seen_place", "district_id"),
    FOUND: ("found_on", "found_place", "district_id"),
    RESIDENT: ("admitted_on", "institution__name", "institution__district_id"),
}


def open_records(kind: str) -> list[Record]:
    """Every open record of one kind, as the engine's Records, in id order (plain rows, not model instances: the
    same Records as `records()` gives)."""
    rows = _open(kind).order_by("pk").values_list(*_ROW_FIELDS, *_ROWS[kind]).iterator(chunk_size=5000)
    made = []
    for pk, name, guardian, sex, born, age, height, marks, languages, on, place, district_id in rows:
        made.append(
            Record(
                id=pk,
                name=name,
                guardian_name=guardian,
                district_id=district_id,
                sex=sex if sex in ("m", "f") else "",
                born=born,
                age=age,
                on=on,
                height_cm=height,
                marks=marks,
                languages=_languages(languages),
                place=place,
                place_on=on,
                extra={"kind": kind},
            )
        )
    return made


def keys_replace(kind: str, loaded: list[Record], key_sets: list[set[int]]) -> int:
    """Make the stored keys of one kind exactly these (the keys of its open records): the new set is copied into a
    temporary table (COPY) and only the difference is written, so a night on which little changed writes little,
    and a first fill inserts in key order. Returns the number of keys of the kind."""
    text = "".join(f"{key}\t{record.id}\n" for record, found in zip(loaded, key_sets, strict=True) for key in found)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tc_keys_now")  # a pass inside an outer transaction (tests)
        cursor.execute("CREATE TEMPORARY TABLE tc_keys_now (key bigint, target_id bigint) ON COMMIT DROP")
        cursor.cursor.copy_expert("COPY tc_keys_now (key, target_id) FROM STDIN", io.StringIO(text))
        cursor.execute("ANALYZE tc_keys_now")
        cursor.execute(
            """
            DELETE FROM trackchild_sync_matchkey m WHERE m.kind = %s
              AND NOT EXISTS (SELECT 1 FROM tc_keys_now n WHERE n.key = m.key AND n.target_id = m.target_id)
            """,
            [kind],
        )
        cursor.execute(
            """
            INSERT INTO trackchild_sync_matchkey (key, kind, target_id)
            SELECT n.key, %s, n.target_id FROM tc_keys_now n
            WHERE NOT EXISTS (SELECT 1 FROM trackchild_sync_matchkey m
                              WHERE m.key = n.key AND m.kind = %s AND m.target_id = n.target_id)
            ORDER BY n.key, n.target_id
            ON CONFLICT DO NOTHING
            """,
            [kind, kind],
        )
        cursor.execute("DROP TABLE tc_keys_now")
    return text.count("\n")


def _keys_of(loaded: dict[str, list[Record]]) -> tuple[dict[str, list[set[int]]], list[set[int]]]:
    """Each record's stored keys (by kind), and each report's query keys: worked out once per record."""
    stored: dict[str, list[set[int]]] = {}
    wanted: list[set[int]] = []
    for kind, found in loaded.items():
        stored[kind] = []
        for record in found:
            own, query = keys.stored_and_query_keys(record)
            stored[kind].append(own)
            if kind == MISSING:
                wanted.append(query)
    return stored, wanted


def keys_refresh() -> int:
    """The stored keys made those of the open records (what the pass does first; the incremental task keeps them
    so between passes). Returns the number of keys."""
    loaded = {kind: open_records(kind) for kind in (MISSING, FOUND, RESIDENT)}
    stored, _wanted = _keys_of(loaded)
    return sum(keys_replace(kind, loaded[kind], stored[kind]) for kind in loaded)


PASS_BATCH = 2000  # reports scored per transaction of the nightly pass


def matching_pass(*, batch: int = PASS_BATCH) -> dict:
    """The nightly pass: keys made again, then every open report scored against found children and residents
    through the keys, in batches, each batch its own transaction (a killed pass keeps what it raised; a re-run
    repeats nothing). Every record is read once and its keys worked out once: they are written where they changed
    (`keys_replace`) and kept in memory, where each report's candidates are ranked (`vectorised.KeyIndex`, the
    ranking `_candidates` makes from the table) and scored over arrays (`vectorised.weights`); the pairs worth
    showing are scored again by the engine, which decides. Returns sizes, pairs scored and raised, and seconds
    (with the share spent reading, on keys, candidates and scoring)."""
    started = time.monotonic()
    loaded = {kind: open_records(kind) for kind in (MISSING, FOUND, RESIDENT)}
    seconds = {"read": time.monotonic() - started}
    began = time.monotonic()
    stored, wanted = _keys_of(loaded)
    seconds["keys"] = time.monotonic() - began
    began = time.monotonic()
    written = sum(keys_replace(kind, loaded[kind], stored[kind]) for kind in (MISSING, FOUND, RESIDENT))
    sizes = {str(kind.label): len(found) for kind, found in loaded.items()}
    seconds["keys written"] = time.monotonic() - began
    began = time.monotonic()
    # Targets in (kind, id) order, the order ties are broken in ("f" before "r", each by id).
    targets = [*loaded[FOUND], *loaded[RESIDENT]]
    index = vectorised.KeyIndex(
        [*stored[FOUND], *stored[RESIDENT]],
        np.array([record.id for record in targets], dtype=np.int64),
        np.repeat(np.array([0, 1], dtype=np.int64), [len(loaded[FOUND]), len(loaded[RESIDENT])]),
        cap=KEY_CAP,
    )
    reports = loaded[MISSING]
    # Both sides coded once for the whole pass, so a pair of names compared in one batch is not compared again.
    target_side, report_side, seen = vectorised.Side(targets), vectorised.Side(reports), {}
    seconds["coded"] = time.monotonic() - began
    using = engine.parameters(PURPOSE)
    scored = raised = 0
    texts: dict = {}
    seconds |= {"candidates": 0.0, "scoring": 0.0}
    for start in range(0, len(reports), batch):
        began = time.monotonic()
        q, t = index.candidates(wanted[start : start + batch], pool=POOL)
        q += start
        ranked = time.monotonic()
        seconds["candidates"] += ranked - began
        total = vectorised.weights(report_side, target_side, q, t, using, seen=seen)
        shown = vectorised.worth_showing(total, using)
        rows = []
        for i, j in zip(q[shown].tolist(), t[shown].tolist(), strict=True):
            missing, target = reports[i], targets[j]
            for result in engine.score(missing, [target], using=using):
                if result.strength and target.district_id:
                    kind = target.extra["kind"]
                    rows.append(
                        (
                            missing.id,
                            target.id if kind == FOUND else None,
                            target.id if kind == RESIDENT else None,
                            target.district_id,
                            result.probability,
                            result.strength,
                            _evidence(result, texts),
                        )
                    )
        scored += len(q)
        raised += _bulk_raise(rows)
        seconds["scoring"] += time.monotonic() - ranked
    seconds["total"] = time.monotonic() - started
    log.info("matching pass: %s pairs scored, %s raised in %.0f s", scored, raised, seconds["total"])
    return {
        "sizes": sizes,
        "keys": written,
        "scored": scored,
        "raised": raised,
        "seconds": seconds["total"],
        "split": seconds,
    }


def _evidence(scored, texts: dict) -> list[str]:
    """The pair's evidence in words (`Scored.evidence`), each contribution's text translated once per pass: the
    same (level, term-frequency adjustment) comes back on thousands of pairs, and a lazy translation costs."""
    found = []
    for contribution in scored.contributions:
        key = (id(contribution[1]), contribution[2])
        text = texts.get(key)
        if text is None:
            one = engine.Scored(scored.record, 0.0, 0.0, {}, [contribution])
            text = texts[key] = str(one.evidence[0])
        found.append(text)
    return found


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PAIR_COLUMNS = (
    "missing_id, found_id, residence_id, district_id, probability, strength, evidence, status, raised_at, reason"
)


def _bulk_raise(rows: list[tuple]) -> int:
    """Raise the pairs (missing id, found id, residence id, district id, probability, strength, evidence), each
    once: COPY into a temporary table, then one INSERT that skips the pairs raised before (a rejected pair
    included). Returns the pairs raised now."""
    if not rows:
        return 0

    def cell(value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
        return str(value).translate(_COPY_ESCAPES)

    text = "".join("\t".join(cell(value) for value in row) + "\n" for row in rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tc_pairs_now")
        cursor.execute(
            "CREATE TEMPORARY TABLE tc_pairs_now (missing_id bigint, found_id bigint, residence_id bigint, "
            "district_id bigint, probability float8, strength varchar(10), evidence jsonb) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert(
            "COPY tc_pairs_now (missing_id, found_id, residence_id, district_id, probability, strength, evidence) "
            "FROM STDIN",
            io.StringIO(text),
        )
        # Through Django's cursor: the audit trail's context is set for the INSERT's triggers.
        cursor.execute(
            f"INSERT INTO trackchild_sync_matchpair ({_PAIR_COLUMNS}) "  # noqa: S608 (the module's constant)
            "SELECT missing_id, found_id, residence_id, district_id, probability, strength, evidence, %s, now(), '' "
            "FROM tc_pairs_now ON CONFLICT DO NOTHING",
            [PairStatus.PENDING.value],
        )
        raised = cursor.rowcount
        cursor.execute("DROP TABLE tc_pairs_now")
    return raised


def pending_for(*, missing_ids: Iterable[int]) -> Q:
    return Q(missing_id__in=list(missing_ids), status=PairStatus.PENDING)
