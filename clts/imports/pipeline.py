"""A register's rows from file to checked values: read, map, normalise, check by the service's rules, find the
same row twice in the file and rows already in CLTS. The preview shows this; the commit repeats it and writes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from django.utils.translation import gettext as _

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
) -> tuple[Prepared, reading.Sheet]:
    sheet = reading.read_sheet(content, file_format)
    prepared = Prepared()
    try:
        for index, (line, cells) in enumerate(sheet.rows):
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
        collecting = gc.isenabled()
        gc.disable()
        try:
            kind.check(prepared, actor=actor, context=context)
            _same_row_twice(kind, prepared)
            kind.find_existing(prepared, actor=actor, context=context)
        finally:
            if collecting:
                gc.enable()
    finally:
        gc.unfreeze()
    return prepared, sheet


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
