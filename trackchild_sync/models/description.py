"""What the matching of missing and found children compares: one description, shared by the register, the
missing-child report and the found child, so the three are scored field by field on the same terms."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rescue.choices import Sex


class Complexion(models.TextChoices):
    FAIR = "fair", _("Fair")
    WHEATISH = "wheatish", _("Wheatish")
    DUSKY = "dusky", _("Dusky")
    DARK = "dark", _("Dark")


class ChildDescription(models.Model):
    """A child as described by whoever records it; every field but the sex may be unknown."""

    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("As the child or the family gives it."))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_years = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    complexion = models.CharField(_("complexion"), max_length=10, choices=Complexion.choices, blank=True)
    identifying_marks = models.TextField(_("identifying marks"), blank=True)
    languages = models.CharField(_("languages spoken"), max_length=120, blank=True)
    guardian_name = models.CharField(_("parent or guardian"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="trackchild/%Y/", null=True, blank=True)

    class Meta:
        abstract = True
