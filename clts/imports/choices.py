"""The fixed choices of bulk import: what a register holds, and where an import stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RESCUE = "rescue", _("Rescued children and their cases")
    DISBURSEMENT = "disbursement", _("Rehabilitation components and disbursements")
    LINKAGE = "linkage", _("Scheme linkages")


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
