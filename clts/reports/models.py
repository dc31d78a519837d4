"""Summary tables behind the dashboards: counts only, rebuilt by Celery, read through the same access rule."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from rescue.choices import Status


class CaseSummary(models.Model):
    """How many cases share one combination of jurisdiction and state; the home page sums these rows.

    Each case falls in exactly one row, so summing the rows a user may see (rescuing or home district, block)
    counts every visible case once, without reading a million case rows per page view.
    """

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, null=True, related_name="+")
    home_district = models.ForeignKey("geo.District", on_delete=models.CASCADE, null=True, related_name="+")
    block = models.ForeignKey("geo.Block", on_delete=models.CASCADE, null=True, related_name="+")
    home_block = models.ForeignKey("geo.Block", on_delete=models.CASCADE, null=True, related_name="+")
    status = models.CharField(max_length=16)
    interstate = models.CharField(max_length=10)
    production_late = models.BooleanField()
    restored = models.BooleanField()
    cases = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    objects = access.ScopedQuerySet.as_manager()
    # Aggregates only: the rescuing and home districts and blocks, never per-case grants or institutions.
    scope = access.Scope(district=("district", "home_district"), block=("block", "home_block"))

    class Meta:
        verbose_name = _("case summary row")
        indexes = [
            models.Index(fields=["district"], name="reports_summary_district"),
            models.Index(fields=["home_district"], name="reports_summary_home"),
        ]

    def __str__(self) -> str:
        return f"{self.cases} cases"


# The counts of the dashboards, the cross-tab and the monthly PDFs ------------------------------------------------
#
# One row counts the cases of one reporting district and month of rescue. The reporting district is the rescuing
# district, or the home district for the state's children rescued in another state. The counts by status are
# columns, so a dashboard reads one row per district and month instead of one per status. Rebuilt together by
# `services.facts_refresh` (Celery, every ten minutes). Aggregates only; what a reader sees of them is decided by
# clts.core.disclosure.

STATUS_COLUMNS = [f"st_{status}" for status in Status.values]


class CaseFacts(models.Model):
    """Cases by reporting district, month of rescue and interstate kind; `detail` rows also split them by sex,
    age category and industry (read only when one of those filters is set, so the plain dashboard reads the
    rolled-up rows, about a tenth as many)."""

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField()
    interstate = models.CharField(max_length=10)
    detail = models.BooleanField()
    sex = models.CharField(max_length=1, null=True)
    category = models.CharField(max_length=12, null=True)
    industry = models.CharField(max_length=20, null=True)
    cases = models.PositiveIntegerField()
    restored = models.PositiveIntegerField()
    restored_retrafficked = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case figures row")
        indexes = [
            models.Index(fields=["detail", "month", "district"], name="reports_facts_month"),
            models.Index(fields=["detail", "district", "month"], name="reports_facts_district"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.month:%Y-%m}: {self.cases}"


for _column in STATUS_COLUMNS:
    CaseFacts.add_to_class(_column, models.PositiveIntegerField(default=0))


class UnitFacts(models.Model):
    """Cases of one reporting district and month by block, responsible officer or institution (CCI): the district
    dashboard's tables. Period and district only (not split by sex, age or industry)."""

    class Unit(models.TextChoices):
        BLOCK = "block", _("Block")
        OFFICER = "officer", _("Officer")
        INSTITUTION = "institution", _("Institution")

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    unit = models.CharField(max_length=12, choices=Unit.choices)
    unit_id = models.BigIntegerField(null=True)
    cases = models.PositiveIntegerField()
    restored = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case figures row by office")
        indexes = [models.Index(fields=["district", "unit", "month"], name="reports_units_district")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.unit} {self.unit_id}: {self.cases}"


for _column in STATUS_COLUMNS:
    UnitFacts.add_to_class(_column, models.PositiveIntegerField(default=0))


class FlowFacts(models.Model):
    """Where the state's children were found working: home district against the state, district (in the state)
    or city (elsewhere) of the rescue, by month of rescue."""

    home_district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    rescue_state = models.ForeignKey("geo.State", on_delete=models.CASCADE, related_name="+")
    rescue_district = models.ForeignKey("geo.District", on_delete=models.CASCADE, null=True, related_name="+")
    city = models.CharField(max_length=120)
    cases = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("origin and destination row")
        indexes = [models.Index(fields=["month", "home_district"], name="reports_flows_month")]

    def __str__(self) -> str:
        return f"{self.home_district_id} -> {self.rescue_state_id}/{self.city}: {self.cases}"


class LinkageFacts(models.Model):
    """Scheme linkages by the case's district, scheme (and its department), month identified and status."""

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("orgs.Department", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    status = models.CharField(max_length=20)
    linkages = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scheme linkage figures row")
        indexes = [models.Index(fields=["month", "district"], name="reports_linkfacts_month")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.district_id} {self.status}: {self.linkages}"


# Files built in the background -------------------------------------------------------------------------------------


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFile(models.Model):
    """The monthly report of the state (district empty) or of one district, for one month and one language.

    One row per scope, month and language (the unique constraint treats an empty district as a value), made
    before the PDF is built and marked ready after, so a job run twice or killed half way still leaves one report.
    """

    district = models.ForeignKey(
        "geo.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    file = models.FileField(_("file"), upload_to="reports/monthly/", blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    objects = access.ScopedQuerySet.as_manager()
    # The state's report (no district) is seen state-wide only; a district's by that district's offices.
    scope = access.Scope(district=("district",), block=("district__blocks",), multi=True)

    class Meta:
        verbose_name = _("monthly report")
        ordering = ["-month", "district__name_en", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "month", "language"], name="reports_file_one_per_scope", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id or 'state'} {self.month:%Y-%m} {self.language}"


class ExportJob(models.Model):
    """A large export built in the background: the list, its filters (no personal data) and the file."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("list"), max_length=20)
    file_format = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("filters"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="reports/exports/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} for {self.user_id}"
