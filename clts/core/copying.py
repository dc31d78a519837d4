"""Many new rows of a model written by PostgreSQL COPY: what `bulk_create` does, without its cost per value.

`bulk_create` compiles one INSERT with a placeholder and an adapted parameter per value (about 15 ms a row of a
wide table on the reference machine, as much as the rest of an import's row). `copy_insert` draws the ids from the
table's own sequence in one query, sets them on the instances (so foreign keys to them can be filled), and sends
the rows as COPY text. Triggers fire as for an INSERT (the audit trail's statement-level triggers see the COPY's
rows in their transition table), constraints and foreign keys are checked, and the COPY is part of the caller's
transaction. The audit context (pghistory's `set_config`, local to the transaction) is set by a statement through
Django's cursor first, so the history rows carry the acting user like any other write (a COPY through the raw
cursor alone would carry none).

Values are written as Django would: `pre_save` for fields that set themselves (auto_now, auto_now_add), foreign
keys by their column, JSON through the field's encoder, arrays as PostgreSQL array literals.
"""

from __future__ import annotations

import io
import json
import queue
import threading
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _array(values) -> str:
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{text}"')
    return "{" + ",".join(items) + "}"


def _text(field: models.Field, value) -> str:
    """Any value of the field as COPY text (the general case; `_encoder` has faster ones for common fields)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):  # text choices included (a str subclass): their value
        return value.translate(_ESCAPES)
    if isinstance(value, (int, float, Decimal, UUID)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder).translate(_ESCAPES)
    if isinstance(field, ArrayField):
        return _array(value).translate(_ESCAPES)
    prepared = field.get_db_prep_save(value, connection)
    return "\\N" if prepared is None else str(prepared).translate(_ESCAPES)


def _encoder(field: models.Field):
    """A function from the field's value to COPY text, chosen once per field rather than per value."""
    if isinstance(field, (models.CharField, models.TextField)):
        # Text choices are str subclasses: their text is their value.
        return lambda value: (
            "\\N" if value is None else value.translate(_ESCAPES) if isinstance(value, str) else _text(field, value)
        )
    if isinstance(field, models.BooleanField):
        return lambda value: "\\N" if value is None else ("t" if value else "f")
    if isinstance(field, (models.IntegerField, models.AutoField)) or (
        field.is_relation and isinstance(field.target_field, (models.IntegerField, models.AutoField))
    ):
        return lambda value: "\\N" if value is None else str(value)
    if isinstance(field, (models.DateTimeField, models.DateField)):
        return lambda value: "\\N" if value is None else value.isoformat()
    return lambda value: _text(field, value)


def next_ids(model: type[models.Model], count: int, *, using=None) -> list[int]:
    """`count` new ids from the model's primary key sequence, in order (never reused, like an INSERT's). `using`: a
    connection other than this thread's (a sequence is not transactional: any session draws the same way)."""
    if count <= 0:
        return []
    with (using or connection).cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_insert(objs: list[models.Model]) -> list[models.Model]:
    """Insert unsaved instances of one model with COPY, in one statement; sets their ids and returns them.

    For new rows only (as `bulk_create` without conflicts handling); the instances' `save` is not called.
    """
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not isinstance(field, models.GeneratedField)]
    self_setting = [
        field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, next_ids(model, len(missing)), strict=True):
        obj.pk = pk
    for obj in objs:
        for field in self_setting:
            field.pre_save(obj, add=True)
        obj._state.adding, obj._state.db = False, connection.alias
    encoders = [(field.attname, _encoder(field)) for field in fields]
    lines = "".join("\t".join([encode(getattr(obj, attname)) for attname, encode in encoders]) + "\n" for obj in objs)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        # A statement through Django's cursor that pghistory does not skip (it skips SELECTs): its context (who,
        # which URL or import) is set for the transaction before the COPY's triggers run.
        cursor.execute("DO $$ BEGIN END $$")
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN",  # noqa: S608 (model's names)
            io.StringIO(lines),
        )
    return objs


_MISSING = object()


