"""Institutions of the child protection system and the children in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.audit.tracking import track_personal_data


class Institution(models.Model):
    """A CWC, CCI, JJB, police station or other office a child's case passes through."""

    class Kind(models.TextChoices):
        CWC = "cwc", _("Child Welfare Committee")
        CCI = "cci", _("Child Care Institution")
        JJB = "jjb", _("Juvenile Justice Board")
        POLICE = "police", _("Police station")
        AHTU = "ahtu", _("Anti-Human Trafficking Unit")
        DCPU = "dcpu", _("District Child Protection Unit")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("Registration or TrackChild code."))
    state = models.ForeignKey("geo.State", on_delete=models.PROTECT, verbose_name=_("state"))
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "district", "name"], name="tc_institution_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


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
