"""Departments, the scheme catalogue, the households of rescued children and their linkage to schemes."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.core.i18n import bilingual
from clts.orgs.models import Department
from rescue.models import Sex
from schemes.choices import (  # noqa: F401  (the choices are also read as schemes.models.<Name>)
    Area,
    Beneficiary,
    BenefitKind,
    CashPeriod,
    DocumentKind,
    HouseType,
    IncomeBand,
    Level,
    LinkageStatus,
    MaritalStatus,
    Occupation,
    ParentStatus,
    RationCardType,
    ReceiptVerification,
    RejectionReason,
    Relation,
    SocialCategory,
)

# Numbers of these documents are kept only as the last four digits and a keyed hash.
SENSITIVE_DOCUMENTS = frozenset({DocumentKind.AADHAAR, DocumentKind.BANK_ACCOUNT, DocumentKind.RATION_CARD})


def document_scan_path(instance, filename: str) -> str:
    """A random file name: never the holder's name, whatever the uploaded file was called."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"documents/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Scheme(models.Model):
    """A central or state scheme: its benefit, the documents it needs and its eligibility rule (see eligibility.py)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    level = models.CharField(_("central or state"), max_length=20, choices=Level.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("department")
    )
    beneficiary = models.CharField(_("who receives it"), max_length=10, choices=Beneficiary.choices)
    benefit_kind = models.CharField(_("kind of benefit"), max_length=10, choices=BenefitKind.choices)
    benefit_en = models.TextField(_("benefit (English)"), blank=True)
    benefit_hi = models.TextField(_("benefit (Hindi)"), blank=True)
    cash_amount = models.DecimalField(
        _("cash amount (Rs)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty unless the amount is confirmed from the source."),
    )
    cash_period = models.CharField(_("paid"), max_length=10, choices=CashPeriod.choices, blank=True)
    documents = ArrayField(
        models.CharField(max_length=32, choices=DocumentKind.choices),
        default=list,
        blank=True,
        verbose_name=_("documents of the beneficiary"),
    )
    family_documents = ArrayField(
        models.CharField(max_length=32, choices=DocumentKind.choices),
        default=list,
        blank=True,
        verbose_name=_("documents of the family"),
        help_text=_("Documents any member of the household may hold, such as the ration card."),
    )
    office_en = models.CharField(_("office that sanctions it (English)"), max_length=200, blank=True)
    office_hi = models.CharField(_("office that sanctions it (Hindi)"), max_length=200, blank=True)
    service_days = models.PositiveSmallIntegerField(
        _("service time (days)"),
        null=True,
        blank=True,
        help_text=_("Days from application to decision, as the source states them; empty means no stated time."),
    )
    source = models.TextField(_("source"), help_text=_("The Act, rules or guidelines this entry rests on."))
    rule = models.JSONField(
        _("eligibility rule"),
        help_text=_(
            'A group {"all": [...]} or {"any": [...]} of conditions such as '
            '{"subject": "member", "field": "age", "op": "gte", "value": 60}.'
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scheme")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")

    benefit = bilingual("benefit")

    office = bilingual("office")

    def clean(self) -> None:
        from schemes.eligibility import validate_rule

        super().clean()
        validate_rule(self.rule, field="rule")


@track_personal_data
class Household(models.Model):
    """The family a rescued child lives with; one household may hold several rescued children."""

    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("home district")
    )
    block = models.ForeignKey(
        "geo.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("block")
    )
    village = models.ForeignKey(
        "geo.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    village_text = models.CharField(_("village (as reported)"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    area = models.CharField(_("rural or urban"), max_length=8, choices=Area.choices, default=Area.RURAL)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    social_category = models.CharField(_("social category"), max_length=10, choices=SocialCategory.choices, blank=True)
    minority = models.BooleanField(_("minority community"), default=False)
    bpl = models.BooleanField(_("below the poverty line (BPL list)"), default=False)
    ration_card_type = models.CharField(
        _("ration card"), max_length=8, choices=RationCardType.choices, default=RationCardType.NONE
    )
    ration_card_last4 = models.CharField(_("ration card number (last four)"), max_length=4, blank=True)
    ration_card_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    income_band = models.CharField(_("monthly income"), max_length=12, choices=IncomeBand.choices, blank=True)
    land_acres = models.DecimalField(
        _("land owned (acres)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    house_type = models.CharField(_("house"), max_length=12, choices=HouseType.choices, blank=True)
    resident_in_state = models.BooleanField(_("resident of the state"), default=True)
    bank_account_last4 = models.CharField(_("guardian's bank account (last four)"), max_length=4, blank=True)
    bank_account_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    bank_ifsc = models.CharField(_("IFSC of the bank branch"), max_length=11, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.HOUSEHOLD_SCOPE

    class Meta:
        verbose_name = _("household")
        indexes = [models.Index(fields=["district", "block"], name="schemes_household_place")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


@track_personal_data
class HouseholdChild(models.Model):
    """A rescued child of the household, with the facts about the child that schemes ask for."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="children", verbose_name=_("household")
    )
    child = models.OneToOneField(
        "rescue.Child", on_delete=models.PROTECT, related_name="household_link", verbose_name=_("child")
    )
    parent_status = models.CharField(
        _("parents"), max_length=12, choices=ParentStatus.choices, default=ParentStatus.BOTH
    )
    enrolled_in_school = models.BooleanField(_("enrolled in school"), default=False)
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    school_class = models.PositiveSmallIntegerField(
        _("class"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.HOUSEHOLD_SCOPE.via("household__")

    class Meta:
        verbose_name = _("rescued child of the household")
        verbose_name_plural = _("rescued children of the household")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


@track_personal_data
class HouseholdMember(models.Model):
    """A member of the household other than the rescued children."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=120)
    relation = models.CharField(_("relation to the child"), max_length=12, choices=Relation.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_years = models.PositiveSmallIntegerField(
        _("age (years)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_as_of = models.DateField(_("age recorded on"), default=timezone.localdate)
    marital_status = models.CharField(_("marital status"), max_length=16, choices=MaritalStatus.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    disabled = models.BooleanField(_("person with disability"), default=False)
    disability_percent = models.PositiveSmallIntegerField(
        _("disability (per cent)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_guardian = models.BooleanField(_("guardian of the child"), default=False)
    aadhaar_last4 = models.CharField(_("Aadhaar (last four digits)"), max_length=4, blank=True)
    aadhaar_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.HOUSEHOLD_SCOPE.via("household__")

    class Meta:
        verbose_name = _("household member")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(is_guardian=True), name="schemes_member_one_guardian"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track_personal_data
class Document(models.Model):
    """A document a rescued child or a member holds (the checklist schemes ask for)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="documents", verbose_name=_("household")
    )
    child = models.ForeignKey(
        "rescue.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("child")
    )
    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    number_last4 = models.CharField(_("number (last four)"), max_length=4, blank=True)
    number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    scan = models.FileField(_("scan"), upload_to=document_scan_path, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.HOUSEHOLD_SCOPE.via("household__")

    class Meta:
        verbose_name = _("document")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, member__isnull=True) | Q(child__isnull=True, member__isnull=False),
                name="schemes_document_one_holder",
            ),
            models.UniqueConstraint(
                fields=["child", "kind"], condition=Q(child__isnull=False), name="schemes_document_child_kind"
            ),
            models.UniqueConstraint(
                fields=["member", "kind"], condition=Q(member__isnull=False), name="schemes_document_member_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(SENSITIVE_DOCUMENTS)) | Q(number=""),
                name="schemes_document_sensitive_masked",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def masked_number(self) -> str:
        return f"XXXX{self.number_last4}" if self.number_last4 else self.number


OPEN_STATUSES = (
    LinkageStatus.IDENTIFIED,
    LinkageStatus.DOCUMENTS_COMPLETE,
    LinkageStatus.APPLIED,
    LinkageStatus.SANCTIONED,
)
# Waiting on the department: the scheme's service time runs from the application.
WAITING_STATUSES = (LinkageStatus.APPLIED, LinkageStatus.SANCTIONED)


class LinkageQuerySet(access.ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, today=None):
        """Applied or sanctioned and past the scheme's service time; a scheme without one is never overdue."""
        today = today or timezone.localdate()
        return self.filter(status__in=WAITING_STATUSES, due_on__lt=today)


@track_personal_data
class Linkage(models.Model):
    """One beneficiary (the child, a member or the household) followed from identification to the benefit."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="linkages", verbose_name=_("scheme"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="linkages", verbose_name=_("household")
    )
    # The case in whose follow-up the benefit was identified; it gives the rescuing district its view.
    case = models.ForeignKey("rescue.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    child = models.ForeignKey(
        "rescue.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("child")
    )
    member = models.ForeignKey(
        HouseholdMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linkages",
        verbose_name=_("member"),
    )
    # Where the household lives, copied from it so that work queues need no join.
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    block = models.ForeignKey(
        "geo.Block", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("block")
    )
    # The scheme's department, copied so that a nodal officer's queue walks one index; access still goes through
    # the scheme (LINKAGE_SCOPE), so a stale copy could only hide a row, never show one.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    status = models.CharField(
        _("status"), max_length=20, choices=LinkageStatus.choices, default=LinkageStatus.IDENTIFIED
    )
    attempt = models.PositiveSmallIntegerField(_("application attempt"), default=1)
    identified_at = models.DateTimeField(_("identified at"))
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("identified by")
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    application_number = models.CharField(_("application number"), max_length=60, blank=True)
    applied_office = models.CharField(_("office applied to"), max_length=200, blank=True)
    due_on = models.DateField(_("decision due by"), null=True, blank=True)
    sanction_order = models.CharField(_("sanction order"), max_length=100, blank=True)
    sanctioned_on = models.DateField(_("sanctioned on"), null=True, blank=True)
    sanctioned_amount = models.DecimalField(
        _("amount sanctioned (Rs)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField(_("benefit received on"), null=True, blank=True)
    receipt_verification = models.CharField(
        _("receipt verified by"), max_length=10, choices=ReceiptVerification.choices, blank=True
    )
    receipt_note = models.TextField(_("receipt note"), blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_text = models.TextField(_("rejection details"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LinkageQuerySet.as_manager()
    scope = access.LINKAGE_SCOPE

    class Meta:
        verbose_name = _("scheme linkage")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True) | Q(member__isnull=True), name="schemes_linkage_one_beneficiary"
            ),
            models.UniqueConstraint(
                fields=["scheme", "child"], condition=Q(child__isnull=False), name="schemes_linkage_child_once"
            ),
            models.UniqueConstraint(
                fields=["scheme", "member"], condition=Q(member__isnull=False), name="schemes_linkage_member_once"
            ),
            models.UniqueConstraint(
                fields=["scheme", "household"],
                condition=Q(child__isnull=True, member__isnull=True),
                name="schemes_linkage_household_once",
            ),
            models.CheckConstraint(
                condition=~Q(status=LinkageStatus.REJECTED) | ~Q(rejection_reason=""),
                name="schemes_linkage_rejection_reason",
            ),
            models.CheckConstraint(condition=Q(status__in=LinkageStatus.values), name="schemes_linkage_status_valid"),
        ]
        indexes = [
            # Work queues: open linkages of a district (or block, or scheme) oldest first, keyset on (time, id).
            models.Index(
                fields=["district", "status_changed_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schemes_linkage_district_queue",
            ),
            models.Index(
                fields=["block", "status_changed_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schemes_linkage_block_queue",
            ),
            models.Index(
                fields=["scheme", "status_changed_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schemes_linkage_scheme_queue",
            ),
            models.Index(
                fields=["department", "status_changed_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schemes_linkage_dept_queue",
            ),
            models.Index(
                fields=["status_changed_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schemes_linkage_state_queue",
            ),
            models.Index(fields=["scheme", "district", "status"], name="schemes_linkage_coverage"),
            models.Index(fields=["household"], name="schemes_linkage_household"),
            models.Index(fields=["case"], name="schemes_linkage_case"),
            models.Index(fields=["due_on"], condition=Q(status__in=WAITING_STATUSES), name="schemes_linkage_due"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in WAITING_STATUSES and self.due_on is not None and self.due_on < today


@track_personal_data
class LinkageEvent(models.Model):
    """One step of a linkage: who moved it, when, from which status to which, with what was recorded."""

    linkage = models.ForeignKey(Linkage, on_delete=models.CASCADE, related_name="events", verbose_name=_("linkage"))
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=LinkageStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=LinkageStatus.choices)
    attempt = models.PositiveSmallIntegerField(_("application attempt"), default=1)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.LINKAGE_SCOPE.via("linkage__")

    class Meta:
        verbose_name = _("linkage event")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["linkage", "at"], name="schemes_linkage_event_at")]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} {self.at:%Y-%m-%d}"


class EligibilitySummary(models.Model):
    """Eligible and eligible-but-unlinked counts per scheme and district, refreshed set-based by a Celery task."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+", verbose_name=_("scheme"))
    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("district"))
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    unlinked = models.PositiveIntegerField(_("eligible but not linked"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("eligibility summary")
        verbose_name_plural = _("eligibility summaries")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "district"], name="schemes_summary_scheme_district"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.district_id}: {self.unlinked}"
