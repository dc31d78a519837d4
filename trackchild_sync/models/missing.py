"""Missing and found children, and the pairs the matching engine raises between them for a person to decide.

A police station reports a child missing; a police station, a DCPU or a CCI records a child found (or the CCI
register holds the child). The engine scores each open report against found children and current CCI residents;
a pair worth showing waits in the review queue of the CWC and DCPU of the district where the child now is. A
confirmed pair links the records and closes the report; a rejected pair is kept, so it is never raised again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.orgs.models import Institution
from trackchild_sync.choices import FirKind, PairStatus, ReportStatus
from trackchild_sync.models.description import ChildDescription
from trackchild_sync.models.register import Residence

# The CWC of a district reaches a record through the record's district (District <- Institution).
_CWC_OF_DISTRICT = "district__institution"

MISSING_SCOPE = access.Scope(
    district=("district",),
    cwc=(_CWC_OF_DISTRICT,),
    police=("station",),
    dcpu=("district",),
    multi=True,
)
FOUND_SCOPE = access.Scope(
    district=("district",),
    cwc=(_CWC_OF_DISTRICT,),
    cci=("placed_in",),
    police=("recorded_at_institution",),
    dcpu=("district",),
    multi=True,
)
# A pair is reviewed where the child now is (the found child's or resident's district), and seen where the report was
# filed; the police station sees what became of its own reports.
PAIR_SCOPE = access.Scope(
    district=("district", "missing__district"),
    cwc=(_CWC_OF_DISTRICT,),
    dcpu=("district", "missing__district"),
    police=("missing__station",),
    multi=True,
)


@track_personal_data
class MissingReport(ChildDescription):
    """A child reported missing at a police station (what TrackChild calls a missing-child report)."""

    station = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="missing_reports", verbose_name=_("police station")
    )
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    fir_kind = models.CharField(_("FIR or GD"), max_length=3, choices=FirKind.choices, default=FirKind.FIR)
    fir_number = models.CharField(_("FIR or GD number"), max_length=60)
    reported_on = models.DateField(_("reported on"))
    last_seen_on = models.DateField(_("last seen on"))
    last_seen_place = models.CharField(_("place last seen"), max_length=200)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=15, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = MISSING_SCOPE

    class Meta:
        verbose_name = _("missing-child report")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "fir_kind", "fir_number"], name="tc_missing_one_per_fir"),
        ]
        indexes = [
            models.Index(fields=["district", "status", "reported_on", "id"], name="tc_missing_district"),
            # A station's reports; with these columns a district's upload compliance is an index-only scan.
            models.Index(
                fields=["station", "recorded_at"], include=["reported_on", "status", "id"], name="tc_missing_station"
            ),
            models.Index(fields=["updated_at", "id"], name="tc_missing_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_fir_kind_display()} {self.fir_number}"


@track_personal_data
class FoundChild(ChildDescription):
    """A child found without a guardian (by the police, a DCPU, a CCI, the railway police, a citizen)."""

    found_by = models.CharField(_("found by"), max_length=200, help_text=_("Who found the child."))
    found_on = models.DateField(_("found on"))
    found_place = models.CharField(_("place found"), max_length=200)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    placed_in = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="found_children",
        verbose_name=_("placed in"),
    )
    placed_note = models.CharField(_("where placed (other)"), max_length=200, blank=True)
    residence = models.OneToOneField(
        Residence, on_delete=models.SET_NULL, null=True, blank=True, related_name="found_record"
    )
    recorded_at_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    matched = models.BooleanField(_("matched to a missing report"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = FOUND_SCOPE

    class Meta:
        verbose_name = _("found child")
        verbose_name_plural = _("found children")
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["district", "found_on", "id"], name="tc_found_district"),
            models.Index(fields=["recorded_at_institution", "recorded_at"], name="tc_found_recorder"),
            models.Index(fields=["updated_at", "id"], name="tc_found_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.found_place} {self.found_on:%Y-%m-%d}"


@track_personal_data
class MatchPair(models.Model):
    """A missing report and a found child or CCI resident that may be the same child, for a person to decide."""

    missing = models.ForeignKey(MissingReport, on_delete=models.CASCADE, related_name="pairs")
    found = models.ForeignKey(FoundChild, on_delete=models.CASCADE, null=True, blank=True, related_name="pairs")
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, null=True, blank=True, related_name="pairs")
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", help_text="Where the child now is."
    )
    probability = models.FloatField(_("probability"))
    strength = models.CharField(_("strength"), max_length=10, blank=True)
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = PAIR_SCOPE

    class Meta:
        verbose_name = _("possible match")
        ordering = ["-probability", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(found__isnull=True, residence__isnull=False)
                | Q(found__isnull=False, residence__isnull=True),
                name="tc_pair_one_target",
            ),
            # A pair is raised once, whatever became of it: a rejected pair is never raised again.
            models.UniqueConstraint(fields=["missing", "found"], name="tc_pair_once_found"),
            models.UniqueConstraint(fields=["missing", "residence"], name="tc_pair_once_resident"),
            models.CheckConstraint(
                condition=Q(status=PairStatus.PENDING) | Q(status=PairStatus.SUPERSEDED) | ~Q(reason=""),
                name="tc_pair_decision_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status", "probability"], name="tc_pair_queue"),
        ]

    def __str__(self) -> str:
        return f"pair {self.pk}"

    @property
    def target(self):
        return self.found or self.residence


class MatchKey(models.Model):
    """The matching engine's blocking keys (clts.matching.keys) of missing reports, found children and CCI
    residents: which records are worth scoring against each other at all. Rebuilt by the nightly pass."""

    class Kind(models.TextChoices):
        MISSING = "m", "missing report"
        FOUND = "f", "found child"
        RESIDENT = "r", "CCI resident"

    key = models.BigIntegerField()
    kind = models.CharField(max_length=1, choices=Kind.choices)
    target_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "kind", "target_id"], name="tc_matchkey_unique")]
        indexes = [models.Index(fields=["kind", "target_id"], name="tc_matchkey_target")]

    def __str__(self) -> str:
        return f"{self.kind}{self.target_id}"
