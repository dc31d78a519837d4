"""The fixed choices of rescue: stored as short codes, shown in the reader's language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    BRICK_KILN = "brick_kiln", _("Brick kiln")
    HOTEL_DHABA = "hotel_dhaba", _("Hotel, dhaba or restaurant")
    DOMESTIC = "domestic", _("Domestic work")
    GARMENT = "garment", _("Garment and embroidery (zari)")
    BANGLE = "bangle", _("Bangle and glass work")
    AGRICULTURE = "agriculture", _("Agriculture")
    CONSTRUCTION = "construction", _("Construction")
    AUTOMOBILE = "automobile", _("Automobile workshop")
    SHOP = "shop", _("Shop or commercial establishment")
    FACTORY = "factory", _("Factory or manufacturing")
    MINING = "mining", _("Mining or stone quarry")
    OTHER = "other", _("Other")


class LedBy(models.TextChoices):
    LABOUR = "labour", _("Labour department")
    POLICE = "police", _("Police")
    AHTU = "ahtu", _("Anti-Human Trafficking Unit")
    NGO = "ngo", _("NGO")
    TASK_FORCE = "task_force", _("District task force")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")
    OTHER = "o", _("Transgender or other")


class AgeAssessment(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    SCHOOL_RECORD = "school_record", _("School record")
    MEDICAL = "medical", _("Medical (ossification) test")
    DECLARED = "declared", _("Declared by child or guardian")
    ESTIMATED = "estimated", _("Estimated by officer")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Never enrolled")
    DROPPED_PRIMARY = "dropped_primary", _("Dropped out of primary (classes 1-5)")
    DROPPED_UPPER = "dropped_upper", _("Dropped out of upper primary (classes 6-8)")
    DROPPED_SECONDARY = "dropped_secondary", _("Dropped out of secondary (classes 9-10)")
    ENROLLED = "enrolled", _("Enrolled at rescue")


class BondedIndicator(models.TextChoices):
    """Signs of bonded or forced labour recorded at rescue (source: ILO Indicators of Forced Labour, 2012)."""

    DEBT = "debt", _("Advance or debt to be worked off")
    WAGES_WITHHELD = "wages_withheld", _("Wages withheld")
    MOVEMENT = "movement", _("Not free to leave or move")
    DOCUMENTS = "documents", _("Identity documents kept by the employer")
    THREATS = "threats", _("Intimidation or threats")
    VIOLENCE = "violence", _("Physical or sexual violence")
    DECEPTION = "deception", _("Deceived about the work or pay")
    ISOLATION = "isolation", _("Kept isolated")
    OVERTIME = "overtime", _("Excessive hours")


class Category(models.TextChoices):
    CHILD = "child", _("Child (under 14)")
    ADOLESCENT = "adolescent", _("Adolescent (14 to 18)")


class Status(models.TextChoices):
    RESCUED = "rescued", _("Rescued")
    PRODUCED = "produced", _("Produced before CWC")
    IN_SHELTER = "in_shelter", _("In shelter or CCI")
    RESTORED = "restored", _("Restored to family")
    REHABILITATION = "rehabilitation", _("Under rehabilitation")
    FOLLOW_UP = "follow_up", _("Under follow-up")
    CLOSED = "closed", _("Closed (rehabilitated)")
    RETRAFFICKED = "retrafficked", _("Re-trafficked")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of state")


class Interstate(models.TextChoices):
    NONE = "none", _("Within the state")
    INBOUND = "inbound", _("Home-state child rescued in another state")
    OUTBOUND = "outbound", _("Other-state child rescued here")


class TransferKind(models.TextChoices):
    DISTRICT = "district", _("Transfer to the home district")
    REPATRIATION = "repatriation", _("Repatriation from another state")
    HANDOVER = "handover", _("Handover to the child's home state")


class TransferStage(models.TextChoices):
    INITIATED = "initiated", _("Initiated")
    ESCORT = "escort", _("Escort assigned")
    TRAVEL = "travel", _("Travelling")
    ARRIVED = "arrived", _("Arrived")
    HANDED_OVER = "handed_over", _("Handed over")
    ACKNOWLEDGED = "acknowledged", _("Receipt acknowledged")
