"""Writes on rules and alerts a person makes: the shipped rules seeded, an alert acknowledged with a note."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.alerts.models import Alert, AlertStatus, DeadlineRule, EscalationStep

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "deadline_rules.json"
_RULE_FIELDS = (
    "kind",
    "name_en",
    "name_hi",
    "clock_starts_en",
    "clock_starts_hi",
    "satisfied_by_en",
    "satisfied_by_hi",
    "responsible_role",
    "timing",
    "due_after",
    "unit",
    "remind_before",
    "source",
    "source_url",
    "position",
)


@transaction.atomic
def rules_seed(*, path: Path = RULES_FILE, update: bool = False) -> tuple[int, int]:
    """Load the deadline rules from a data file: new codes are added with their escalation steps; existing rules
    keep the admin's edits unless `update` is asked for. A rule with a time (or timed by the record) is active; one
    without stays inactive until the admin sets the time; a row with `"active": false` ships switched off whatever
    its time (it needs something set up first, e.g. the TrackChild endpoint), for the admin to switch on. Returns
    (created, updated). All or nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = updated = 0
    for row in data["rules"]:
        rule = DeadlineRule.objects.filter(code=row["code"]).first()
        if rule and not update:
            continue
        is_new = rule is None
        rule = rule or DeadlineRule(code=row["code"])
        for name in _RULE_FIELDS:
            if name in row:
                setattr(rule, name, row[name] if row[name] is not None else None)
        for name in ("name_hi", "clock_starts_hi", "satisfied_by_hi", "source", "source_url"):
            setattr(rule, name, getattr(rule, name) or "")
        if is_new or update:
            active = row.get("active", True)
            if not isinstance(active, bool):
                raise ValueError(f'{row["code"]}: "active" is true or false, not {active!r}')
            rule.is_active = active and (rule.timing == "record" or rule.due_after is not None)
        rule.full_clean()
        rule.save()
        if is_new or update:
            rule.steps.all().delete()
            EscalationStep.objects.bulk_create(
                EscalationStep(rule=rule, days_overdue=step["days_overdue"], level=step["level"])
                for step in row.get("escalation", [])
            )
        created, updated = (created + 1, updated) if is_new else (created, updated + 1)
    return created, updated


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor, note: str) -> Alert:
    """The person it is with has seen the alert: the note says what is being done. It stays open until the work
    is done, and leaves the daily digest."""
    if not access.can(actor, "alert.acknowledge"):
        raise PermissionDenied
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("This item is already resolved."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what is being done about it.")})
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    return alert
