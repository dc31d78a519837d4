"""Writes to the read-access log."""

from django.db import models

from clts.accounts.client_ip import client_ip
from clts.audit.models import AccessLog


def access_log_record(*, user, obj: models.Model, action: str, request=None, label: str = "") -> AccessLog:
    """Record that the user viewed, exported or printed one record (label: a case number, never a name)."""
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        label=label[:60],
        path=request.path[:300] if request is not None else "",
        ip_address=client_ip(request) if request is not None else None,
    )


def access_log_record_many(*, user, model: type[models.Model], ids, action: str, request=None) -> int:
    """Record an export of many records in one insert."""
    rows = [
        AccessLog(
            user=user,
            action=action,
            object_type=model._meta.label_lower,
            object_id=str(pk),
            path=request.path[:300] if request is not None else "",
            ip_address=client_ip(request) if request is not None else None,
        )
        for pk in ids
    ]
    AccessLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
