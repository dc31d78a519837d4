"""Celery tasks of trackchild_sync: thin wrappers taking ids (never a name or any particular of a child)."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def match_record(kind: str, pk: int) -> int:
    """Raise the possible matches of one record just added ("m" report, "f" found child, "r" CCI resident)."""
    from trackchild_sync import matching

    return matching.match_record(kind, pk)


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def matching_pass() -> dict:
    """The nightly pass of every open missing report against found children and CCI residents."""
    from trackchild_sync import matching

    return matching.matching_pass()


@shared_task(bind=True, acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60, max_retries=8)
def push_changes(self) -> int:
    """Push what changed to TrackChild; when it stops answering, try again later (1, 2, 4... minutes, up to an hour)."""
    from django.conf import settings

    from trackchild_sync.exchange import push
    from trackchild_sync.models import SyncRun

    if not settings.TRACKCHILD_ENDPOINT:
        return 0
    run = push.push_run()
    if run.status == SyncRun.Status.FAILED:
        raise self.retry(countdown=min(3600, 60 * 2**self.request.retries))
    return run.pk


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def compliance_refresh() -> int:
    """Count every CCI's and police station's records again for the state's upload compliance page."""
    from trackchild_sync import compliance

    return compliance.figures_refresh()
