"""Found children already in CLTS, for a bulk import of found-child registers: the matching engine's own check.

A register of found children has no number that names a record (a missing-child report has its station's FIR). A
line is the same record as one in CLTS when the engine (the blocking keys in `MatchKey`, `engine.score` with the
parameters the missing/found queue uses) finds the two strongly the same child, found on the same day in the same
district. A strong match found on another day is another finding of the child, and is recorded.
"""

from __future__ import annotations

from types import SimpleNamespace

from clts.matching import engine
from clts.matching.records import Record
from trackchild_sync import matching
from trackchild_sync.models import FoundChild

_DESCRIPTION = ("name", "sex", "age_years", "date_of_birth", "height_cm", "identifying_marks", "languages",
                "guardian_name")  # fmt: skip


def record_of_row(index: int, row: dict) -> Record:
    """A register's line as the engine's Record (id: the line's index in the file)."""
    values = {name: row.get(name) for name in _DESCRIPTION}
    values |= {name: values[name] or "" for name in ("name", "sex", "identifying_marks", "languages", "guardian_name")}
    district = row.get("district")
    return matching._record(
        matching.FOUND,
        SimpleNamespace(pk=index, **values),
        on=row.get("found_on"),
        place=row.get("found_place") or "",
        district_id=district.pk if district else None,
    )


def found_already(rows: dict[int, dict]) -> dict[int, int]:
    """{index: id of the found child in CLTS} for the lines ({index: row}) the engine finds already recorded."""
    answer: dict[int, int] = {}
    using = engine.parameters(matching.PURPOSE)
    items = list(rows.items())
    for start in range(0, len(items), matching.BATCH):
        batch = [record_of_row(index, row) for index, row in items[start : start + matching.BATCH]]
        candidates = matching._candidates(batch, (matching.FOUND,))
        wanted = {pk for found in candidates.values() for _kind, pk in found}
        loaded = {found.pk: matching.record_of_found(found) for found in FoundChild.objects.filter(pk__in=wanted)}
        for record in batch:
            targets = [loaded[pk] for _kind, pk in candidates.get(record.id, ()) if pk in loaded]
            for scored in engine.score(record, targets, using=using):
                same = scored.record.place_on == record.place_on and scored.record.district_id == record.district_id
                if scored.strength == engine.STRONG and same:
                    answer[record.id] = scored.record.id
                    break
    return answer