def copy_statement(model: type[models.Model], rows: list[dict], *, draw=next_ids) -> tuple[str, str]:
    """The COPY statement and its text for new rows of one model given as dicts of values (see `copy_values`): ids
    drawn from the table's sequence (by `draw`) and set as row["id"] now, the rows sent later (`copy_values`,
    `CopySender`)."""
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not isinstance(field, models.GeneratedField)]
    now = None
    plan = []  # (attname, encoder, the text of the value when the row does not give it)
    for field in fields:
        encode = _encoder(field)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            if now is None:
                from django.utils import timezone

                now = timezone.now()
            default = encode(now if isinstance(field, models.DateTimeField) else date.today())
        elif field.primary_key:
            default = None
        else:
            default = encode(field.get_default())
        plan.append((field.attname, encode, default))
    missing = [row for row in rows if row.get(meta.pk.attname) is None]
    for row, pk in zip(missing, draw(model, len(missing)), strict=True):
        row[meta.pk.attname] = pk
    lines = "".join(
        "\t".join(
            [default if (value := row.get(attname, _MISSING)) is _MISSING else encode(value) for attname, encode,
             default in plan]
        )
        + "\n"
        for row in rows
    )  # fmt: skip
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # The model's own names.
    return f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN", lines  # noqa: S608


def copy_values(model: type[models.Model], rows: list[dict]) -> list[int]:
    """Insert new rows of one model given as dicts of values, with COPY; returns their ids (also set as row["id"]).

    What `copy_insert` does without building a model instance per row (building them cost as much as the rest of a
    bulk import's write): each dict holds field values by attname (`district_id`, never `district`); a field left
    out takes its default, as `Model(...)` would give it (computed once per call), and fields that set themselves
    (auto_now, auto_now_add) take the time of the call. Ids come from the table's sequence, as for `copy_insert`.
    """
    if not rows:
        return []
    statement, lines = copy_statement(model, rows)
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN END $$")  # the audit context first (see copy_insert)
        cursor.cursor.copy_expert(statement, io.StringIO(lines))
    return [row[model._meta.pk.attname] for row in rows]


