"""The rule vocabulary: subjects, fields and operators, validation of a stored rule, and a rule in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rescue.models import Sex
from schemes.models import (
    Area,
    Beneficiary,
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
