"""Reads of the audit trail: the trigger-recorded changes and our read-access log."""

from datetime import date

import pghistory.models
from django.apps import apps

from clts.audit.models import AccessLog


def tracked_models() -> list:
    """The models whose changes the triggers record (each has a `<Model>History` event model), by label."""
    return sorted(
        (model for model in apps.get_models() if hasattr(model, "pgh_event_models")),
        key=lambda model: model._meta.label,
    )


def _tracked_label(label_lower: str) -> str:
    """ "rescue.case" (the access log's form, and the filter's) as the change log writes it: "rescue.Case"."""
    try:
        return apps.get_model(label_lower)._meta.label
    except (LookupError, ValueError):
        return label_lower


def _narrowed(
    qs,
    *,
    columns: tuple[str, str, str, str],
    user_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
):
    """One log narrowed by the audit page's filters (an empty one narrows nothing). Both logs take the same five;
    `columns` names, in the log's own words, who did it, the kind of record, the record and when."""
    user, kind, record, at = columns
    wanted = {user: user_id, kind: object_type, record: object_id, f"{at}__date__gte": since, f"{at}__date__lte": until}
    return qs.filter(**{lookup: value for lookup, value in wanted.items() if value})


def access_log_search(**filters):
    """Our read-access log, newest first (filters: those of `_narrowed`)."""
    qs = AccessLog.objects.select_related("user")
    return _narrowed(qs, columns=("user_id", "object_type", "object_id", "at"), **filters).order_by("-at", "-id")


def change_search(*, object_type: str = "", **filters):
    """The changes the triggers recorded, newest first (filters: those of `_narrowed`)."""
    qs = pghistory.models.Events.objects.all()
    columns = ("pgh_context__user", "pgh_obj_model", "pgh_obj_id", "pgh_created_at")
    label = _tracked_label(object_type) if object_type else ""
    return _narrowed(qs, columns=columns, object_type=label, **filters).order_by("-pgh_created_at")
