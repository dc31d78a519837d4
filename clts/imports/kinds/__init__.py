"""What each kind of register holds: its columns (with the headers registers give them, in English and Hindi), how
a row becomes the arguments of the app's own service, and how the service's errors point back at the columns.

A kind is a `RegisterKind`; `KINDS` maps clts.imports.choices.Kind to the instance. The column readers are
clts.imports.normalise's; the rules are the services' (each kind's `check` calls the app's validation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    """One field of a register: `read(value, row, context)` turns the cell into the value (or raises Unreadable);
    `row` holds the fields read so far (a block is read within its district)."""

    name: str
    label: Promise | str
    aliases: tuple[str, ...]
    read: Callable[[Any, dict, Any], Any]
    required: bool = False
    max_length: int | None = None
    help: Promise | str = ""


@dataclass
class Prepared:
    """The rows of a file read and checked: the service's rows, and per row index its line and errors."""

    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # index -> [(field name, message)]
    duplicates: dict[int, str] = field(default_factory=dict)  # index -> what it duplicates in CLTS (not personal)
    updates: set[int] = field(default_factory=set)


class RegisterKind:
    """Base of a kind of register; subclasses name their columns and call their app's services."""

    columns: tuple[Column, ...] = ()
    # Service error keys -> the column they are about.
    error_columns: dict[str, str] = {}

    def context(self, *, actor) -> Any:
        """What the readers need once per file (the places of the state, the CWCs): built once, not per row."""
        return None

    def complete(self, row: dict, context) -> dict:
        """The service's row from the columns read (dates to times, defaults the service expects)."""
        return row

    def check(self, prepared: Prepared, *, actor, context) -> None:
        """Add each row's rule errors to `prepared.errors` (the service's own validation)."""

    def same_row_key(self, row: dict):
        """Two rows of one file with this key are the same record typed twice; None to skip the check."""
        return None

    def find_existing(self, prepared: Prepared, *, actor, context) -> None:
        """Mark rows already in CLTS (`prepared.duplicates`) or that update a record (`prepared.updates`)."""

    def write(self, prepared: Prepared, *, actor, context, progress) -> int:
        raise NotImplementedError

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def kinds() -> dict[str, RegisterKind]:
    from clts.imports.choices import Kind
    from clts.imports.kinds.rescue import RescueRegister

    return {Kind.RESCUE: RescueRegister()}
