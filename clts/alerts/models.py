"""Deadline rules (data the admin keeps), the alerts the scan raises from them, digests sent, compliance figures."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.accounts.roles import Role
from clts.audit.tracking import track_decisions
from clts.core.i18n import bilingual


class Timing(models.TextChoices):
    AFTER_START = "after_start", _("A fixed time after the clock starts")
    RECORD = "record", _("The due date kept on the record")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class Level(models.IntegerChoices):
    """Who an alert is with: the responsible worker, then the supervisors it escalates to."""

    OWN = 0, _("Responsible worker")
    BLOCK = 1, _("Block officer")
    DISTRICT = 2, _("District officer")
    STATE = 3, _("State")


# The rank of each role on the escalation ladder: an alert that has reached a rank is on the work list of the
# users of that rank in its jurisdiction (and stays on the lists of the ranks below, down to where it started).
ROLE_LEVEL = {
    Role.FIELD: Level.OWN,
    Role.CWC: Level.OWN,
    Role.CCI: Level.OWN,
    Role.POLICE: Level.OWN,
    Role.DCPU: Level.OWN,
    Role.BLOCK: Level.BLOCK,
    Role.NODAL: Level.BLOCK,
    Role.DISTRICT: Level.DISTRICT,
    Role.STATE: Level.STATE,
    Role.ADMIN: Level.STATE,
}

# Roles whose work list is their institution's (a CWC, a CCI, a police station, a DCPU).
INSTITUTION_ROLES = (Role.CWC, Role.CCI, Role.POLICE, Role.DCPU)


class DeadlineRule(models.Model):
    """One deadline that applies to cases or institutions: when its clock starts, what satisfies it, who answers
    for it, when it falls due, when to remind and whom to escalate to; the admin keeps these up to date.

    `kind` names the evaluator in the rule registry (clts.alerts.rules) that finds the open items set-based.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind of deadline"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    clock_starts_en = models.CharField(_("the clock starts (English)"), max_length=300)
    clock_starts_hi = models.CharField(_("the clock starts (Hindi)"), max_length=300, blank=True)
    satisfied_by_en = models.CharField(_("satisfied by (English)"), max_length=300)
    satisfied_by_hi = models.CharField(_("satisfied by (Hindi)"), max_length=300, blank=True)
    responsible_role = models.CharField(_("responsible role"), max_length=16, choices=Role.choices)
    timing = models.CharField(_("due"), max_length=12, choices=Timing.choices, default=Timing.AFTER_START)
    due_after = models.PositiveIntegerField(
        _("due after"),
        null=True,
        blank=True,
        help_text=_(
            "Hours or days after the clock starts. Leave empty when no source fixes the time: the rule then stays "
            "inactive until the administrator sets it."
        ),
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.DAYS)
    remind_before = models.PositiveIntegerField(
        _("remind before the due time"),
        default=0,
        help_text=_("Hours or days (the unit above) before the due time when the item appears on the work list."),
    )
    source = models.TextField(
        _("legal or SOP source"), blank=True, help_text=_("The Act, rule, order or SOP that fixes the time limit.")
    )
    source_url = models.URLField(_("link to the source"), blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    position = models.PositiveSmallIntegerField(_("order on the pages"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deadline rule")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_active=True, timing=Timing.AFTER_START, due_after__isnull=True),
                name="alerts_rule_active_needs_time",
            ),
            models.CheckConstraint(condition=Q(responsible_role__in=Role.values), name="alerts_rule_role_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")
    clock_starts = bilingual("clock_starts")
    satisfied_by = bilingual("satisfied_by")

    def _delta(self, value: int) -> timedelta:
        return timedelta(hours=value) if self.unit == Unit.HOURS else timedelta(days=value)

    @property
    def due_delta(self) -> timedelta | None:
        return None if self.due_after is None else self._delta(self.due_after)

    @property
    def remind_delta(self) -> timedelta:
        return self._delta(self.remind_before)

    @property
    def start_level(self) -> int:
        return int(ROLE_LEVEL.get(self.responsible_role, Level.OWN))

    def clean(self) -> None:
        from clts.alerts.rules import registry

        super().clean()
        kind = registry().get(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("There is no deadline of this kind.")})
        if self.timing not in kind.timings:
            raise ValidationError({"timing": _("This kind of deadline cannot be timed this way.")})
        if self.is_active and self.timing == Timing.AFTER_START and self.due_after is None:
            raise ValidationError({"due_after": _("Set the time before the rule can be active.")})


class EscalationStep(models.Model):
    """After so many days overdue, the alert goes up to the block, district or state (the rule's steps, as data)."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="steps", verbose_name=_("rule"))
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"), validators=[MinValueValidator(1)])
    level = models.PositiveSmallIntegerField(
        _("escalate to"), choices=[(level.value, level.label) for level in Level if level != Level.OWN]
    )

    class Meta:
        verbose_name = _("escalation step")
        ordering = ["rule", "days_overdue"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "level"], name="alerts_step_one_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="alerts_step_level_valid"),
        ]

    def __str__(self) -> str:
        return str(
            _("to %(level)s after %(days)s days overdue")
            % {"level": self.get_level_display(), "days": self.days_overdue}
        )


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    DONE = "done", _("The work was done")
    WITHDRAWN = "withdrawn", _("No longer applies")


class AlertQuerySet(access.ScopedQuerySet):
    def open(self):
        return self.filter(status=AlertStatus.OPEN)

    def for_user(self, user):
        """The open alerts on the user's own work list: where they answer for the work, or it has escalated to them."""
        qs = self.open()
        role = Role.ADMIN if user.is_superuser else user.role
        if role == Role.FIELD:
            return qs.filter(assignee_id=user.pk)
        if role in INSTITUTION_ROLES:
            own = Q(institution_id=user.institution_id)
            if role == Role.DCPU and user.district_id:
                # Work of the district's DCPU that belongs to no one institution (a possible match to review).
                own |= Q(institution_id__isnull=True, responsible_role=Role.DCPU, district_id=user.district_id)
            return qs.filter(own)
        if role == Role.NODAL:
            qs = qs.filter(department_id=user.department_id, responsible_role=Role.NODAL)
            return qs.filter(district_id=user.district_id) if user.district_id else qs
        rank = ROLE_LEVEL[role]
        qs = qs.filter(start_level__lte=rank, level__gte=rank)
        if role == Role.BLOCK:
            return qs.filter(block_id=user.block_id)
        if role == Role.DISTRICT:
            return qs.filter(district_id=user.district_id)
        return qs


# Work lists and overdue lists walk the open alerts of one jurisdiction, most urgent first (partial indexes).
OPEN = Q(status="open")


@track_decisions("acknowledged_at", "acknowledged_by", "acknowledgement_note")
class Alert(models.Model):
    """One deadline of one object (a case, transfer, component, visit, linkage...) that is due soon or overdue.

    Unique per rule, object and due time, so a scan that runs twice, or is killed and run again, never raises the
    same alert twice. The scan resolves it once the work is done or the deadline no longer applies.
    """

    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("rule"))
    object_type = models.CharField(_("kind of record"), max_length=20)
    object_id = models.BigIntegerField(_("record"))
    case = models.ForeignKey(
        "rescue.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    institution = models.ForeignKey(
        "orgs.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    # The responsible jurisdiction, copied from the object by every scan.
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    block = models.ForeignKey(
        "geo.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("block")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    responsible_role = models.CharField(_("responsible role"), max_length=16, choices=Role.choices)
    start_level = models.PositiveSmallIntegerField(_("starts with"), choices=Level.choices, default=Level.OWN)
    level = models.PositiveSmallIntegerField(_("now with"), choices=Level.choices, default=Level.OWN)
    # The step that satisfies it (for the link to the right form), e.g. "sanction" or "disburse".
    action = models.CharField(_("next step"), max_length=16, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution.choices, blank=True)
    created_at = models.DateTimeField(_("raised at"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement_note = models.TextField(_("note"), blank=True)

    objects = AlertQuerySet.as_manager()
    scope = access.ALERT_SCOPE

    class Meta:
        verbose_name = _("alert")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id", "due_at"], name="alerts_alert_one_per_due"
            ),
            models.CheckConstraint(condition=Q(status__in=AlertStatus.values), name="alerts_alert_status_valid"),
            models.CheckConstraint(
                condition=Q(status=AlertStatus.OPEN, resolved_at__isnull=True)
                | Q(status=AlertStatus.RESOLVED, resolved_at__isnull=False),
                name="alerts_alert_resolved_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "due_at", "id"], condition=OPEN, name="alerts_open_district"),
            models.Index(fields=["block", "due_at", "id"], condition=OPEN, name="alerts_open_block"),
            models.Index(fields=["assignee", "due_at", "id"], condition=OPEN, name="alerts_open_assignee"),
            models.Index(fields=["institution", "due_at", "id"], condition=OPEN, name="alerts_open_institution"),
            models.Index(fields=["department", "due_at", "id"], condition=OPEN, name="alerts_open_department"),
            models.Index(fields=["due_at", "id"], condition=OPEN, name="alerts_open_due"),
            # The district officer's and the state's own lists: only what has reached them.
            # start_level in the condition too, so that a district officer's count is an index-only scan.
            models.Index(
                fields=["district", "due_at", "id"],
                condition=OPEN & Q(level__gte=2, start_level__lte=2),
                name="alerts_open_district_up",
            ),
            models.Index(fields=["due_at", "id"], condition=OPEN & Q(level__gte=3), name="alerts_open_state"),
            models.Index(fields=["rule", "object_id"], condition=OPEN, name="alerts_open_rule"),
            models.Index(fields=["case"], name="alerts_alert_case"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.object_type}/{self.object_id}"


class ScanRun(models.Model):
    """One run of the deadline scan: when, for which moment, what it found, and whether it finished."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    trigger = models.CharField(_("started by"), max_length=16)
    as_of = models.DateTimeField(_("as of"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    created = models.PositiveIntegerField(_("alerts raised"), default=0)
    resolved = models.PositiveIntegerField(_("alerts resolved"), default=0)
    escalated = models.PositiveIntegerField(_("alerts escalated"), default=0)
    open_after = models.PositiveIntegerField(_("open alerts after the run"), default=0)
    # Per rule code: {"open": n, "created": n, "resolved": n, "escalated": n, "seconds": s}; filled as each
    # rule's transaction commits, so a run that was killed shows how far it got.
    rules = models.JSONField(_("by rule"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("deadline scan")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status"], name="alerts_scanrun_status")]

    def __str__(self) -> str:
        return f"{self.trigger} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class DigestSent(models.Model):
    """The one daily digest of a user (claimed before sending, so a second run the same day sends nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    alert_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, verbose_name=_("alerts listed"))
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    due_soon = models.PositiveIntegerField(_("due soon"), default=0)
    emailed = models.BooleanField(_("e-mail sent"), default=False)
    texted = models.BooleanField(_("SMS sent"), default=False)

    class Meta:
        verbose_name = _("daily digest")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="alerts_digest_one_per_user_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class ComplianceMonth(models.Model):
    """How many deadlines of one rule fell due in one month for one district, block, officer and institution, and
    how many were met on time, met late or are still overdue; rebuilt set-based by the daily scan."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="+", verbose_name=_("rule"))
    month = models.DateField(_("month"), help_text=_("The first day of the month the deadlines fell due in."))
    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, null=True, related_name="+")
    block = models.ForeignKey("geo.Block", on_delete=models.CASCADE, null=True, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    institution = models.ForeignKey("orgs.Institution", on_delete=models.CASCADE, null=True, related_name="+")
    due = models.PositiveIntegerField(_("fell due"), default=0)
    on_time = models.PositiveIntegerField(_("met on time"), default=0)
    late = models.PositiveIntegerField(_("met late"), default=0)
    overdue = models.PositiveIntegerField(_("still overdue"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    objects = access.ScopedQuerySet.as_manager()
    scope = access.COMPLIANCE_SCOPE

    class Meta:
        verbose_name = _("compliance figures for a month")
        verbose_name_plural = _("compliance figures by month")
        indexes = [
            models.Index(fields=["month", "rule"], name="alerts_compliance_month"),
            models.Index(fields=["district", "month"], name="alerts_compliance_district"),
            models.Index(fields=["block", "month"], name="alerts_compliance_block"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.month:%Y-%m}"
