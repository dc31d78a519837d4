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

from schemes.eligibility.evaluation import (
    HouseholdFacts,
    Match,
    Person,
    child_age,
    evaluate,
    household_facts,
    member_age,
)
from schemes.eligibility.explanation import reason, who
from schemes.eligibility.rules import FIELDS, conditions, describe_rule, validate_rule
from schemes.eligibility.sql import candidates, eligible, household_district_lookup, linked

__all__ = [
    "FIELDS",
    "HouseholdFacts",
    "Match",
    "Person",
    "candidates",
    "child_age",
    "conditions",
    "describe_rule",
    "eligible",
    "evaluate",
    "household_district_lookup",
    "household_facts",
    "linked",
    "member_age",
    "reason",
    "validate_rule",
    "who",
]
