"""Rescue operations, the children rescued, and the case that follows each child."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.core.ages import age_on
from clts.core.fields import place_key, user_key
from rescue.choices import (  # noqa: F401  (the choices are also read as rescue.models.<Name>)
    AgeAssessment,
    BondedIndicator,
    Category,
    EducationLevel,
    Industry,
    Interstate,
    LedBy,
    LinkRequestStatus,
    LinkStrength,
    Sex,
    Status,
    TransferKind,
    TransferStage,
)


@track_personal_data(keys_indexed=False)
class RescueOperation(models.Model):
    """One raid or rescue at one establishment, in which one or more children were rescued."""

    rescued_at = models.DateTimeField(_("date and time of rescue"))
    state = models.ForeignKey("geo.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("state"))
    # Its lookups and the checks of its PROTECT are served by rescue_op_district_date (led by it).
    district = place_key("geo.District", _("district"), db_index=False)
    block = place_key("geo.Block", _("block"))
    # Outside the home state the district may not be loaded: the rescuing state's words are kept as written.
    district_text = models.CharField(_("district (as reported)"), max_length=120, blank=True)
    city = models.CharField(_("city or town"), max_length=120, blank=True)
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    establishment_name = models.CharField(_("establishment name"), max_length=200, blank=True)
    industry = models.CharField(_("type of work or industry"), max_length=20, choices=Industry.choices)
    employer_name = models.CharField(_("employer name"), max_length=200, blank=True)
    employer_address = models.TextField(_("employer address"), blank=True)
    led_by = models.CharField(_("led by"), max_length=12, choices=LedBy.choices)
    rescuing_authority = models.CharField(_("rescuing authority"), max_length=200, blank=True)
    fir_number = models.CharField(_("FIR number"), max_length=60, blank=True)
    police_station = models.CharField(_("police station"), max_length=200, blank=True)
    # Outside the home state: the CWC the rescuing state produced the children before, as its letter names it.
    rescuing_cwc = models.CharField(_("CWC of the rescuing state"), max_length=200, blank=True)
    reference = models.CharField(
        _("reference of the rescuing state"),
        max_length=100,
        blank=True,
        help_text=_("Letter or case number under which the rescuing state reported the rescue."),
    )
    sections = ArrayField(models.CharField(max_length=24), default=list, blank=True, verbose_name=_("sections invoked"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("cases__")

    class Meta:
        verbose_name = _("rescue operation")
        indexes = [models.Index(fields=["district", "rescued_at"], name="rescue_op_district_date")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


@track_personal_data(keys_indexed=False)
class Child(models.Model):
    """A rescued child; one child may be rescued more than once, each rescue a new case."""

    name = models.CharField(_("name"), max_length=120)
    alias = models.CharField(_("alias or other name"), max_length=120, blank=True)
    # Lower-case Latin form of name and alias used for matching across scripts and spellings (see rescue.matching).
    name_key = models.CharField(max_length=255, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("age at first rescue (years)"), null=True, blank=True)
    age_assessment = models.CharField(_("age assessed by"), max_length=20, choices=AgeAssessment.choices)
    father_name = models.CharField(_("father's name"), max_length=120, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=120, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=120, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=40, blank=True)
    guardian_key = models.CharField(max_length=255, blank=True, editable=False)
    home_state = models.ForeignKey(
        "geo.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("home state")
    )
    # Its lookups and the checks of its PROTECT are served by rescue_child_home_district (led by it).
    home_district = place_key("geo.District", _("home district"), db_index=False)
    home_block = place_key("geo.Block", _("home block"))
    home_village = place_key("geo.Village", _("home village"))
    home_village_text = models.CharField(_("village (as reported)"), max_length=120, blank=True)
    home_address = models.TextField(_("home address"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=120, blank=True)
    education_level = models.CharField(
        _("education at rescue"), max_length=20, choices=EducationLevel.choices, default=EducationLevel.NONE
    )
    disability = models.CharField(_("disability"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="children/%Y/", null=True, blank=True)
    aadhaar_last4 = models.CharField(_("Aadhaar (last four digits)"), max_length=4, blank=True)
    # Not indexed: a child is found by the number through the matching engine's blocking keys, never by this column
    # (two indexes of it cost each of a bulk import's children and found nothing).
    aadhaar_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("cases__")

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [
            GinIndex(fields=["name_key"], name="rescue_child_name_trgm", opclasses=["gin_trgm_ops"]),
            # Exact and prefix matches of the (already variant-folded) key: the fast path of a name search.
            models.Index(fields=["name_key"], name="rescue_child_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["home_district", "sex"], name="rescue_child_home_district"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The matching keys follow the names on every save, so admin edits and imports stay matchable.
        from clts.matching.names import name_key

        self.name_key = name_key(self.name, self.alias)
        self.guardian_key = name_key(self.father_name, self.mother_name, self.guardian_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "guardian_key"}
        super().save(*args, **kwargs)
        # ... and so do the matching engine's blocking keys (bulk writes call rescue.match_records themselves).
        from rescue.match_records import child_indexed

        child_indexed(self.pk)


@track_personal_data(keys_indexed=False)
class Case(models.Model):
    """One rescued child in one rescue, followed from rescue to the end of rehabilitation."""

    # Unique by a constraint (Meta), not `unique=True`, which also builds a LIKE-prefix index nothing searches by
    # (the search by the end of a number has its trigram index).
    case_number = models.CharField(_("case number"), max_length=32)
    # The foreign keys with db_index=False lead a composite index (Meta) that serves their lookups and the checks of
    # their PROTECT: a single-column index of the same column only cost every write (bulk imports write this table
    # by the hundred thousand).
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="cases", verbose_name=_("child"), db_index=False
    )
    rescue = models.ForeignKey(
        RescueOperation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("rescue operation")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    age_at_rescue = models.PositiveSmallIntegerField(_("age at rescue"))
    rescued_on = models.DateField(_("date of rescue"))
    # Jurisdiction: the rescuing district (empty when rescued outside the home state) and the home district.
    district = place_key("geo.District", _("rescuing district"), db_index=False)
    block = place_key("geo.Block", _("rescuing block"), db_index=False)
    home_district = place_key("geo.District", _("home district"), db_index=False)
    home_block = place_key("geo.Block", _("home block"), db_index=False)
    interstate = models.CharField(_("interstate"), max_length=10, choices=Interstate.choices, default=Interstate.NONE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RESCUED)
    status_changed_at = models.DateTimeField(_("status changed at"))
    # First restoration to the family: the denominator of the re-trafficking rate.
    restored_at = models.DateTimeField(_("restored to family at"), null=True, blank=True)
    # Work at the time of rescue.
    hours_per_day = models.PositiveSmallIntegerField(_("hours of work per day"), null=True, blank=True)
    wage_per_month = models.DecimalField(
        _("wage per month (Rs)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    months_employed = models.PositiveSmallIntegerField(_("months employed"), null=True, blank=True)
    hazardous = models.BooleanField(_("hazardous occupation or process"), default=False)
    bonded = models.BooleanField(_("bonded labour"), default=False)
    bonded_indicators = ArrayField(
        models.CharField(max_length=24), default=list, blank=True, verbose_name=_("bonded labour indicators")
    )
    trafficked = models.BooleanField(_("trafficked"), default=False)
    # Production before the Child Welfare Committee.
    cwc = models.ForeignKey(
        "orgs.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cwc_cases",
        verbose_name=_("CWC"),
        db_index=False,
    )
    produced_at = models.DateTimeField(_("produced before CWC at"), null=True, blank=True)
    production_late = models.BooleanField(_("produced late"), default=False)
    late_reason = models.TextField(_("reason for late production"), blank=True)
    cci = models.ForeignKey(
        "orgs.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cci_cases",
        verbose_name=_("CCI"),
        db_index=False,
    )
    responsible_officer = user_key(_("responsible officer"))
    previous_case = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="later_cases",
        verbose_name=_("earlier case of the same child"),
        db_index=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE

    class Meta:
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(fields=["case_number"], name="rescue_case_number_unique"),
            models.UniqueConstraint(fields=["child", "rescue"], name="rescue_case_one_per_child_per_rescue"),
            models.CheckConstraint(
                condition=~models.Q(production_late=True) | ~models.Q(late_reason=""),
                name="rescue_case_late_needs_reason",
            ),
        ]
        indexes = [
            # The case list's search by the end of a case number ("000012"): LIKE '%-000012' through trigrams.
            GinIndex(fields=["case_number"], name="rescue_case_number_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["district", "status", "rescued_on", "id"], name="rescue_case_district_status"),
            models.Index(fields=["home_district", "status", "rescued_on", "id"], name="rescue_case_home_status"),
            models.Index(fields=["district", "rescued_on", "id"], name="rescue_case_district_date"),
            models.Index(fields=["home_district", "rescued_on", "id"], name="rescue_case_home_date"),
            models.Index(fields=["rescued_on", "id"], name="rescue_case_date"),
            models.Index(fields=["cwc", "status"], name="rescue_case_cwc"),
            models.Index(fields=["cci", "status"], name="rescue_case_cci"),
            models.Index(fields=["block", "rescued_on", "id"], name="rescue_case_block_date"),
            models.Index(fields=["home_block", "rescued_on", "id"], name="rescue_case_home_block_date"),
            models.Index(fields=["previous_case"], name="rescue_case_previous"),
        ]

    def __str__(self) -> str:
        return self.case_number

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # The child's year of birth may come from this case's age at rescue: its matching keys follow.
            from rescue.match_records import child_indexed

            child_indexed(self.child_id)

    def age_on(self, day) -> int:
        """The child's age on a day: from the date of birth, else from the age at rescue (clts.core.ages)."""
        return age_on(day, born=self.child.date_of_birth, age=self.age_at_rescue, age_known_on=self.rescued_on)


