"""Eligibility rules: a small vocabulary stored as JSON, validated before it is saved, evaluated in Python for
one household (with reasons in words) and compiled to SQL for a district or the whole state.

A rule is a group, `{"all": [item, ...]}` or `{"any": [item, ...]}`; an item is a group or a condition
`{"subject": "member", "field": "age", "op": "gte", "value": 60}`. Nothing is evaluated as code: every
subject, field and operator is looked up in the tables below, and values are type-checked against the field.

Who a condition is about: the scheme's beneficiary (the rescued child, a member or the household) is the
candidate. A condition on the candidate's own subject reads the candidate; a condition on the household reads
the candidate's household; a condition on another subject (a member, when the beneficiary is the child) holds
when ANY such person of the household meets it. The Python evaluation and the SQL compilation follow the same
definitions, and an unknown value (an empty age, an unrecorded income) never satisfies a condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clts.core.ages import YearsBetween, age_on
from rescue.models import Case as RescueCase
from rescue.models import Sex
from schemes.models import (
    Area,
    Beneficiary,
    HouseholdMember,
    HouseType,
    IncomeBand,
    MaritalStatus,
    Occupation,
    ParentStatus,
    RationCardType,
    Relation,
    SocialCategory,
)

SUBJECTS = (Beneficiary.CHILD, Beneficiary.MEMBER, Beneficiary.HOUSEHOLD)
GROUPS = ("all", "any")
MAX_DEPTH = 5
MAX_CONDITIONS = 40

INT, DECIMAL, BOOL, CHOICE = "int", "decimal", "bool", "choice"
OPERATORS: dict[str, tuple[str, ...]] = {
    INT: ("eq", "ne", "lt", "lte", "gt", "gte", "between"),
    DECIMAL: ("eq", "ne", "lt", "lte", "gt", "gte", "between"),
    BOOL: ("eq",),
    CHOICE: ("eq", "ne", "in", "not_in"),
}


@dataclass(frozen=True)
class Field:
    """One fact a rule may test: its type, its words, and (for reasons) how a value reads."""

    type: str
    label: Promise
    choices: type[models.TextChoices] | None = None
    phrase: Promise | None = None  # "%(value)s" template for numbers and choices
    true_phrase: Promise | None = None
    false_phrase: Promise | None = None
    lower: bool = True  # choice labels read in lower case mid-sentence, except names ("Scheduled Caste")
    words: dict[str, Promise] = field(default_factory=dict)  # a value that reads better in its own words


FIELDS: dict[str, dict[str, Field]] = {
    Beneficiary.CHILD: {
        "age": Field(INT, _("age"), phrase=_("aged %(value)s")),
        "sex": Field(CHOICE, _("sex"), Sex),
        "enrolled_in_school": Field(
            BOOL, _("enrolled in school"), true_phrase=_("in school"), false_phrase=_("not in school")
        ),
        "school_class": Field(INT, _("class in school"), phrase=_("class %(value)s")),
        "parent_status": Field(CHOICE, _("parents"), ParentStatus, phrase=_("%(value)s")),
        "disabled": Field(
            BOOL, _("with disability"), true_phrase=_("with a disability"), false_phrase=_("without disability")
        ),
        "bonded": Field(
            BOOL,
            _("rescued from bonded labour"),
            true_phrase=_("rescued from bonded labour"),
            false_phrase=_("not in bonded labour"),
        ),
        "trafficked": Field(BOOL, _("trafficked"), true_phrase=_("trafficked"), false_phrase=_("not trafficked")),
    },
    Beneficiary.MEMBER: {
        "age": Field(INT, _("age"), phrase=_("aged %(value)s")),
        "sex": Field(CHOICE, _("sex"), Sex),
        "relation": Field(CHOICE, _("relation"), Relation, phrase=_("%(value)s")),
        "marital_status": Field(CHOICE, _("marital status"), MaritalStatus, phrase=_("%(value)s")),
        "occupation": Field(CHOICE, _("occupation"), Occupation, phrase=_("%(value)s")),
        "disabled": Field(
            BOOL, _("with disability"), true_phrase=_("with a disability"), false_phrase=_("without disability")
        ),
        "disability_percent": Field(INT, _("disability (per cent)"), phrase=_("%(value)s%% disability")),
    },
    Beneficiary.HOUSEHOLD: {
        "social_category": Field(CHOICE, _("social category"), SocialCategory, phrase=_("%(value)s"), lower=False),
        "minority": Field(
            BOOL, _("minority community"), true_phrase=_("minority community"), false_phrase=_("not a minority")
        ),
        "bpl": Field(BOOL, _("below the poverty line"), true_phrase=_("BPL household"), false_phrase=_("not BPL")),
        "ration_card_type": Field(
            CHOICE,
            _("ration card"),
            RationCardType,
            phrase=_("ration card: %(value)s"),
            lower=False,
            words={"none": _("no ration card")},
        ),
        "income_band": Field(CHOICE, _("monthly income"), IncomeBand, phrase=_("income %(value)s")),
        "land_acres": Field(DECIMAL, _("land owned (acres)"), phrase=_("%(value)s acres of land")),
        "house_type": Field(CHOICE, _("house"), HouseType, phrase=_("%(value)s")),
        "area": Field(CHOICE, _("rural or urban"), Area, phrase=_("%(value)s")),
        "resident_in_state": Field(
            BOOL, _("resident of the state"), true_phrase=_("resident of the state"), false_phrase=_("not resident")
        ),
    },
}

# Whole sentence templates, not operator fragments, so that a translation can put the words in its own order.
OPERATOR_WORDS = {
    "eq": _("%(field)s is %(value)s"),
    "ne": _("%(field)s is not %(value)s"),
    "lt": _("%(field)s is less than %(value)s"),
    "lte": _("%(field)s is at most %(value)s"),
    "gt": _("%(field)s is more than %(value)s"),
    "gte": _("%(field)s is at least %(value)s"),
    "between": _("%(field)s is between %(value)s"),
    "in": _("%(field)s is one of %(value)s"),
    "not_in": _("%(field)s is none of %(value)s"),
}


# ---------------------------------------------------------------------------------------------------------------
# Validation


def validate_rule(rule: Any, *, field: str | None = None) -> None:
    """Raise ValidationError (translated, one message per problem, with where it is) unless the rule is well formed."""
    errors: list[str] = []
    count = [0]
    _check_group(rule, "rule", 1, errors, count)
    if count[0] > MAX_CONDITIONS:
        errors.append(gettext("A rule may have at most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    if errors:
        raise ValidationError({field: errors} if field else errors)


def _check_group(item: Any, where: str, depth: int, errors: list[str], count: list[int]) -> None:
    if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in GROUPS:
        errors.append(gettext('%(where)s: expected a group, {"all": [...]} or {"any": [...]}.') % {"where": where})
        return
    if depth > MAX_DEPTH:
        errors.append(gettext("%(where)s: groups may be nested at most %(n)d deep.") % {"where": where, "n": MAX_DEPTH})
        return
    kind, items = next(iter(item.items()))
    if not isinstance(items, list) or not items:
        errors.append(gettext("%(where)s: “%(kind)s” needs a non-empty list.") % {"where": where, "kind": kind})
        return
    for index, child in enumerate(items):
        child_where = f"{where}.{kind}[{index + 1}]"
        if isinstance(child, dict) and len(child) == 1 and next(iter(child)) in GROUPS:
            _check_group(child, child_where, depth + 1, errors, count)
        else:
            count[0] += 1
            _check_condition(child, child_where, errors)


def _check_condition(item: Any, where: str, errors: list[str]) -> None:
    keys = {"subject", "field", "op", "value"}
    if not isinstance(item, dict) or set(item) != keys:
        errors.append(
            gettext("%(where)s: a condition has exactly the keys subject, field, op and value.") % {"where": where}
        )
        return
    subject, name, op, value = item["subject"], item["field"], item["op"], item["value"]
    if subject not in SUBJECTS:
        errors.append(
            gettext("%(where)s: unknown subject “%(subject)s”; use child, member or household.")
            % {"where": where, "subject": subject}
        )
        return
    spec = FIELDS[subject].get(name) if isinstance(name, str) else None
    if spec is None:
        errors.append(
            gettext("%(where)s: unknown field “%(field)s” for %(subject)s; known fields: %(known)s.")
            % {"where": where, "field": name, "subject": subject, "known": ", ".join(FIELDS[subject])}
        )
        return
    if op not in OPERATORS[spec.type]:
        errors.append(
            gettext("%(where)s: operator “%(op)s” cannot be used with %(field)s; use one of: %(ops)s.")
            % {"where": where, "op": op, "field": name, "ops": ", ".join(OPERATORS[spec.type])}
        )
        return
    problem = _check_value(spec, op, value)
    if problem:
        errors.append(f"{where}: {problem}")


def _is_number(value: Any, spec: Field) -> bool:
    if isinstance(value, bool):
        return False
    if spec.type == INT:
        return isinstance(value, int) and value >= 0
    if isinstance(value, int | str | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return False
        return number.is_finite() and number >= 0
    return False


def _check_value(spec: Field, op: str, value: Any) -> str:
    if spec.type in (INT, DECIMAL):
        kind = gettext("a whole number") if spec.type == INT else gettext("a number")
        if op == "between":
            if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v, spec) for v in value)):
                return gettext("“between” needs two values, [from, to], each %(kind)s.") % {"kind": kind}
            if Decimal(str(value[0])) > Decimal(str(value[1])):
                return gettext("“between” needs the smaller value first.")
            return ""
        if not _is_number(value, spec):
            return gettext("the value of %(field)s must be %(kind)s, not %(value)r.") % {
                "field": spec.label,
                "kind": kind,
                "value": value,
            }
        return ""
    if spec.type == BOOL:
        if not isinstance(value, bool):
            return gettext("the value of %(field)s must be true or false.") % {"field": spec.label}
        return ""
    allowed = spec.choices.values
    if op in ("in", "not_in"):
        if not (isinstance(value, list) and value and all(isinstance(v, str) and v in allowed for v in value)):
            return gettext("“%(op)s” needs a non-empty list of: %(allowed)s.") % {
                "op": op,
                "allowed": ", ".join(allowed),
            }
        if len(set(value)) != len(value):
            return gettext("the list repeats a value.")
        return ""
    if not (isinstance(value, str) and value in allowed):
        return gettext("the value of %(field)s must be one of: %(allowed)s.") % {
            "field": spec.label,
            "allowed": ", ".join(allowed),
        }
    return ""


def conditions(rule: dict) -> list[dict]:
    """Every condition of a (valid) rule, depth first."""
    kind, items = next(iter(rule.items()))
    found: list[dict] = []
    for item in items:
        found.extend(conditions(item) if next(iter(item)) in GROUPS else [item])
    return found


def describe_rule(rule: dict) -> str:
    """The rule in words, for the catalogue page and the admin."""
    kind, items = next(iter(rule.items()))
    joiner = gettext(" and ") if kind == "all" else gettext(" or ")
    parts = []
    for item in items:
        if next(iter(item)) in GROUPS:
            parts.append(f"({describe_rule(item)})")
            continue
        spec = FIELDS[item["subject"]][item["field"]]
        value = item["value"]
        if spec.type == CHOICE:
            labels = dict(spec.choices.choices)
            value = ", ".join(str(labels[v]) for v in (value if isinstance(value, list) else [value]))
        elif spec.type == BOOL and spec.true_phrase and spec.false_phrase:
            # A yes/no fact reads as its own phrase ("BPL household"), not as "below the poverty line is yes".
            subject = dict(Beneficiary.choices)[item["subject"]]
            parts.append(f"{subject}: {spec.true_phrase if value else spec.false_phrase}")
            continue
        elif spec.type == BOOL:
            value = gettext("yes") if value else gettext("no")
        elif isinstance(value, list):
            value = gettext("%(low)s and %(high)s") % {"low": value[0], "high": value[1]}
        subject = dict(Beneficiary.choices)[item["subject"]]
        condition = OPERATOR_WORDS[item["op"]] % {"field": spec.label, "value": value}
        parts.append(f"{subject}: {condition}")
    return joiner.join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Ages: the same definition in Python and in SQL


def child_age(child, today: date) -> int | None:
    """From the date of birth when known, else the age at registration plus the completed years since."""
    return age_on(
        today, born=child.date_of_birth, age=child.age_years, age_known_on=timezone.localdate(child.created_at)
    )


def member_age(member, today: date) -> int | None:
    return age_on(today, age=member.age_years, age_known_on=member.age_as_of)


def _today(today: date) -> Value:
    return Value(today, output_field=models.DateField())


# ---------------------------------------------------------------------------------------------------------------
# Facts for Python evaluation


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


# ---------------------------------------------------------------------------------------------------------------
# Reasons in words


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


# ---------------------------------------------------------------------------------------------------------------
# SQL compilation


def _household_ref(beneficiary: str) -> str:
    return "pk" if beneficiary == Beneficiary.HOUSEHOLD else "household_id"


def _field_expression(subject: str, name: str, today: date, prefix: str = ""):
    """The lookup (a string) or expression that gives a field's value on the subject's base model."""
    if subject == Beneficiary.HOUSEHOLD:
        return prefix + name
    if subject == Beneficiary.MEMBER:
        if name == "age":
            return F("age_years") + YearsBetween(_today(today), F("age_as_of"))
        return name
    # The child: a HouseholdChild row, reaching rescue.Child through `child`.
    if name == "age":
        return Case(
            When(
                child__date_of_birth__isnull=False,
                then=YearsBetween(_today(today), F("child__date_of_birth")),
            ),
            default=F("child__age_years") + YearsBetween(_today(today), TruncDate("child__created_at")),
            output_field=models.IntegerField(),
        )
    if name == "sex":
        return "child__sex"
    if name == "disabled":
        return Case(
            When(child__disability="", then=Value(False)), default=Value(True), output_field=models.BooleanField()
        )
    if name in ("bonded", "trafficked"):
        return Exists(RescueCase.objects.filter(child_id=OuterRef("child_id"), **{name: True}))
    return name


def _operator_q(lookup: str, spec: Field, op: str, value) -> Q:
    if spec.type == DECIMAL:
        value = [Decimal(str(v)) for v in value] if isinstance(value, list) else Decimal(str(value))
    known = Q(**{f"{lookup}__isnull": False})
    if spec.type == CHOICE:
        known &= ~Q(**{lookup: ""})
    if op == "eq":
        return Q(**{lookup: value})
    if op == "ne":
        return known & ~Q(**{lookup: value})
    if op == "in":
        return Q(**{f"{lookup}__in": value})
    if op == "not_in":
        return known & ~Q(**{f"{lookup}__in": value})
    if op == "between":
        return Q(**{f"{lookup}__gte": value[0], f"{lookup}__lte": value[1]})
    return Q(**{f"{lookup}__{op}": value})


class _Compiler:
    """Turns a rule into aliases and a Q for the queryset of the beneficiary's candidates."""

    def __init__(self, beneficiary: str, today: date):
        self.beneficiary = beneficiary
        self.today = today
        self.aliases: dict[str, Any] = {}

    def _alias(self, expression) -> str:
        name = f"rule_{len(self.aliases) + 1}"
        self.aliases[name] = expression
        return name

    def group(self, rule: dict) -> Q:
        kind, items = next(iter(rule.items()))
        combined: Q | None = None
        for item in items:
            q = self.group(item) if next(iter(item)) in GROUPS else self.condition(item)
            combined = q if combined is None else (combined & q if kind == "all" else combined | q)
        return combined

    def condition(self, item: dict) -> Q:
        subject, name, op, value = item["subject"], item["field"], item["op"], item["value"]
        spec = FIELDS[subject][name]
        if subject == self.beneficiary:
            return self.own(subject, name, spec, op, value)
        if subject == Beneficiary.HOUSEHOLD:
            return _operator_q(_field_expression(subject, name, self.today, prefix="household__"), spec, op, value)
        # Any person of that subject in the candidate's household.
        inner = _Compiler(subject, self.today)
        q = inner.own(subject, name, spec, op, value)
        people = candidates(subject).filter(household_id=OuterRef(_household_ref(self.beneficiary)))
        if inner.aliases:
            people = people.alias(**inner.aliases)
        return Q(**{self._alias(Exists(people.filter(q))): True})

    def own(self, subject: str, name: str, spec: Field, op: str, value) -> Q:
        """A condition on the candidate's own field."""
        target = _field_expression(subject, name, self.today)
        lookup = target if isinstance(target, str) else self._alias(target)
        return _operator_q(lookup, spec, op, value)


