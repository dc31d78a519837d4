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


# The fields of a description that are compared and copied as one (the photo and the TrackChild id are not: the
# photo is a file of its own, the id belongs to the record it came from).
DESCRIPTION_FIELDS = (
    "name",
    "sex",
    "age_years",
    "date_of_birth",
    "height_cm",
    "complexion",
    "identifying_marks",
    "languages",
    "guardian_name",
)


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
    # The record's id at TrackChild when it came from an extract (an import updates it instead of adding a copy).
    trackchild_id = models.CharField(_("TrackChild id"), max_length=60, blank=True, db_index=True)

    class Meta:
        abstract = True
