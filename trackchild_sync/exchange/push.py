"""The HTTP push to TrackChild: every record changed since TrackChild last accepted it, sent with the token.

- Idempotent: each record is PUT at `<endpoint>/<type>/<CLTS id>`; TrackChild keeps one record per id, so a record
  sent twice (a reply lost, a run repeated) is one record there.
- Nothing lost: a record counts as pushed only when TrackChild answered 2xx (`Pushed` keeps the version sent);
  anything else is sent again by the next run.
- Retried with backoff: each record is tried `attempts` times, waiting backoff, 2 x backoff...; when TrackChild still
  does not answer, the run stops (the rest waits) and the Celery task retries the run later, waiting longer each time.
- Logged: one `SyncAttempt` per try (time, CLTS id, attempt, HTTP status or the error), readable on the exchange
  page. Only ids and the layout's fields travel; no log line holds a particular of a child.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from trackchild_sync.exchange.layout import LAYOUTS, RELATED, Layout, clts_id, row_of
from trackchild_sync.models import Pushed, SyncAttempt, SyncRun

log = logging.getLogger(__name__)


def _changed(layout: Layout):
    """Records never pushed, or changed since the version TrackChild accepted (oldest first)."""
    pushed = Pushed.objects.filter(kind=layout.kind, target_id=OuterRef("pk")).values("version")[:1]
    qs = layout.model.objects.annotate(pushed_version=Subquery(pushed))
    qs = qs.filter(Q(pushed_version__isnull=True) | Q(updated_at__gt=F("pushed_version")))
    return qs.select_related(*RELATED[layout.kind]).order_by("pk")


def _put(url: str, body: bytes, *, token: str, timeout: float) -> int:
    if not url.startswith(("https://", "http://")):
        raise ValueError("TRACKCHILD_ENDPOINT must be an http(s) address")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=body,
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the endpoint is the admin's setting)
        return response.status


def push_run(*, attempts: int = 3, backoff: float = 1.0, timeout: float = 10.0) -> SyncRun:
    """Send every changed record once; stop at the first record TrackChild does not take after `attempts` tries."""
    endpoint = settings.TRACKCHILD_ENDPOINT.rstrip("/")
    run = SyncRun.objects.create(endpoint=endpoint)
    for layout in LAYOUTS.values():
        for obj in _changed(layout).iterator(chunk_size=500):
            if not _send(run, layout, obj, endpoint=endpoint, attempts=attempts, backoff=backoff, timeout=timeout):
                run.status, run.finished_at = SyncRun.Status.FAILED, timezone.now()
                run.save(update_fields=["status", "finished_at", "sent", "failed"])
                log.warning("TrackChild push %s stopped after %s sent", run.pk, run.sent)
                return run
    run.status, run.finished_at = SyncRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at", "sent", "failed"])
    return run


def _send(run: SyncRun, layout: Layout, obj, *, endpoint: str, attempts: int, backoff: float, timeout: float) -> bool:
    ident = clts_id(obj)
    body = json.dumps(row_of(layout, obj), ensure_ascii=False).encode()
    for attempt in range(1, attempts + 1):
        status, message = None, ""
        try:
            status = _put(f"{endpoint}/{layout.kind}/{ident}", body, token=settings.TRACKCHILD_TOKEN, timeout=timeout)
        except urllib.error.HTTPError as error:
            status, message = error.code, str(error.reason)[:300]
        except (urllib.error.URLError, OSError) as error:
            message = str(getattr(error, "reason", error))[:300]
        ok = status is not None and 200 <= status < 300
        SyncAttempt.objects.create(
            run=run,
            kind=layout.kind,
            target_id=obj.pk,
            clts_id=ident,
            attempt=attempt,
            ok=ok,
            http_status=status,
            message=message,
        )
        if ok:
            Pushed.objects.update_or_create(kind=layout.kind, target_id=obj.pk, defaults={"version": obj.updated_at})
            run.sent += 1
            return True
        run.failed += 1
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    return False
