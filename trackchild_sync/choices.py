"""The fixed choices of trackchild_sync: stored as short codes, shown in the reader's language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeavingReason(models.TextChoices):
    """Why a child left a CCI (the discharge reasons of the CCI register)."""

    RESTORATION = "restoration", _("Restored to family")
    TRANSFER = "transfer", _("Transferred to another CCI")
    RUNAWAY = "runaway", _("Ran away")
    AGE_OUT = "age_out", _("Turned 18 (aftercare)")
    ADOPTION = "adoption", _("Adopted")
    FOSTER_CARE = "foster_care", _("Placed in foster care")
    REPATRIATION = "repatriation", _("Repatriated to another state")


class Movement(models.TextChoices):
    """Entries of the CCI register after the admission."""

    LEAVE = "leave", _("Gone on leave")
    RETURN = "return", _("Back from leave")
    DISCHARGE = "discharge", _("Left the home")
    TRANSFER = "transfer", _("Transferred to another CCI")


class RegisterEntry(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    LEAVE = "leave", _("Gone on leave")
    RETURN = "return", _("Back from leave")
    DISCHARGED = "discharged", _("Left the home")
    CORRECTED = "corrected", _("Particulars corrected")
