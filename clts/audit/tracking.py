"""The audit trail of personal data: Postgres triggers record every insert, update and delete.

Triggers see bulk `update()`, raw SQL, COPY and imports too, which model signals would miss. The acting user and
URL come from pghistory's middleware context; Celery tasks and commands set it with `pghistory.context`.

The triggers are statement-level: one trigger call per INSERT, UPDATE, DELETE or COPY statement writes a history
row for every row the statement changed (an INSERT ... SELECT from the statement's transition table) and attaches
the context once. Row-level triggers did the same work once per row, each with a PL/pgSQL exception block (a
subtransaction) and an upsert of the context: about 5 ms a row, which made a 100,000-row import take hours. The
history rows are the same either way: one per row written, with its values, label, time and context.
"""

import sys

import pghistory

# One trigger call per statement, not per row (see above).
LEVEL = pghistory.Statement


def track_personal_data(model=None, *, exclude: tuple[str, ...] = (), keys_indexed: bool = True):
    """Class decorator for every model that holds personal data; `exclude` keeps secrets out of the history.

    `keys_indexed=False` leaves the history's copies of the model's foreign keys without an index (pghistory
    indexes each one): the trail is read by object and by context (clts.audit.queries), never by a copied key,
    and every index is kept up on every write (a bulk import writes the rescue tables' history by the hundred
    thousand rows). The object and context keys stay indexed.
    """

    def decorate(cls):
        tracked = pghistory.track(
            pghistory.InsertEvent(level=LEVEL),
            pghistory.UpdateEvent(level=LEVEL),
            pghistory.DeleteEvent(level=LEVEL),
            # "<Model>History", so the audit models never clash with domain names such as CaseEvent.
            model_name=f"{cls.__name__}History",
            obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history"),
            exclude=list(exclude) or None,
        )(cls)
        if not keys_indexed:
            _unindex_copied_keys(cls)
        return tracked

    return decorate(model) if model is not None else decorate


def _unindex_copied_keys(cls) -> None:
    """The event model's copied foreign keys without their index (pghistory gives each one db_index=True)."""
    # pghistory puts the event model in the models module of the tracked model's app.
    event_model = getattr(sys.modules[f"{cls._meta.app_config.module.__name__}.models"], f"{cls.__name__}History")
    for field in event_model._meta.local_fields:
        if field.many_to_one and not field.name.startswith("pgh_"):
            field.db_index = False


def track_decisions(*fields: str):
    """Class decorator for a work record whose person-made decisions are audited, not its machine-made rows.

    An alert is raised and resolved by the scan thousands of times a day (its own columns say when); an officer's
    acknowledgement is a decision, so the change of these `fields` alone is recorded, with the actor in context.
    """

    def decorate(cls):
        return pghistory.track(
            pghistory.UpdateEvent("decided", condition=pghistory.AnyChange(*fields), level=LEVEL),
            fields=list(fields),
            model_name=f"{cls.__name__}History",
            obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history"),
        )(cls)

    return decorate
