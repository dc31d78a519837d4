"""Departments, the scheme catalogue and the linkage of families to schemes."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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

    @property
    def name(self) -> str:
        return self.name_hi if get_language() == "hi" and self.name_hi else self.name_en
