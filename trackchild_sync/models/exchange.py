"""The exchange with TrackChild: what was pushed (one row per record, the version sent) and a log a person can read
(one line per attempt: when, which record by its CLTS id, the answer). Ids only: no particulars of a child."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncRun(models.Model):
    """One push of the changes to TrackChild (a Celery task run, or a retry of one)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped: TrackChild did not answer")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    sent = models.PositiveIntegerField(_("records sent"), default=0)
    failed = models.PositiveIntegerField(_("attempts failed"), default=0)
    endpoint = models.CharField(_("endpoint"), max_length=300)

    class Meta:
        verbose_name = _("TrackChild sync run")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"sync {self.pk} {self.status}"


class SyncAttempt(models.Model):
    """One attempt to send one record: the log line of the sync."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    kind = models.CharField(_("record type"), max_length=10)
    target_id = models.BigIntegerField()
    clts_id = models.CharField(_("CLTS id"), max_length=40)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    ok = models.BooleanField(_("accepted"))
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("TrackChild sync attempt")
        ordering = ["id"]

    def __str__(self) -> str:
        outcome = "accepted" if self.ok else f"failed ({self.http_status or self.message})"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.clts_id} attempt {self.attempt}: {outcome}"


class Pushed(models.Model):
    """The version of a record TrackChild last accepted: a record changed since is pushed again."""

    kind = models.CharField(max_length=10)
    target_id = models.BigIntegerField()
    version = models.DateTimeField()
    pushed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "target_id"], name="tc_pushed_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}"


class ExtractImport(models.Model):
    """One TrackChild extract imported (all its lines, or none): who, when, which layout, how many lines."""

    kind = models.CharField(_("record type"), max_length=10)
    lines = models.PositiveIntegerField(_("lines"))
    created = models.PositiveIntegerField(_("records added"))
    updated = models.PositiveIntegerField(_("records updated"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("TrackChild extract imported")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.imported_at:%Y-%m-%d}"
