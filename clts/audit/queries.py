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
    """"rescue.case" (the access log's form, and the filter's) as the change log writes it: "rescue.Case"."""
    try:
        return apps.get_model(label_lower)._meta.label
    except (LookupError, ValueError):
        return label_lower


def access_log_search(
    *,
    user_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
):
    qs = AccessLog.objects.select_related("user")
    if user_id:
        qs = qs.filter(user_id=user_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def change_search(
    *,
    user_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
):
    qs = pghistory.models.Events.objects.all()
    if user_id:
        qs = qs.filter(pgh_context__user=user_id)
    if object_type:
        qs = qs.filter(pgh_obj_model=_tracked_label(object_type))
    if object_id:
        qs = qs.filter(pgh_obj_id=object_id)
    if since:
        qs = qs.filter(pgh_created_at__date__gte=since)
    if until:
        qs = qs.filter(pgh_created_at__date__lte=until)
    return qs.order_by("-pgh_created_at")