def candidates(beneficiary: str) -> models.QuerySet:
    """Every possible beneficiary of a scheme of this kind (unscoped: callers narrow by place or access)."""
    from schemes.models import Household, HouseholdChild

    if beneficiary == Beneficiary.CHILD:
        return HouseholdChild.objects.all()
    if beneficiary == Beneficiary.MEMBER:
        return HouseholdMember.objects.all()
    return Household.objects.all()


def eligible(scheme, *, today: date | None = None, queryset: models.QuerySet | None = None) -> models.QuerySet:
    """The candidates that meet the scheme's rule, as one SQL query (no Python loop over households)."""
    today = today or timezone.localdate()
    compiler = _Compiler(scheme.beneficiary, today)
    q = compiler.group(scheme.rule)
    qs = queryset if queryset is not None else candidates(scheme.beneficiary)
    if compiler.aliases:
        qs = qs.alias(**compiler.aliases)
    return qs.filter(q)


def linked(scheme) -> Exists:
    """Whether a candidate already has a linkage to the scheme (for eligible-but-unlinked)."""
    from schemes.models import Linkage

    linkages = Linkage.objects.filter(scheme_id=scheme.pk)
    if scheme.beneficiary == Beneficiary.CHILD:
        return Exists(linkages.filter(child_id=OuterRef("child_id")))
    if scheme.beneficiary == Beneficiary.MEMBER:
        return Exists(linkages.filter(member_id=OuterRef("pk")))
    return Exists(linkages.filter(household_id=OuterRef("pk"), child__isnull=True, member__isnull=True))


def household_district_lookup(beneficiary: str) -> str:
    return "district_id" if beneficiary == Beneficiary.HOUSEHOLD else "household__district_id"
