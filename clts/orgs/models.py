"""The organisations users belong to: institutions of the child protection system, and departments.

They are jurisdictions like districts: a CWC member sees the cases produced before that CWC, CCI staff the
children in that CCI, a nodal officer the linkages of that department. So they live in the kernel, where
accounts and access may use them without importing a domain app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.core.i18n import bilingual


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


class Department(models.Model):
    """A government department that runs schemes and has nodal officers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("department")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")
