"""The risk level of a follow-up visit, computed from its answers, with the reasons a person can read.

CLTS's own working rule (not a statutory one): any "high" reason makes the visit high risk, and so do three or
more "medium" reasons; one or two "medium" reasons make it medium; none, low.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rehabilitation.models import Attendance, Found, Health, RiskLevel, SchemeAccess

HIGH, MEDIUM = RiskLevel.HIGH, RiskLevel.MEDIUM

# code -> (weight, words). Codes are stored on the visit; the words are translated when shown.
REASONS = {
    "not_found": (HIGH, _("The child was not found.")),
    "working_again": (HIGH, _("The child is working again.")),
    "serious_health": (HIGH, _("The child is seriously ill or injured.")),
    "not_with_family": (MEDIUM, _("The child is not living with the family.")),
    "not_seen": (MEDIUM, _("The child was not seen.")),
    "family_migrated": (MEDIUM, _("The family has migrated or plans to.")),
    "out_of_school": (MEDIUM, _("The child is of school age and not in school.")),
    "irregular_attendance": (MEDIUM, _("The child does not attend school regularly.")),
    "needs_care": (MEDIUM, _("The child's health needs care.")),
    "no_scheme_benefit": (MEDIUM, _("The family is not receiving the schemes it was linked to.")),
}


@dataclass(frozen=True)
class Risk:
    level: str
    reasons: list[str]

    @property
    def words(self) -> list[str]:
        return reason_words(self.reasons)

    @property
    def safe(self) -> bool:
        """Seen, with the family and not working: what closure counts as a safe visit."""
        return not ({"not_found", "not_seen", "working_again", "not_with_family"} & set(self.reasons))

    @property
    def needs_decision(self) -> bool:
        return bool({"not_found", "working_again"} & set(self.reasons))


def reason_words(codes: list[str]) -> list[str]:
    return [str(REASONS[code][1]) for code in codes if code in REASONS]


def visit_risk(
    *,
    found: str,
    living_with_family: bool | None,
    in_school: bool | None,
    attendance: str,
    working_again: bool | None,
    family_migrated: bool | None,
    health: str,
    scheme_access: str,
    school_age: bool,
) -> Risk:
    reasons = []
    if found == Found.NOT_FOUND:
        reasons.append("not_found")
    elif found == Found.ABSENT:
        reasons.append("not_seen")
    if working_again:
        reasons.append("working_again")
    if health == Health.SERIOUS:
        reasons.append("serious_health")
    if living_with_family is False:
        reasons.append("not_with_family")
    if family_migrated:
        reasons.append("family_migrated")
    if school_age and in_school is False:
        reasons.append("out_of_school")
    if in_school and attendance in (Attendance.IRREGULAR, Attendance.NOT_ATTENDING):
        reasons.append("irregular_attendance")
    if health == Health.NEEDS_CARE:
        reasons.append("needs_care")
    if scheme_access in (SchemeAccess.SOME, SchemeAccess.NONE):
        reasons.append("no_scheme_benefit")
    weights = [REASONS[code][0] for code in reasons]
    if HIGH in weights or weights.count(MEDIUM) >= 3:
        level = RiskLevel.HIGH
    elif MEDIUM in weights:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    return Risk(level=level, reasons=reasons)
