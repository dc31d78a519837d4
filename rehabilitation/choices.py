"""The fixed choices of rehabilitation: stored as short codes, shown in the reader's language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppliesTo(models.TextChoices):
    ALL = "all", _("Every rescued child")
    CHILD = "child", _("Child (under 14)")
    ADOLESCENT = "adolescent", _("Adolescent (14 to 18)")
    BONDED = "bonded", _("Released from bonded labour")
    TRAFFICKED = "trafficked", _("Trafficked")
    GIRL = "girl", _("Girl")


class DueEvent(models.TextChoices):
    RESCUE = "rescue", _("Rescue")
    RESTORATION = "restoration", _("Restoration to family")


class ComponentKind(models.TextChoices):
    RELIEF = "relief", _("Immediate relief")
    DEPOSIT = "deposit", _("Deposit for the child")
    BONDED = "bonded", _("Bonded labour rehabilitation")
    COMPENSATION = "compensation", _("Victim compensation")
    EDUCATION = "education", _("Education")
    SKILL = "skill", _("Skill training")
    HEALTH = "health", _("Health")
    SPONSORSHIP = "sponsorship", _("Sponsorship")
    OTHER = "other", _("Other")


class ComponentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SANCTIONED = "sanctioned", _("Sanctioned")
    DISBURSED = "disbursed", _("Disbursed")
    VERIFIED = "verified", _("Verified")
    WAIVED = "waived", _("Waived")


class DisbursementMode(models.TextChoices):
    BANK_CHILD = "bank_child", _("Bank transfer to the child's account")
    BANK_GUARDIAN = "bank_guardian", _("Bank transfer to the guardian's account")
    FIXED_DEPOSIT = "fixed_deposit", _("Fixed deposit")
    IN_KIND = "in_kind", _("In kind")


class EnrolmentKind(models.TextChoices):
    SCHOOL = "school", _("School")
    BRIDGE = "bridge", _("Bridge course or special training centre")
    SKILL = "skill", _("Skill training")
    WORK = "work", _("Work permitted for an adolescent (not child labour)")


class Found(models.TextChoices):
    SEEN = "seen", _("Child seen")
    ABSENT = "absent", _("Child not seen, but lives with the family")
    NOT_FOUND = "not_found", _("Child not found")


class Attendance(models.TextChoices):
    REGULAR = "regular", _("Attends regularly")
    IRREGULAR = "irregular", _("Attends irregularly")
    NOT_ATTENDING = "not_attending", _("Enrolled but not attending")


class Health(models.TextChoices):
    GOOD = "good", _("Good")
    NEEDS_CARE = "needs_care", _("Needs care")
    SERIOUS = "serious", _("Serious illness or injury")


class SchemeAccess(models.TextChoices):
    ALL = "all", _("Receiving all the linked schemes")
    SOME = "some", _("Receiving some of them")
    NONE = "none", _("Receiving none of them")
    NOT_LINKED = "not_linked", _("Not linked to any scheme yet")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue follow-up")
    RETRAFFICKED = "retrafficked", _("Re-trafficked")
    LOST_CONTACT = "lost_contact", _("Lost contact")
