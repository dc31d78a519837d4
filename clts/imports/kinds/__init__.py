"""What each kind of register holds: its columns (with the headers registers give them, in English and Hindi), how
a row becomes the arguments of the app's own service, and how the service's errors point back at the columns.

A kind is a `RegisterKind`; `KINDS` maps clts.imports.choices.Kind to the instance. The column readers are
clts.imports.normalise's; the rules are the services' (each kind's `check` calls the app's validation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


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
    # index -> the earlier record the matching engine strongly suggests (the row is written with a link request)
    earlier: dict[int, str] = field(default_factory=dict)
    # The rows as kept for the commit (clts.imports.pipeline.pack), one blob per part, when the check was asked to
    # keep them and made them in its parts' own processes; empty otherwise.
    packed: list[bytes] = field(default_factory=list)


class RegisterKind:
    """Base of a kind of register; subclasses name their columns and call their app's services."""

    columns: tuple[Column, ...] = ()
    # Service error keys -> the column they are about.
    error_columns: dict[str, str] = {}
    # What the preview says of a row left out because it is in CLTS already.
    duplicate_note = _lazy("Left out: already in CLTS")
    # True when each row is checked without regard to the file's other rows (reading, the rules, the comparison with
    # CLTS): a large file is then checked in parts, one per core (clts.imports.pipeline). Kinds whose check runs
    # their services row after row (a home's capacity, one report per FIR) see the rows before, and say False.
    rows_independent = False

    def context(self, *, actor) -> Any:
        """What the readers need once per file (the places of the state, the CWCs): built once, not per row."""
        return None

    def registry_mark(self, *, actor, context):
        """What the check reads besides the file, as a value compared when the commit starts: if it is the same as
        when the preview checked the file, the commit writes the preview's checked rows instead of checking them all
        again (a JSON-able value). None (the default) makes every commit check again."""
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


class ServiceRowsKind(RegisterKind):
    """A kind whose rows go one by one through the app's own services (short registers: linkages, residents).

    The check is the real thing: every row through the services, each in a savepoint, inside a transaction that
    is then rolled back; a row's errors are the services' own, put at the column they name (`error_columns`) or
    at `fallback_column`. The write runs the same calls for good, and refuses if any row fails this time.
    `_row(row, actor=...)` returns "new", "updated" or "unchanged" (already in CLTS: nothing done).
    """

    fallback_column = ""
    case_column = "case"

    def check(self, prepared: Prepared, *, actor, context) -> None:
        with transaction.atomic():
            self._run(prepared, actor=actor)
            transaction.set_rollback(True)

    def write(self, prepared: Prepared, *, actor, context, progress) -> int:
        with transaction.atomic():
            done = self._run(prepared, actor=actor, progress=progress)
            if prepared.errors:
                raise ValidationError(_("Rows became invalid since the check; nothing was written."))
        return done

    def _row(self, row: dict, *, actor) -> str:
        raise NotImplementedError

    def existing(self, row: dict) -> str:
        """What names the record in CLTS that a row left alone repeats (a case number, never a child's name)."""
        return str(row.get(self.case_column) or "")

    def _run(self, prepared: Prepared, *, actor, progress=None) -> int:
        done = 0
        for index, row in enumerate(prepared.rows):
            if index in prepared.errors:
                continue
            try:
                with transaction.atomic():
                    outcome = self._row(row, actor=actor)
            except ValidationError as error:
                for field_name, messages in _by_field(error):
                    column = self.error_columns.get(field_name, self.fallback_column)
                    prepared.errors.setdefault(index, []).extend((column, message) for message in messages)
                continue
            except PermissionDenied:
                prepared.errors.setdefault(index, []).append(
                    (self.case_column, str(_("This record is outside your area.")))
                )
                continue
            if outcome == "updated":
                prepared.updates.add(index)
            elif outcome == "unchanged":
                prepared.duplicates[index] = self.existing(row)
            done += outcome != "unchanged"
            if progress and done % 200 == 0:
                progress(done)
        return done


def _by_field(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return [(name, ValidationError(messages).messages) for name, messages in error.error_dict.items()]
    return [("", error.messages)]


def kinds() -> dict[str, RegisterKind]:
    from clts.imports.choices import Kind
    from clts.imports.kinds.disbursement import DisbursementRegister
    from clts.imports.kinds.linkage import LinkageRegister
    from clts.imports.kinds.rescue import RescueRegister
    from clts.imports.kinds.residents import ResidentRegister
    from clts.imports.kinds.trackchild import FoundRegister, MissingRegister

    return {
        Kind.RESCUE: RescueRegister(),
        Kind.LINKAGE: LinkageRegister(),
        Kind.RESIDENT: ResidentRegister(),
        Kind.DISBURSEMENT: DisbursementRegister(),
        Kind.MISSING: MissingRegister(),
        Kind.FOUND: FoundRegister(),
    }
