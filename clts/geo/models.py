"""Geography of India as the Local Government Directory (LGD) describes it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.core.i18n import bilingual


class Place(models.Model):
    """Common fields of every LGD unit; the code may be empty until an LGD file supplies it."""

    lgd_code = models.PositiveIntegerField(_("LGD code"), null=True, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    name = bilingual("name")


class State(Place):
    """A state or union territory."""

    short_code = models.CharField(
        _("short code"),
        max_length=3,
        blank=True,
        help_text=_("Vehicle-registration style code such as BR, used in case numbers."),
    )
    is_union_territory = models.BooleanField(_("union territory"), default=False)

    class Meta(Place.Meta):
        verbose_name = _("state")
        constraints = [
            models.UniqueConstraint(fields=["lgd_code"], name="geo_state_unique_lgd"),
            models.UniqueConstraint(fields=["name_en"], name="geo_state_unique_name"),
            models.UniqueConstraint(
                fields=["short_code"], condition=~models.Q(short_code=""), name="geo_state_unique_short"
            ),
        ]


class District(Place):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts", verbose_name=_("state"))
    short_code = models.CharField(
        _("short code"), max_length=4, blank=True, help_text=_("Three-letter code used in case numbers, such as GAY.")
    )

    class Meta(Place.Meta):
        verbose_name = _("district")
        constraints = [
            models.UniqueConstraint(fields=["lgd_code"], name="geo_district_unique_lgd"),
            models.UniqueConstraint(fields=["state", "name_en"], name="geo_district_unique_name"),
            # Case numbers carry the short code, so two districts of one state must never share one.
            models.UniqueConstraint(
                fields=["state", "short_code"], condition=~models.Q(short_code=""), name="geo_district_unique_short"
            ),
        ]


class Block(Place):
    """A community development block (sub-district unit of rural administration)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="blocks", verbose_name=_("district"))

    class Meta(Place.Meta):
        verbose_name = _("block")
        constraints = [
            models.UniqueConstraint(fields=["lgd_code"], name="geo_block_unique_lgd"),
            models.UniqueConstraint(fields=["district", "name_en"], name="geo_block_unique_name"),
        ]


class Panchayat(Place):
    """A gram panchayat within a block."""

    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="panchayats", verbose_name=_("block"))

    class Meta(Place.Meta):
        verbose_name = _("panchayat")
        constraints = [
            models.UniqueConstraint(fields=["lgd_code"], name="geo_panchayat_unique_lgd"),
            models.UniqueConstraint(fields=["block", "name_en"], name="geo_panchayat_unique_name"),
        ]


class Village(Place):
    """A revenue village; LGD files place it in a district and sub-district, and often a block and panchayat."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("district")
    )
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="villages", verbose_name=_("block")
    )
    panchayat = models.ForeignKey(
        Panchayat,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="villages",
        verbose_name=_("panchayat"),
    )
    sub_district = models.CharField(_("sub-district"), max_length=120, blank=True)

    class Meta(Place.Meta):
        verbose_name = _("village")
        constraints = [
            models.UniqueConstraint(fields=["lgd_code"], name="geo_village_unique_lgd"),
        ]
        indexes = [models.Index(fields=["district", "name_en"], name="geo_village_district_name")]
