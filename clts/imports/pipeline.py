"""A register's rows from file to checked values: read, map, normalise, check by the service's rules, find the
same row twice in the file and rows already in CLTS. The preview shows this; the commit repeats it and writes.
"""

from __future__ import annotations

import gc
import pickle
import zlib
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from clts.core import forking
from clts.core.collecting import collection_paused
from clts.imports import normalise, reading
from clts.imports.kinds import Prepared, RegisterKind

# Progress is reported every this many rows.
PROGRESS_EVERY = 2000


def prepare(
    *,
    kind: RegisterKind,
    content: bytes,
    file_format: str,
    mapping: dict[str, int],
    actor,
    context,
    progress: Callable[[int], None] | None = None,
    keep: bool = False,
) -> tuple[Prepared, reading.Sheet]:
    """The file read and checked. With `keep` (the preview, whose checked rows the commit reuses), a file checked in
    parts comes back with each part's rows packed by its own process (`Prepared.packed`, see `pack`) when no row
    has an error."""
    sheet = reading.read_sheet(content, file_format)
    spans = _spans(kind, len(sheet.rows))
    scale = len(spans)
    own: list[Prepared] = []

    def checked(span: tuple[int, int]) -> Prepared | bytes:
        # Only the part checked here reports progress (as if the others went at its pace).
        here = progress if span == spans[0] and progress else None
        prepared = _check_rows(
            kind,
            sheet.rows[span[0] : span[1]],
            mapping=mapping,
            actor=actor,
            context=context,
            progress=(lambda done: here(min(done * scale, len(sheet.rows)))) if here else None,
            whole=scale == 1,
        )
        if scale == 1 or not keep or prepared.errors:
            return prepared
        # Packed on this part's core while the others finish; the first part (this process's) is kept as it is too.
        if span == spans[0]:
            own.append(prepared)
        return pack(prepared)

    if scale == 1:
        return checked(spans[0]), sheet
    # Parts of the file checked on every core (clts.core.forking), then put together: the same rows twice are looked
    # for across the whole file, and a row found typed twice is not counted as already in CLTS (as when checked in
    # one piece, where it is not compared with CLTS at all).
    with collection_paused():  # the parts' rows come back as millions of new objects, none of them garbage
        answers = forking.in_forks(checked, spans)
        parts = [_unpacked(answer) for answer in answers[1:]]
        prepared = _joined([own[0] if own else _unpacked(answers[0]), *parts])
        _same_row_twice(kind, prepared)
    for index in prepared.errors:
        prepared.duplicates.pop(index, None)
        prepared.earlier.pop(index, None)
        prepared.updates.discard(index)
    if not prepared.errors and all(isinstance(answer, bytes) for answer in answers):
        prepared.packed = answers
    return prepared, sheet


def pack(prepared: Prepared) -> bytes:
    """Checked rows as the commit reads them back (`unpack`): pickled, then compressed. Sign what is stored: only
    this server's own blobs may be unpickled."""
    return zlib.compress(pickle.dumps(prepared, protocol=5), 1)


def unpack(packed: list[bytes]) -> Prepared:
    """The checked rows of a file from its parts' `pack`s, in order."""
    with collection_paused():  # millions of new objects, none of them garbage
        return _joined([_unpacked(part) for part in packed])


def _unpacked(answer: Prepared | bytes) -> Prepared:
    if isinstance(answer, Prepared):
        return answer
    return pickle.loads(zlib.decompress(answer))  # noqa: S301 (packed by this program: a part's process, or signed)


def _spans(kind: RegisterKind, total: int) -> list[tuple[int, int]]:
    """The file's rows in one piece, or in one part per process when the kind's rows are checked independently
    of each other, the file is large enough to gain from it, and no transaction is open here (a forked process
    would not see what it wrote)."""
    processes = max(1, settings.IMPORT_CHECK_PROCESSES)
    if not kind.rows_independent or processes == 1 or total < settings.IMPORT_PARALLEL_ROWS or not forking.can_fork():
        return [(0, total)]
    size = -(-total // processes)
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _joined(parts: list[Prepared]) -> Prepared:
    joined = Prepared()
    for part in parts:
        offset = len(joined.rows)
        joined.rows.extend(part.rows)
        joined.lines.extend(part.lines)
        joined.errors.update((offset + index, problems) for index, problems in part.errors.items())
        joined.duplicates.update((offset + index, found) for index, found in part.duplicates.items())
        joined.earlier.update((offset + index, found) for index, found in part.earlier.items())
        joined.updates.update(offset + index for index in part.updates)
    return joined


def _check_rows(kind, rows, *, mapping, actor, context, progress, whole: bool) -> Prepared:
    """Read, normalise and check `rows` (line, cells); with `whole` (the file in one piece) also look for the same
    row twice, which a part leaves to the caller."""
    prepared = Prepared()
    try:
        for index, (line, cells) in enumerate(rows):
            values: dict = {}
            problems: list[tuple[str, str]] = []
            for column in kind.columns:
                position = mapping.get(column.name)
                cell = cells[position] if position is not None and position < len(cells) else None
                try:
                    value = column.read(cell, values, context)
                except normalise.Unreadable as error:
                    problems.append((column.name, str(error)))
                    values[column.name] = None
                    continue
                if column.max_length and isinstance(value, str) and len(value) > column.max_length:
                    problems.append(
                        (
                            column.name,
                            _("At most %(limit)s characters; this cell has %(length)s.")
                            % {"limit": column.max_length, "length": len(value)},
                        )
                    )
                if column.required and value in (None, ""):
                    problems.append((column.name, _("This column must be filled in.")))
                values[column.name] = value
            prepared.rows.append(kind.complete(values, context))
            prepared.lines.append(line)
            if problems:
                prepared.errors[index] = problems
            if (index + 1) % PROGRESS_EVERY == 0:
                # The rows read so far live until the end: kept out of the garbage collector's full passes, which
                # would otherwise walk them all again and again (53 s of a 100,000-row check's 710 s, load 9-12).
                gc.freeze()
                if progress:
                    progress(index + 1)
        gc.freeze()
        # The checks make a few objects per row that live until they end (the rows split, the matching engine's
        # records and keys), none of them garbage: no collection pass while they are made (full passes took 8 s of a
        # 100,000-row check's 28 s of CPU).
        with collection_paused():
            kind.check(prepared, actor=actor, context=context)
            if whole:
                _same_row_twice(kind, prepared)
            kind.find_existing(prepared, actor=actor, context=context)
    finally:
        gc.unfreeze()
    return prepared


def _same_row_twice(kind: RegisterKind, prepared: Prepared) -> None:
    first: dict = {}
    for index, row in enumerate(prepared.rows):
        key = kind.same_row_key(row)
        if key is None:
            continue
        if key in first:
            prepared.errors.setdefault(index, []).append(
                (
                    kind.columns[0].name,
                    _("The same record as line %(line)s (typed twice): delete one of them.")
                    % {"line": prepared.lines[first[key]]},
                )
            )
        else:
            first[key] = index
