"""Why a person is eligible, in words the officer can read to the family (whole translated sentences)."""

from __future__ import annotations

from django.utils.translation import gettext

from schemes.eligibility.evaluation import Match, Person
from schemes.eligibility.rules import BOOL, CHOICE, FIELDS, Field
from schemes.models import (
    Beneficiary,
    Relation,
)


def _value_words(spec: Field, value) -> str:
    if spec.type == BOOL:
        return str(spec.true_phrase if value else spec.false_phrase)
    if spec.type == CHOICE:
        if value in spec.words:
            return str(spec.words[value])
        words = str(dict(spec.choices.choices).get(value, value))
        if spec.lower and len(words) > 1 and words[1].islower():
            words = words[0].lower() + words[1:]
        return str(spec.phrase or "%(value)s") % {"value": words}
    return str(spec.phrase or "%(value)s") % {"value": value}


def who(person: Person) -> str:
    """'mother, 34' or 'girl, 13' or 'household': how a reason names its beneficiary (never by name)."""
    facts = person.facts
    if person.subject == Beneficiary.HOUSEHOLD:
        return gettext("household")
    if person.subject == Beneficiary.MEMBER:
        label = str(dict(Relation.choices).get(facts.get("relation"), gettext("member"))).lower()
    else:
        label = {"f": gettext("girl"), "m": gettext("boy")}.get(facts.get("sex"), gettext("child"))
    age = facts.get("age")
    return f"{label}, {age}" if age is not None else label


def reason(candidate: Person, matches: list[Match], scheme_name: str) -> str:
    """E.g. 'mother, 34, widowed, BPL household: eligible for Laxmibai Social Security Pension'."""
    phrases: list[str] = []
    for match in matches:
        subject, name = match.condition["subject"], match.condition["field"]
        if match.person is None and subject == candidate.subject and name in ("age", "sex", "relation"):
            continue  # already in who()
        spec = FIELDS[subject][name]
        words = _value_words(spec, match.value)
        if match.person is not None:
            words = f"{who(match.person)}, {words}" if name not in ("age", "relation") else who(match.person)
        if words not in phrases:
            phrases.append(words)
    head = ", ".join([who(candidate), *phrases])
    return gettext("%(who)s: eligible for %(scheme)s") % {"who": head, "scheme": scheme_name}
