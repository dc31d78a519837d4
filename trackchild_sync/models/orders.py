"""The CCI/CWC side of a case: the Committee's orders (institutions themselves are kernel: clts.orgs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data
from clts.orgs.models import Institution


@track_personal_data
class CwcOrder(models.Model):
    """An order of a Child Welfare Committee on one child's case (JJ Act 2015, section 37)."""

    class Kind(models.TextChoices):
        INTERIM_SHELTER = "interim_shelter", _("Interim shelter")
        CCI_PLACEMENT = "cci_placement", _("Placement in a CCI")
        RESTORATION = "restoration", _("Restoration to family")

    case = models.ForeignKey("rescue.Case", on_delete=models.CASCADE, related_name="cwc_orders", verbose_name=_("case"))
    cwc = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="cwc_orders", verbose_name=_("CWC"))
    kind = models.CharField(_("order"), max_length=16, choices=Kind.choices)
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    ordered_on = models.DateField(_("date of order"))
    cci = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement_orders",
        verbose_name=_("CCI or shelter"),
    )
    restored_to = models.CharField(
        _("restored to"), max_length=200, blank=True, help_text=_("The family member who takes charge of the child.")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = access.ScopedQuerySet.as_manager()
    scope = access.CASE_SCOPE.via("case__")

    class Meta:
        verbose_name = _("CWC order")
        ordering = ["ordered_on", "id"]
        indexes = [models.Index(fields=["case", "ordered_on"], name="tc_cwcorder_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ordered_on:%Y-%m-%d}"
