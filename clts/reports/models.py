"""Summary tables behind the dashboards: counts only, rebuilt by Celery, read through the same access rule."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts import access


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
