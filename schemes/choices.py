"""The fixed choices of schemes: stored as short codes, shown in the reader's language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CENTRAL = "central", _("Central sector")
    CENTRALLY_SPONSORED = "centrally_sponsored", _("Centrally sponsored")
    STATE = "state", _("State")


class Beneficiary(models.TextChoices):
    CHILD = "child", _("The rescued child")
    MEMBER = "member", _("A family member")
    HOUSEHOLD = "household", _("The household")


class BenefitKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    SERVICE = "service", _("Service")


class CashPeriod(models.TextChoices):
    ONE_TIME = "one_time", _("Once")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


class DocumentKind(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    AADHAAR = "aadhaar", _("Aadhaar")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    RATION_CARD = "ration_card", _("Ration card")
    CASTE_CERTIFICATE = "caste_certificate", _("Caste certificate")
    INCOME_CERTIFICATE = "income_certificate", _("Income certificate")
    RESIDENCE_CERTIFICATE = "residence_certificate", _("Residence certificate")
    SCHOOL_TRANSFER_CERTIFICATE = "school_transfer_certificate", _("School transfer certificate")
    DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate")
    LABOUR_CARD = "labour_card", _("Labour card")


class SocialCategory(models.TextChoices):
    SC = "sc", _("Scheduled Caste")
    ST = "st", _("Scheduled Tribe")
    EBC = "ebc", _("Extremely Backward Class")
    OBC = "obc", _("Backward Class")
    GENERAL = "general", _("General")


class RationCardType(models.TextChoices):
    NONE = "none", _("No ration card")
    AAY = "aay", _("Antyodaya Anna Yojana (AAY)")
    PHH = "phh", _("Priority household (PHH)")
    OTHER = "other", _("Other card (not under the Food Security Act)")


class IncomeBand(models.TextChoices):
    # Bands cut at the monthly equivalents of the published limits: Rs 60,000 a year (Laxmibai pension),
    # Rs 72,000 and Rs 96,000 a year (Mission Vatsalya, rural and urban), Rs 10,000 a month (SECC).
    BELOW_5000 = "below_5000", _("Below Rs 5,000 a month")
    UPTO_6000 = "upto_6000", _("Rs 5,000 to 6,000 a month")
    UPTO_8000 = "upto_8000", _("Rs 6,001 to 8,000 a month")
    UPTO_10000 = "upto_10000", _("Rs 8,001 to 10,000 a month")
    ABOVE_10000 = "above_10000", _("Above Rs 10,000 a month")


class HouseType(models.TextChoices):
    HOUSELESS = "houseless", _("Houseless")
    KUTCHA = "kutcha", _("Kutcha house")
    SEMI_PUCCA = "semi_pucca", _("Semi-pucca house")
    PUCCA = "pucca", _("Pucca house")


class Area(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEPMOTHER = "stepmother", _("Stepmother")
    STEPFATHER = "stepfather", _("Stepfather")
    GRANDMOTHER = "grandmother", _("Grandmother")
    GRANDFATHER = "grandfather", _("Grandfather")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    UNCLE = "uncle", _("Uncle")
    AUNT = "aunt", _("Aunt")
    GUARDIAN = "guardian", _("Other guardian")
    OTHER = "other", _("Other relative")


class MaritalStatus(models.TextChoices):
    MARRIED = "married", _("Married")
    WIDOWED = "widowed", _("Widowed")
    SEPARATED = "separated", _("Divorced, separated or deserted")
    NEVER_MARRIED = "never_married", _("Never married")


class Occupation(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction worker")
    AGRICULTURAL_LABOUR = "agricultural_labour", _("Agricultural labourer")
    CULTIVATOR = "cultivator", _("Cultivator")
    CASUAL_LABOUR = "casual_labour", _("Casual labourer")
    DOMESTIC_WORK = "domestic_work", _("Domestic worker")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    SALARIED = "salaried", _("Salaried")
    HOMEMAKER = "homemaker", _("Homemaker")
    STUDENT = "student", _("Student")
    UNEMPLOYED = "unemployed", _("Unemployed")
    UNABLE = "unable", _("Unable to work")


class ParentStatus(models.TextChoices):
    BOTH = "both", _("Both parents living")
    MOTHER_ONLY = "mother_only", _("Single parent: mother")
    FATHER_ONLY = "father_only", _("Single parent: father")
    ORPHAN = "orphan", _("Orphan")


class LinkageStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    DOCUMENTS_COMPLETE = "documents_complete", _("Documents complete")
    APPLIED = "applied", _("Applied")
    SANCTIONED = "sanctioned", _("Sanctioned")
    RECEIVED = "received", _("Benefit received")
    REJECTED = "rejected", _("Rejected")


class RejectionReason(models.TextChoices):
    DOCUMENTS = "documents", _("Documents incomplete or invalid")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible according to the office")
    ALREADY_BENEFICIARY = "already_beneficiary", _("Already a beneficiary")
    NOT_FOUND = "not_found", _("Applicant not found at verification")
    TARGET_FULL = "target_full", _("Target or quota full")
    OTHER = "other", _("Other")


class ReceiptVerification(models.TextChoices):
    VISIT = "visit", _("Home visit")
    DOCUMENT = "document", _("Document (passbook, card or order)")
