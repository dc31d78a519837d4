"""The fixed choices of bulk import: what a register holds, and where an import stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RESCUE = "rescue", _("Rescued children and their cases")
    LINKAGE = "linkage", _("Scheme linkages")
    RESIDENT = "resident", _("Children in child care institutions")
    DISBURSEMENT = "disbursement", _("Rehabilitation disbursements")
    MISSING = "missing", _("Missing-child reports")
    FOUND = "found", _("Found children")


class Status(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: check the columns")
    PREVIEWING = "previewing", _("Checking the rows")
    PREVIEWED = "previewed", _("Checked: ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed: nothing was written")
    DISCARDED = "discarded", _("Discarded")


# An import in one of these states holds its file's hash: the same file cannot be uploaded again.
HOLDS_HASH = [s for s in Status.values if s != Status.DISCARDED]
WORKING = {Status.PREVIEWING, Status.COMMITTING}
