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

    class CciType(models.TextChoices):
        """The kinds of Child Care Institution of the JJ Act 2015 (sections 2(21), 2(27), 2(41), 43, 47, 65)."""

        CHILDRENS_HOME = "childrens_home", _("Children's home")
        OPEN_SHELTER = "open_shelter", _("Open shelter")
        OBSERVATION_HOME = "observation_home", _("Observation home")
        SPECIAL_HOME = "special_home", _("Special home")
        PLACE_OF_SAFETY = "place_of_safety", _("Place of safety")
        ADOPTION_AGENCY = "adoption_agency", _("Specialised adoption agency")
        FIT_FACILITY = "fit_facility", _("Fit facility")

    class Sexes(models.TextChoices):
        ANY = "any", _("Boys and girls")
        BOYS = "m", _("Boys only")
        GIRLS = "f", _("Girls only")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    cci_type = models.CharField(
        _("type of CCI"), max_length=20, choices=CciType.choices, blank=True, help_text=_("For a CCI only.")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("TrackChild code."))
    registration_number = models.CharField(
        _("registration number"), max_length=60, blank=True, help_text=_("Registration under JJ Act 2015 s.41.")
    )
    state = models.ForeignKey("geo.State", on_delete=models.PROTECT, verbose_name=_("state"))
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_person = models.CharField(_("person in charge"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Children it may hold at once; empty: not limited here.")
    )
    sexes_taken = models.CharField(_("takes"), max_length=3, choices=Sexes.choices, default=Sexes.ANY)
    min_age = models.PositiveSmallIntegerField(_("youngest age taken"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("oldest age taken"), null=True, blank=True, help_text=_("In completed years, both ends included.")
    )
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    next_inspection_due = models.DateField(_("next inspection due"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "district", "name"], name="tc_institution_unique_name"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="orgs_institution_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def refuses(self, *, sex: str, age: int | None) -> str:
        """Why this home does not take a child of this sex and age ("" when it does): the admission's check."""
        from django.utils.translation import gettext

        if self.sexes_taken != self.Sexes.ANY and sex != self.sexes_taken:
            return gettext("%(home)s takes %(sexes)s.") % {"home": self.name, "sexes": self.get_sexes_taken_display()}
        if age is not None and self.min_age is not None and age < self.min_age:
            return gettext("%(home)s takes children from %(age)s years.") % {"home": self.name, "age": self.min_age}
        if age is not None and self.max_age is not None and age > self.max_age:
            return gettext("%(home)s takes children up to %(age)s years.") % {"home": self.name, "age": self.max_age}
        return ""


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
