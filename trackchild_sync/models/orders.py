"""The Committee's work on a case: its sittings, its orders, and the deadlines the orders start.

Each time limit is data (`CwcStep`, edited by the administrator, each naming its source): CLTS ships only the one
that could be confirmed (production within 24 hours, JJ Act 2015 s.31(1)) and leaves the others empty. An order or
the production starts a step's clock (`CwcDeadline`), a later order meets it; the alerts app reads the deadlines.
Institutions themselves are kernel: clts.orgs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.core.i18n import bilingual
from clts.orgs.models import Institution


@track_personal_data
class CwcOrder(models.Model):
    """An order of a Child Welfare Committee on one child's case (JJ Act 2015, section 37)."""

    class Kind(models.TextChoices):
        INTERIM_SHELTER = "interim_shelter", _("Interim shelter")
        CCI_PLACEMENT = "cci_placement", _("Placement in a CCI")
        RESTORATION = "restoration", _("Restoration to family")
        SIR_ORDERED = "sir_ordered", _("Social investigation report ordered")
        SIR_RECEIVED = "sir_received", _("Social investigation report received")
        CARE_PLAN = "care_plan", _("Individual care plan")
        REPATRIATION = "repatriation", _("Repatriation to another state")
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        FOSTER_CARE = "foster_care", _("Foster care")

    case = models.ForeignKey("rescue.Case", on_delete=models.CASCADE, related_name="cwc_orders", verbose_name=_("case"))
    cwc = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="cwc_orders", verbose_name=_("CWC"))
    sitting = models.ForeignKey(
        "trackchild_sync.CwcSitting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("sitting"),
    )
    kind = models.CharField(_("order"), max_length=16, choices=Kind.choices)
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    ordered_on = models.DateField(_("date of order"))
    cci = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement_orders",
        verbose_name=_("CCI or shelter"),
    )
    restored_to = models.CharField(
        _("restored to"), max_length=200, blank=True, help_text=_("The family member who takes charge of the child.")
    )
    restored_place = models.CharField(
        _("restored at"),
        max_length=200,
        blank=True,
        help_text=_("Where the child will live: the village or town and the address."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("case__")

    class Meta:
        verbose_name = _("CWC order")
        ordering = ["ordered_on", "id"]
        indexes = [models.Index(fields=["case", "ordered_on"], name="tc_cwcorder_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ordered_on:%Y-%m-%d}"


class CwcSitting(models.Model):
    """One sitting of a Committee (JJ Act 2015 s.28: at least twenty days a month); its orders name it."""

    cwc = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("CWC"))
    sat_on = models.DateField(_("date of the sitting"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("CWC sitting")
        ordering = ["-sat_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cwc", "sat_on"], name="tc_sitting_one_a_day")]

    def __str__(self) -> str:
        return f"{self.cwc} {self.sat_on:%Y-%m-%d}"


class CwcStep(models.Model):
    """A step of the Committee's proceedings with a time limit, as data: what starts its clock, which orders meet
    it, the time (empty where no source could be confirmed: no deadline is then counted) and its source."""

    class Clock(models.TextChoices):
        RESCUE = "rescue", _("The rescue")
        PRODUCTION = "production", _("The production before the Committee")
        SIR_ORDERED = "sir_ordered", _("The social investigation report ordered")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    clock = models.CharField(_("the clock starts at"), max_length=16, choices=Clock.choices)
    met_by = models.CharField(
        _("met by the orders"), max_length=200, help_text=_("Kinds of order that meet it, separated by commas.")
    )
    due_after = models.DurationField(
        _("time allowed"), null=True, blank=True, help_text=_("Empty until a source fixes it (then nothing is due).")
    )
    source = models.TextField(_("legal source"), blank=True)

    class Meta:
        verbose_name = _("CWC time limit")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")

    @property
    def met_by_kinds(self) -> list[str]:
        return [kind.strip() for kind in self.met_by.split(",") if kind.strip()]


@track_personal_data
class CwcDeadline(models.Model):
    """One step's clock on one case: started by the production or an order, met by a later order."""

    case = models.ForeignKey("rescue.Case", on_delete=models.CASCADE, related_name="cwc_deadlines")
    step = models.ForeignKey(CwcStep, on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("step"))
    started_at = models.DateTimeField(_("clock started at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_by = models.ForeignKey(CwcOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("case__")

    class Meta:
        verbose_name = _("CWC deadline")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step"], condition=models.Q(met_at__isnull=True), name="tc_deadline_one_open"
            )
        ]
        indexes = [
            models.Index(
                fields=["step", "started_at"], condition=models.Q(met_at__isnull=True), name="tc_deadline_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.started_at:%Y-%m-%d}"

    @property
    def due_at(self):
        return self.started_at + self.step.due_after if self.step.due_after else None