@track_personal_data(keys_indexed=False)
class CaseEvent(models.Model):
    """One entry on a case's timeline: who did what, when and why."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        TRANSITION = "transition", _("Status changed")
        CWC_ORDER = "cwc_order", _("CWC order")
        TRANSFER = "transfer", _("Transfer")
        NOTE = "note", _("Note")
        LINKED = "linked", _("Linked to earlier case")
        LINK_REQUESTED = "link_requested", _("Link to an earlier record requested")
        LINK_REJECTED = "link_rejected", _("Earlier record found to be a different child")
        CORRECTED = "corrected", _("Particulars corrected")
        PACKAGE = "package", _("Rehabilitation package")
        MONEY = "money", _("Sanction or disbursement")
        ENROLMENT = "enrolment", _("Education")
        VISIT = "visit", _("Follow-up visit")
        DECISION = "decision", _("Decision")
        SCHEME = "scheme", _("Scheme")

    # Its lookups and the deletes of its CASCADE are served by rescue_event_case_at (led by it).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("case__")

    class Meta:
        verbose_name = _("case event")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="rescue_event_case_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def corrected_labels(self) -> list[str]:
        """The names, in the reader's language, of the fields a correction changed (rescue.services.corrections)."""
        parts = (("child_fields", Child), ("rescue_fields", RescueOperation), ("case_fields", Case))
        labels = []
        for key, model in parts:
            for name in self.data.get(key, []):
                try:
                    labels.append(str(model._meta.get_field(name).verbose_name))
                except FieldDoesNotExist:
                    labels.append(name)
        return labels

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: a text the portal wrote is kept as its English msgid and values
        (rescue.services.SystemText), what a person typed as typed."""
        if not self.data.get("system_text"):
            return self.reason
        text = gettext(self.reason)
        params = self.data.get("text_params")
        if params:
            # Values that are the portal's own words (a status, a risk level) were kept in English too.
            # A name kept in both languages (`component` and `component_hi`) is shown in the reader's.
            hindi = get_language() == "hi"
            params = {
                key: params.get(f"{key}_hi") or value
                if hindi and params.get(f"{key}_hi")
                else (gettext(value) if isinstance(value, str) and value else value)
                for key, value in params.items()
            }
        try:
            return text % params if params else text
        except (KeyError, TypeError, ValueError):
            return self.reason


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A case shared with one named officer outside their jurisdiction (django-guardian direct grant)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case shared with an officer")


class CaseNumberCounter(models.Model):
    """The last case number issued per district and year; its row is locked while a number is taken."""

    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("case number counter")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="rescue_counter_one_per_district_year"),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}: {self.last}"


# The steps of each kind of transfer, in order; the last one completes it.
TRANSFER_STEPS: dict[str, tuple[str, ...]] = {
    TransferKind.DISTRICT: (TransferStage.INITIATED, TransferStage.ACKNOWLEDGED),
    TransferKind.REPATRIATION: (
        TransferStage.INITIATED,
        TransferStage.ESCORT,
        TransferStage.TRAVEL,
        TransferStage.ARRIVED,
        TransferStage.HANDED_OVER,
    ),
    TransferKind.HANDOVER: (
        TransferStage.INITIATED,
        TransferStage.ESCORT,
        TransferStage.TRAVEL,
        TransferStage.HANDED_OVER,
    ),
}


@track_personal_data(keys_indexed=False)
class Transfer(models.Model):
    """A case moving between districts or states: pending until the receiving side has the child and the file."""

    # Its lookups and the deletes of its CASCADE are served by rescue_transfer_case (led by it).
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TransferKind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=TransferStage.choices, default=TransferStage.INITIATED)
    from_state = models.ForeignKey(
        "geo.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("from state")
    )
    from_district = place_key("geo.District", _("from district"))
    to_state = models.ForeignKey("geo.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("to state"))
    to_district = place_key("geo.District", _("to district"))
    reason = models.TextField(_("reason"), blank=True)
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("initiated by")
    )
    initiated_at = models.DateTimeField(_("initiated at"))
    escort_name = models.CharField(_("escort's name"), max_length=120, blank=True)
    escort_designation = models.CharField(_("escort's designation"), max_length=120, blank=True)
    escort_phone = models.CharField(_("escort's phone"), max_length=15, blank=True)
    travel_mode = models.CharField(_("mode of travel"), max_length=120, blank=True)
    travel_started_at = models.DateTimeField(_("travel started at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_to = models.CharField(
        _("handed over to"),
        max_length=200,
        blank=True,
        help_text=_("The CWC or authority of the receiving side that took charge of the child."),
    )
    home_cwc = models.ForeignKey(
        "orgs.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home CWC"),
    )
    acknowledged_by = user_key(_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("case__")

    class Meta:
        verbose_name = _("transfer")
        ordering = ["initiated_at", "id"]
        indexes = [
            models.Index(fields=["case", "initiated_at"], name="rescue_transfer_case"),
            models.Index(
                fields=["to_district", "initiated_at"],
                name="rescue_transfer_pending",
                condition=models.Q(completed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_stage_display()})"

    @property
    def steps(self) -> tuple[str, ...]:
        return TRANSFER_STEPS[self.kind]

    @property
    def is_pending(self) -> bool:
        return self.completed_at is None

    @property
    def next_steps(self) -> tuple[str, ...]:
        """The steps that may be recorded next (a step may be skipped, never repeated or reversed)."""
        if not self.is_pending:
            return ()
        return self.steps[self.steps.index(self.stage) + 1 :]


# The districts that hold the earlier case decide; the state sees every request. The officer who filed it sees
# only its status, through the new case (rescue.queries.link_requests_of_case), never the earlier record.
LINK_REQUEST_SCOPE = access.Scope(district=("earlier_case__district", "earlier_case__home_district"))


@track_personal_data(keys_indexed=False)
class LinkRequest(models.Model):
    """A new case that may be a child already recorded outside the registering officer's area.

    The officer may not see the earlier record, so nothing is linked: the district holding the earlier case
    compares both records and confirms (the cases are linked, a re-rescue after restoration counts as
    re-trafficking) or rejects (a different child: the pair is never raised again).
    """

    new_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("new case")
    )
    earlier_child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("earlier record of the child")
    )
    # The earlier child's latest case when the request was filed: it decides who holds the request.
    earlier_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("earlier case"))
    strength = models.CharField(_("strength of the match"), max_length=10, choices=LinkStrength.choices)
    score = models.FloatField(_("match score"), help_text=_("On the matching engine's own scale."))
    status = models.CharField(
        _("status"), max_length=10, choices=LinkRequestStatus.choices, default=LinkRequestStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    decided_by = user_key(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The fields of the earlier child the holder chose to update from the new record.
    updated_fields = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("fields updated")
    )

    objects = access.ScopedQuerySet.as_manager()
    scope = LINK_REQUEST_SCOPE

    class Meta:
        verbose_name = _("link request")
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["new_case", "earlier_child"], name="rescue_link_request_one_per_pair"),
            models.UniqueConstraint(
                fields=["new_case"],
                condition=models.Q(status="pending"),
                name="rescue_link_request_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="rescue_link_request_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "filed_at", "id"], name="rescue_link_request_queue"),
            models.Index(fields=["earlier_child", "status"], name="rescue_link_request_earlier"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == LinkRequestStatus.PENDING


# A pair of records the nightly duplicate pass found is reviewed by the districts holding the earlier record's
# latest case (as a link request is); the state sees every pair.
DUPLICATE_PAIR_SCOPE = access.Scope(district=("earlier_case__district", "earlier_case__home_district"))


@track_personal_data(keys_indexed=False)
class DuplicatePair(models.Model):
    """Two children's records that the nightly pass found to be, strongly, the same child registered twice.

    The district officer compares both side by side: confirming links the later case to the earlier one (as a
    confirmed link request does), rejecting records that they are two children, and the pair is never raised
    again (clts.matching.models.RejectedPair).
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", verbose_name=_("later record"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("later case"))
    earlier_child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="+", verbose_name=_("earlier record")
    )
    earlier_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("earlier case"))
    probability = models.FloatField(_("match probability"))
    status = models.CharField(
        _("status"), max_length=10, choices=LinkRequestStatus.choices, default=LinkRequestStatus.PENDING
    )
    found_at = models.DateTimeField(_("found at"))
    decided_by = user_key(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = DUPLICATE_PAIR_SCOPE

    class Meta:
        verbose_name = _("possible duplicate")
        constraints = [
            models.UniqueConstraint(fields=["child", "earlier_child"], name="rescue_duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="rescue_duplicate_pair_decision_recorded",
            ),
        ]
        indexes = [models.Index(fields=["status", "found_at", "id"], name="rescue_duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.earlier_case} / {self.case}"

    @property
    def is_pending(self) -> bool:
        return self.status == LinkRequestStatus.PENDING
