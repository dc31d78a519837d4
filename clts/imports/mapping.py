"""Which column of a register holds which field: matched by the headers' names, corrected by the admin, kept.

Headers are compared folded (case, punctuation and spacing ignored; Devanagari kept, in NFC), first against the
district's saved template, then against each field's known headers in English and Hindi, then by closeness for
spellings such as "Childs Nmae". A column gives at most one field, and a field is read from at most one column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from clts.imports.kinds import RegisterKind

_PUNCTUATION = re.compile(r"[\s.,:;'\"’‘()\[\]/\\\-_*#?।|]+")
CLOSE_ENOUGH = 0.85


def fold_header(header: str) -> str:
    return _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", str(header)).lower()).strip()


def auto_map(kind: RegisterKind, headers: list[str], template: dict[str, str] | None = None) -> dict[str, int]:
    """{field name: column index} for the columns recognised."""
    folded = [fold_header(header) for header in headers]
    names = {column.name for column in kind.columns}
    mapping: dict[str, int] = {}
    taken: set[int] = set()

    def take(name: str, index: int) -> None:
        if name in names and name not in mapping and index not in taken:
            mapping[name] = index
            taken.add(index)

    for index, header in enumerate(folded):
        if template and header in template:
            take(template[header], index)
    aliases = {fold_header(alias): column.name for column in kind.columns for alias in (column.aliases or ())}
    aliases |= {fold_header(str(column.label)): column.name for column in kind.columns}
    for index, header in enumerate(folded):
        if header in aliases:
            take(aliases[header], index)
    for index, header in enumerate(folded):
        if index in taken or not header:
            continue
        close = difflib.get_close_matches(header, list(aliases), n=1, cutoff=CLOSE_ENOUGH)
        if close:
            take(aliases[close[0]], index)
    return mapping


def template_of(headers: list[str], mapping: dict[str, int]) -> dict[str, str]:
    """The template to keep: folded header -> field, so the next file matches even with the columns reordered."""
    return {fold_header(headers[index]): name for name, index in mapping.items() if 0 <= index < len(headers)}
