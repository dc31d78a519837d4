"""Evaluating a rule in Python for one household: the facts of its people, and which conditions they meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clts.core.ages import age_on
from schemes.eligibility.rules import FIELDS, GROUPS
from schemes.models import (
    Beneficiary,
)


def child_age(child, today: date) -> int | None:
    """From the date of birth when known, else the age at registration plus the completed years since."""
    return age_on(
        today, born=child.date_of_birth, age=child.age_years, age_known_on=timezone.localdate(child.created_at)
    )


def member_age(member, today: date) -> int | None:
    return age_on(today, age=member.age_years, age_known_on=member.age_as_of)


@dataclass
class Person:
    """A candidate or a person a condition may look at: the object and its facts."""

    subject: str
    obj: Any
    facts: dict[str, Any]


@dataclass
class HouseholdFacts:
    household: Any
    facts: dict[str, Any]
    children: list[Person] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)

    def people(self, subject: str) -> list[Person]:
        if subject == Beneficiary.CHILD:
            return self.children
        if subject == Beneficiary.MEMBER:
            return self.members
        return [Person(Beneficiary.HOUSEHOLD, self.household, self.facts)]


def _blank_is_unknown(value):
    return None if value == "" else value


def household_facts(household, links, members, today: date) -> HouseholdFacts:
    """Facts from loaded rows: `links` are HouseholdChild rows with child, bonded and trafficked annotated."""
    facts = {name: _blank_is_unknown(getattr(household, name)) for name in FIELDS[Beneficiary.HOUSEHOLD]}
    result = HouseholdFacts(household=household, facts=facts)
    for link in links:
        child = link.child
        result.children.append(
            Person(
                Beneficiary.CHILD,
                link,
                {
                    "age": child_age(child, today),
                    "sex": _blank_is_unknown(child.sex),
                    "enrolled_in_school": link.enrolled_in_school,
                    "school_class": link.school_class,
                    "parent_status": _blank_is_unknown(link.parent_status),
                    "disabled": child.disability != "",
                    "bonded": bool(link.bonded),
                    "trafficked": bool(link.trafficked),
                },
            )
        )
    for member in members:
        member_facts = {name: _blank_is_unknown(getattr(member, name, None)) for name in FIELDS[Beneficiary.MEMBER]}
        member_facts["age"] = member_age(member, today)
        result.members.append(Person(Beneficiary.MEMBER, member, member_facts))
    return result


def _compare(op: str, actual, expected) -> bool:
    if actual is None:
        return False
    if isinstance(actual, Decimal) and not isinstance(expected, list):
        expected = Decimal(str(expected))
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if op == "between":
        low, high = expected
        if isinstance(actual, Decimal):
            low, high = Decimal(str(low)), Decimal(str(high))
        return low <= actual <= high
    return {"lt": actual < expected, "lte": actual <= expected, "gt": actual > expected, "gte": actual >= expected}[op]


@dataclass
class Match:
    """A satisfied condition: about whom (None for the candidate itself) and the fact that satisfied it."""

    condition: dict
    person: Person | None
    value: Any


def evaluate(rule: dict, candidate: Person, household: HouseholdFacts) -> tuple[bool, list[Match]]:
    """Whether the candidate meets the rule, and the conditions that made it so (for the reason in words)."""
    kind, items = next(iter(rule.items()))
    matches: list[Match] = []
    results = []
    for item in items:
        if next(iter(item)) in GROUPS:
            ok, found = evaluate(item, candidate, household)
        else:
            ok, found = _evaluate_condition(item, candidate, household)
        results.append(ok)
        if ok:
            matches.extend(found)
        elif kind == "all":
            return False, []
    if kind == "all":
        return True, matches
    return any(results), matches


def _evaluate_condition(item: dict, candidate: Person, household: HouseholdFacts) -> tuple[bool, list[Match]]:
    subject, name = item["subject"], item["field"]
    if subject == candidate.subject:
        value = candidate.facts.get(name)
        return (_compare(item["op"], value, item["value"]), [Match(item, None, value)])
    if subject == Beneficiary.HOUSEHOLD:
        value = household.facts.get(name)
        return (_compare(item["op"], value, item["value"]), [Match(item, None, value)])
    for person in household.people(subject):
        value = person.facts.get(name)
        if _compare(item["op"], value, item["value"]):
            return True, [Match(item, person, value)]
    return False, []
