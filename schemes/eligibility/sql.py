"""A rule compiled to SQL: the eligible children, members or households of a district or the whole state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from clts.core.ages import YearsBetween
from rescue.models import Case as RescueCase
from schemes.eligibility.rules import CHOICE, DECIMAL, FIELDS, GROUPS, Field
from schemes.models import Beneficiary, HouseholdMember


def _today(today: date) -> Value:
    return Value(today, output_field=models.DateField())


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
