"""An import of one register file: who brought it, what it is, how its columns map, and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.core.fields import place_key
from clts.imports.choices import HOLDS_HASH, Kind, Status


class ImportJob(models.Model):
    """One uploaded file, from upload through mapping and preview to commit (or discard).

    The file's SHA-256 is unique among imports that are not discarded, so the same register cannot be imported
    twice. Counts and row errors are the last preview's (or the commit's); errors name a line, a column and a
    message, never the cell's value (it may be a child's name).
    """

    kind = models.CharField(_("kind of register"), max_length=16, choices=Kind.choices)
    district = place_key(
        "geo.District",
        _("district of the register"),
        help_text=_("Its column mapping is kept for the next file from the same district."),
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("column of each field"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    duplicate_count = models.PositiveIntegerField(_("already in CLTS"), default=0)
    invalid_count = models.PositiveIntegerField(_("invalid"), default=0)
    earlier_count = models.PositiveIntegerField(
        _("new, with a possible earlier record"),
        default=0,
        help_text=_("Rows the matching engine finds probably in CLTS already: imported with a link request."),
    )
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    duplicates = models.JSONField(_("rows already in CLTS"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=models.Q(status__in=HOLDS_HASH), name="imports_job_unique_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportFile(models.Model):
    """The uploaded bytes, kept apart so that lists of jobs never load them; deleted with a discarded job."""

    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, related_name="file", primary_key=True)
    content = models.BinaryField()
    # The rows of the last preview that found no invalid row, as checked, with what the check read besides the
    # file (services._checked): the commit writes them when nothing it depends on has changed. Signed; the same
    # personal data as the file, deleted with it.
    checked = models.BinaryField(null=True, editable=False)

    def __str__(self) -> str:
        return f"file of import #{self.job_id}"


class MappingTemplate(models.Model):
    """The column mapping last saved for one district's registers of one kind: header (folded) -> field."""

    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of register"), max_length=16, choices=Kind.choices)
    columns = models.JSONField(_("field of each header"), default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping template")
        constraints = [models.UniqueConstraint(fields=["district", "kind"], name="imports_template_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.district}"
