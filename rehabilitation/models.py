"""Rehabilitation of a rescued child: the package of components owed, education, and follow-up visits."""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.core.fields import user_key
from clts.core.i18n import bilingual
from rehabilitation.choices import (  # noqa: F401  (the choices are also read as rehabilitation.models.<Name>)
    AppliesTo,
    Attendance,
    ComponentKind,
    ComponentStatus,
    Decision,
    DisbursementMode,
    DueEvent,
    EnrolmentKind,
    Found,
    Health,
    RiskLevel,
    SchemeAccess,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
PROOF_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")


def proof_upload_to(instance, filename: str) -> str:
    """A proof's stored name is a random uuid: the uploaded name may carry the child's name, so it is dropped."""
    extension = Path(filename).suffix.lower()
    if extension not in PROOF_EXTENSIONS:
        extension = ""
    return f"rehabilitation/proofs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ComponentTemplate(models.Model):
    """One kind of help a rescued child is owed under a rule or order; the admin keeps these up to date."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ComponentKind.choices)
    department = models.CharField(_("department that delivers it"), max_length=200)
    amount = models.DecimalField(
        _("amount (Rs)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the amount is set by the department case by case or cannot be confirmed."),
        **MONEY,
    )
    applies_to = ArrayField(
        models.CharField(max_length=12, choices=AppliesTo.choices),
        default=list,
        verbose_name=_("applies to"),
        help_text=_("The template applies to a child who meets every condition listed ('every rescued child': all)."),
    )
    due_event = models.CharField(_("due after"), max_length=12, choices=DueEvent.choices, default=DueEvent.RESTORATION)
    due_days = models.PositiveSmallIntegerField(
        _("due within (days)"),
        null=True,
        blank=True,
        help_text=_("Only where a rule states it; empty means no due date."),
    )
    source = models.TextField(_("rule or order it comes from"))
    source_url = models.URLField(_("link to the rule or order"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order on the page"), default=0)

    class Meta:
        verbose_name = _("component template")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rehab_template_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")


# Monthly for six months, then quarterly until two years after restoration: the schedule when the admin has set
# none (the first migration stores it as rows the admin can change).
DEFAULT_VISIT_MONTHS = (1, 2, 3, 4, 5, 6, 9, 12, 15, 18, 21, 24)


class VisitScheduleStep(models.Model):
    """One follow-up visit of the schedule, so many months after restoration (the schedule is data)."""

    months_after_restoration = models.PositiveSmallIntegerField(
        _("months after restoration"), unique=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("visit schedule step")
        ordering = ["months_after_restoration"]

    def __str__(self) -> str:
        return str(_("%(months)s months after restoration") % {"months": self.months_after_restoration})

    @classmethod
    def schedule(cls) -> list[int]:
        """Months after restoration of each visit, in order: the rows, or the default schedule if there are none."""
        months = list(
            cls.objects.order_by("months_after_restoration").values_list("months_after_restoration", flat=True)
        )
        return months or list(DEFAULT_VISIT_MONTHS)


class RehabilitationRule(models.Model):
    """The few numbers that decide closure and education; one row, edited by the admin."""

    safe_visits_for_closure = models.PositiveSmallIntegerField(
        _("safe visits needed to close"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("The last this many recorded visits must have found the child safe."),
    )
    school_age_from = models.PositiveSmallIntegerField(_("school age from (years)"), default=6)
    school_age_to = models.PositiveSmallIntegerField(
        _("school age up to (years)"),
        default=14,
        help_text=_("Right of Children to Free and Compulsory Education Act, 2009, section 3: ages 6 to 14."),
    )

    class Meta:
        verbose_name = _("rehabilitation rule")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "RehabilitationRule":
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule


@track_personal_data
class Package(models.Model):
    """The rehabilitation owed to one case, with running totals kept by the services for fast lists."""

    case = models.OneToOneField("rescue.Case", on_delete=models.PROTECT, related_name="package", verbose_name=_("case"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # Kept by services.package_totals_refresh after every component change; never edited by hand.
    planned_total = models.DecimalField(_("planned (Rs)"), default=Decimal("0"), **MONEY)
    sanctioned_total = models.DecimalField(_("sanctioned (Rs)"), default=Decimal("0"), **MONEY)
    disbursed_total = models.DecimalField(_("disbursed (Rs)"), default=Decimal("0"), **MONEY)
    open_components = models.PositiveSmallIntegerField(_("components still open"), default=0)
    first_open_due_on = models.DateField(_("earliest due date still open"), null=True, blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.PACKAGE_SCOPE

    class Meta:
        verbose_name = _("rehabilitation package")
        indexes = [
            models.Index(fields=["first_open_due_on", "id"], name="rehab_package_open_due"),
        ]

    def __str__(self) -> str:
        return str(_("Package of case %(case)s") % {"case": self.case.case_number})


OPEN_STATUSES = (ComponentStatus.PLANNED, ComponentStatus.SANCTIONED)
DONE_STATUSES = (ComponentStatus.DISBURSED, ComponentStatus.VERIFIED, ComponentStatus.WAIVED)


class ComponentQuerySet(access.ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, on=None):
        return self.open().filter(due_on__lt=on or timezone.localdate())


@track_personal_data
class Component(models.Model):
    """One item of a package: planned -> sanctioned -> disbursed -> verified, or waived with a reason."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="components", verbose_name=_("package"))
    template = models.ForeignKey(
        ComponentTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("template"),
    )
    # Copied from the template so that a later change of the template does not rewrite what was owed.
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ComponentKind.choices)
    department = models.CharField(_("department that delivers it"), max_length=200, blank=True)
    source = models.TextField(_("rule or order it comes from"), blank=True)
    planned_amount = models.DecimalField(_("planned amount (Rs)"), null=True, blank=True, **MONEY)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    added_reason = models.TextField(_("why it was added"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ComponentStatus.choices, default=ComponentStatus.PLANNED
    )
    sanction_order_number = models.CharField(_("sanction order number"), max_length=80, blank=True)
    sanctioned_on = models.DateField(_("sanctioned on"), null=True, blank=True)
    sanctioned_amount = models.DecimalField(_("sanctioned amount (Rs)"), null=True, blank=True, **MONEY)
    sanction_proof = models.FileField(_("sanction order (scan)"), upload_to=proof_upload_to, blank=True)
    sanctioned_by = user_key(_("sanction recorded by"))
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursed_amount = models.DecimalField(_("disbursed amount (Rs)"), null=True, blank=True, **MONEY)
    disbursement_mode = models.CharField(
        _("mode of disbursement"), max_length=16, choices=DisbursementMode.choices, blank=True
    )
    disbursement_reference = models.CharField(_("transaction or deposit reference"), max_length=80, blank=True)
    fd_maturity_on = models.DateField(_("fixed deposit matures on"), null=True, blank=True)
    disbursement_proof = models.FileField(_("proof of disbursement (scan)"), upload_to=proof_upload_to, blank=True)
    # A disbursement from a legacy register whose proof exists on paper only: the office that holds it (never both
    # this and a scan; see services.component_disburse and docs/imports.md).
    disbursement_proof_held_at = models.CharField(
        _("proof of disbursement held on paper at"), max_length=200, blank=True, default="", db_default=""
    )
    disbursed_by = user_key(_("disbursement recorded by"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = user_key(_("verified by"))
    verification_note = models.TextField(_("how it was verified"), blank=True)
    waived_reason = models.TextField(_("why it was waived"), blank=True)
    waived_on = models.DateField(_("waived on"), null=True, blank=True)
    waived_by = user_key(_("waived by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComponentQuerySet.as_manager()
    scope = access.PACKAGE_SCOPE.via("package__")

    class Meta:
        verbose_name = _("package component")
        ordering = ["package", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "template"],
                condition=Q(template__isnull=False),
                name="rehab_component_one_per_template",
            ),
            # The database refuses an over-disbursement even if a service were bypassed.
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True)
                | Q(sanctioned_amount__isnull=False, disbursed_amount__lte=models.F("sanctioned_amount")),
                name="rehab_component_disbursed_within_sanction",
            ),
            models.CheckConstraint(
                condition=~Q(status=ComponentStatus.WAIVED) | ~Q(waived_reason=""),
                name="rehab_component_waiver_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(disbursement_mode=DisbursementMode.FIXED_DEPOSIT) | Q(fd_maturity_on__isnull=False),
                name="rehab_component_fd_has_maturity",
            ),
            # A disbursement's proof is a scan or a named office holding the paper, not both.
            models.CheckConstraint(
                condition=Q(disbursement_proof_held_at="") | Q(disbursement_proof=""),
                name="rehab_component_one_kind_of_proof",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=["planned", "sanctioned"]),
                name="rehab_component_open_due",
            ),
            models.Index(fields=["sanctioned_on"], name="rehab_component_sanctioned_on"),
            models.Index(fields=["disbursed_on"], name="rehab_component_disbursed_on"),
        ]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


