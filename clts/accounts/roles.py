"""The roles of CLTS users; what each role may do is decided in access.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATE = "state", _("State secretariat")
    DISTRICT = "district", _("District labour officer")
    BLOCK = "block", _("Block labour officer")
    CWC = "cwc", _("CWC member")
    CCI = "cci", _("CCI staff")
    POLICE = "police", _("Police station")
    DCPU = "dcpu", _("District Child Protection Unit")
    FIELD = "field", _("Field worker")
    NODAL = "nodal", _("Department nodal officer")
    ADMIN = "admin", _("Administrator")