class CopySender:
    """COPY statements sent on this thread's connection by a thread of their own, in the order given, while the
    caller builds the next ones: PostgreSQL takes one chunk of a bulk write while Python makes the next (two cores
    instead of one in turn). Everything stays in the caller's transaction.

    Use as a context manager around the write: `send([(statement, text), ...])` queues one batch (it waits while a
    batch is still queued, so at most two are in memory). Statements the caller runs through Django meanwhile wait
    for the COPY in progress (one statement at a time on the connection). Leaving the block waits for every batch
    and raises a COPY's error there (or at the next `send`); after an error the rest is not sent. The audit
    trail's context (pghistory's, local to the transaction) is set by the caller's first statement before any COPY.
    `next_ids` draws ids on a connection of the sender's own, so the caller does not wait for a COPY to draw them.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._wrapper = None
        self._ids = None
        self.error: BaseException | None = None
        # Seconds the thread spent sending and the caller spent waiting for it (the benchmarks print them).
        self.sending = self.waiting = 0.0

    def __enter__(self) -> CopySender:
        with connection.cursor() as cursor:
            cursor.execute("DO $$ BEGIN END $$")  # the audit context (see copy_insert)
        raw = connection.connection
        self._ids = connections.create_connection(DEFAULT_DB_ALIAS)
        self._wrapper = connection.execute_wrapper(self._one_at_a_time)
        self._wrapper.__enter__()
        self._thread = threading.Thread(target=self._run, args=(raw,), name="copy-sender", daemon=True)
        self._thread.start()
        return self

    def send(self, batch: list[tuple[str, str]]) -> None:
        self._raise()
        started = clock.perf_counter()
        self._queue.put(batch)
        self.waiting += clock.perf_counter() - started

    def next_ids(self, model: type[models.Model], count: int) -> list[int]:
        return next_ids(model, count, using=self._ids)

    def _one_at_a_time(self, execute, sql, params, many, context):
        started = clock.perf_counter()
        with self._lock:
            self.waiting += clock.perf_counter() - started
            return execute(sql, params, many, context)

    def _run(self, raw) -> None:
        while (batch := self._queue.get()) is not None:
            if self.error is not None:
                continue  # the transaction is aborted: the rest is dropped
            started = clock.perf_counter()
            try:
                for statement, lines in batch:
                    with self._lock, raw.cursor() as cursor:
                        # The text read in one piece: each read takes the interpreter's lock from the caller's
                        # thread (5 ms apart when it is busy), so 8 KB reads would make the COPY crawl.
                        cursor.copy_expert(statement, io.StringIO(lines), size=max(len(lines), 8192))
            except BaseException as error:  # raised in the caller's thread
                self.error = error
            self.sending += clock.perf_counter() - started

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def __exit__(self, kind, value, traceback) -> None:
        started = clock.perf_counter()
        self._queue.put(None)
        self._thread.join()
        self.waiting += clock.perf_counter() - started
        self._wrapper.__exit__(None, None, None)
        self._ids.close()
        if self.error is not None and self.error is not value:
            raise self.error from value


class SideCopy(CopySender):
    """COPYs into a table no foreign key ties to the rows they go with (the matching engine's blocking keys), sent
    on a connection and a transaction of their own by a thread of their own: a second PostgreSQL backend takes them
    while the caller's takes the rest of the write (on two cores, one backend was the import's pace).

    Open it with `side_copies()` around the caller's outermost transaction. The first `send` (inside the caller's
    transaction) opens the side's transaction and asks for its commit right after the caller's (`on_commit`);
    `finish()`, called before the caller's transaction ends, waits for every COPY and raises a COPY's error there,
    so the caller's transaction keeps nothing either. A caller's transaction that rolls back leaves the side's
    uncommitted: leaving `side_copies()` rolls it back. Between the two commits (a moment) the caller's rows are
    there without the side's: a process killed just then leaves them without, and whoever owns the table must be
    able to write them again (rescue.earlier.keys_restore for the blocking keys).
    """

    def __init__(self):
        super().__init__()
        self._side = None
        self.committed = False

    def __enter__(self) -> SideCopy:
        return self

    def send(self, batch: list[tuple[str, str]]) -> None:
        if self._thread is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            self._side.ensure_connection()
            self._side.set_autocommit(False)
            self._thread = threading.Thread(target=self._run, args=(self._side.connection,), name="copy-side")
            self._thread.daemon = True
            self._thread.start()
            transaction.on_commit(self._commit, robust=True)
        super().send(batch)

    def next_ids(self, model: type[models.Model], count: int) -> list[int]:
        # On the caller's connection (the sender's own connection for ids is CopySender's, not opened here).
        return next_ids(model, count)

    def finish(self) -> None:
        """Wait for every COPY sent, and raise a COPY's error here (in the caller's transaction, before it ends)."""
        if self._thread is not None and self._thread.is_alive():
            started = clock.perf_counter()
            self._queue.put(None)
            self._thread.join()
            self.waiting += clock.perf_counter() - started
        self._raise()

    def _commit(self) -> None:
        self.finish()
        self._side.commit()
        self.committed = True

    def __exit__(self, kind, value, traceback) -> None:
        if self._thread is None:
            return
        try:
            if self._thread.is_alive():
                if not self.committed:
                    self._side.connection.cancel()  # the caller's write failed: its COPY in progress is not waited for
                self._queue.put(None)
                self._thread.join()
            if not self.committed:
                self._side.rollback()
        finally:
            self._side.close()


_SIDE: ContextVar[SideCopy | None] = ContextVar("clts_side_copy", default=None)


@contextmanager
def side_copies() -> Iterator[SideCopy | None]:
    """A SideCopy for the write in the block, whose transaction must be the outermost (its commit is the signal);
    inside an outer transaction (a test's, a caller's) there is none and `side_copy()` answers None: the caller
    then sends those COPYs in its own transaction, as without a side."""
    if connection.in_atomic_block:
        yield None
        return
    with SideCopy() as side:
        token = _SIDE.set(side)
        try:
            yield side
        finally:
            _SIDE.reset(token)


def side_copy() -> SideCopy | None:
    """The SideCopy opened by `side_copies()` around this write, if any."""
    return _SIDE.get()
