"""Upload compliance figures kept per institution: what the state's compliance page sums by district.

Counting every stay and every missing report of the state on each view of the state's page took 264 ms at 100,000
reports; the figures are counted per CCI and police station by `compliance.figures_refresh` (Celery, every ten
minutes, and at once by `refresh_summaries`) and the state's page sums some 2,000 rows. A district's own page still
counts its institutions' records live. Counts of records only, never a child.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.orgs.models import Institution


class UploadFigures(models.Model):
    """One CCI's or police station's records as of the last refresh (an institution with none has no row)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("institution")
    )
    last_entry = models.DateTimeField(_("last entry"), null=True)
    held = models.PositiveIntegerField(_("children held"))
    entered = models.PositiveIntegerField(_("accepted by TrackChild"))
    late = models.PositiveIntegerField(_("entered late"))
    total = models.PositiveIntegerField(_("records"))
    as_of = models.DateField(_("held on"))  # the day `held` counts
    late_after_days = models.PositiveSmallIntegerField(_("late after (days)"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("upload compliance figures")
        verbose_name_plural = _("upload compliance figures")

    def __str__(self) -> str:
        return f"figures of institution {self.institution_id} as of {self.as_of}"