@track_personal_data
class Enrolment(models.Model):
    """A child's place in a school, a bridge course or (past school age) training or permitted work."""

    case = models.ForeignKey("rescue.Case", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=8, choices=EnrolmentKind.choices)
    institution_name = models.CharField(_("school, centre or workplace"), max_length=200)
    udise_code = models.CharField(
        _("UDISE code"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^\d{11}$", _("A UDISE code has 11 digits."))],
        help_text=_("The school's 11-digit code in UDISE+."),
    )
    class_name = models.CharField(_("class or course"), max_length=60, blank=True)
    enrolled_on = models.DateField(_("enrolled on"))
    residential = models.BooleanField(_("residential"), default=False)
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.PACKAGE_SCOPE

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-enrolled_on", "-id"]
        indexes = [models.Index(fields=["case", "ended_on"], name="rehab_enrolment_case")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("enrolled_on")),
                name="rehab_enrolment_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enrolled_on:%Y-%m-%d}"


class VisitQuerySet(access.ScopedQuerySet):
    def awaiting_decision(self):
        return self.filter(needs_decision=True, decision="")

    def scheduled(self):
        return self.filter(visited_on__isnull=True)


@track_personal_data
class Visit(models.Model):
    """A follow-up visit to a restored child: scheduled for a date, then recorded by the field worker."""

    # CASE_SCOPE's field-worker lookup is "visits__assigned_to": keep these two names.
    case = models.ForeignKey("rescue.Case", on_delete=models.CASCADE, related_name="visits", verbose_name=_("case"))
    assigned_to = user_key(_("assigned to"), related_name="assigned_visits")
    sequence = models.PositiveSmallIntegerField(_("visit number"))
    due_on = models.DateField(_("due on"))
    # The answers; empty until the visit is recorded.
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    found = models.CharField(_("was the child found?"), max_length=10, choices=Found.choices, blank=True)
    living_with_family = models.BooleanField(_("living with the family"), null=True, blank=True)
    in_school = models.BooleanField(_("in school, bridge course or training"), null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=14, choices=Attendance.choices, blank=True)
    working_again = models.BooleanField(_("working again"), null=True, blank=True)
    work_place = models.CharField(_("where the child works"), max_length=200, blank=True)
    family_migrated = models.BooleanField(_("family has migrated or plans to"), null=True, blank=True)
    health = models.CharField(_("health"), max_length=12, choices=Health.choices, blank=True)
    scheme_access = models.CharField(
        _("family's access to the linked schemes"), max_length=12, choices=SchemeAccess.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True)
    risk_reasons = ArrayField(
        models.CharField(max_length=24), default=list, blank=True, verbose_name=_("reasons for the risk level")
    )
    safe = models.BooleanField(_("child found safe"), null=True, blank=True)
    recorded_by = user_key(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # A visit that finds the child working again or not found waits for the district officer's decision.
    needs_decision = models.BooleanField(_("needs the district officer's decision"), default=False)
    decision = models.CharField(_("decision"), max_length=14, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = user_key(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()
    scope = access.VISIT_SCOPE

    class Meta:
        verbose_name = _("follow-up visit")
        ordering = ["case", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="rehab_visit_unique_sequence"),
            models.CheckConstraint(
                condition=Q(visited_on__isnull=True) | ~Q(found=""), name="rehab_visit_recorded_has_answer"
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "visited_on", "due_on"], name="rehab_visit_worker_due"),
            models.Index(fields=["case", "visited_on"], name="rehab_visit_case_visited"),
            # Officers' lists of visits still to be made, soonest first, across their district.
            models.Index(fields=["due_on", "id"], condition=Q(visited_on__isnull=True), name="rehab_visit_pending_due"),
            models.Index(
                fields=["case"], condition=Q(needs_decision=True, decision=""), name="rehab_visit_awaiting_decision"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Visit %(n)s of case %(case)s") % {"n": self.sequence, "case": self.case.case_number})

    @property
    def is_recorded(self) -> bool:
        return self.visited_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_recorded and self.due_on < timezone.localdate()

    @property
    def awaits_decision(self) -> bool:
        return self.needs_decision and not self.decision


class DistrictMonthFigures(models.Model):
    """Sanctioned, disbursed and overdue amounts by district and month, refreshed set-based by a Celery task.

    District is the case's home district (the rescuing district when the home is outside the state). Sanctioned
    and disbursed are counted in the month of the sanction or disbursement; overdue in the month the component
    fell due, as of `refreshed_at`. Aggregates only: no child can be read from a row.
    """

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sanctioned_count = models.PositiveIntegerField(_("components sanctioned"), default=0)
    sanctioned_amount = models.DecimalField(_("sanctioned (Rs)"), max_digits=16, decimal_places=2, default=0)
    disbursed_count = models.PositiveIntegerField(_("components disbursed"), default=0)
    disbursed_amount = models.DecimalField(_("disbursed (Rs)"), max_digits=16, decimal_places=2, default=0)
    overdue_count = models.PositiveIntegerField(_("components overdue"), default=0)
    overdue_amount = models.DecimalField(_("overdue (Rs)"), max_digits=16, decimal_places=2, default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("package figures by district and month")
        verbose_name_plural = _("package figures by district and month")
        constraints = [
            models.UniqueConstraint(fields=["district", "month"], name="rehab_figures_district_month"),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.month:%Y-%m}"
