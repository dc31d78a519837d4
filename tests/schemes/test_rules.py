"""The rule vocabulary: a malformed rule is refused on save, with a message that says where and why."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils import translation

from schemes.admin import SchemeAdminForm
from schemes.catalogue import SCHEMES
from schemes.eligibility import describe_rule, validate_rule
from schemes.models import Scheme
from schemes.resources import SchemeResource
from tests import factories as f


def cond(subject="member", field="age", op="gte", value=60):
    return {"subject": subject, "field": field, "op": op, "value": value}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ([cond()], "expected a group"),
        ({"all": []}, "needs a non-empty list"),
        ({"all": [cond()], "any": [cond()]}, "expected a group"),
        ({"every": [cond()]}, "expected a group"),
        ({"all": [cond(subject="neighbour")]}, "unknown subject “neighbour”"),
        ({"all": [cond(field="salary")]}, "unknown field “salary” for member"),
        ({"all": [cond(field="__class__")]}, "unknown field"),
        ({"all": [cond(op="like")]}, "operator “like” cannot be used with age"),
        ({"all": [cond(op="in", value=[1])]}, "operator “in” cannot be used with age"),
        ({"all": [cond(value="60")]}, "must be a whole number"),
        ({"all": [cond(value=True)]}, "must be a whole number"),
        ({"all": [cond(value=-1)]}, "must be a whole number"),
        ({"all": [cond(op="between", value=[79, 40])]}, "smaller value first"),
        ({"all": [cond(op="between", value=[40])]}, "needs two values"),
        ({"all": [cond(field="marital_status", op="eq", value="single")]}, "must be one of: married, widowed"),
        ({"all": [cond(field="marital_status", op="in", value=[])]}, "non-empty list"),
        ({"all": [cond(field="marital_status", op="in", value=["widowed", "widowed"])]}, "repeats a value"),
        ({"all": [cond(subject="household", field="bpl", op="eq", value="yes")]}, "must be true or false"),
        ({"all": [cond(subject="household", field="land_acres", op="lt", value="two")]}, "must be a number"),
        ({"all": [{**cond(), "extra": 1}]}, "exactly the keys"),
        ({"all": [{"any": [{"all": [{"any": [{"all": [{"any": [cond()]}]}]}]}]}]}, "nested at most"),
        ("__import__('os').system('id')", "expected a group"),
    ],
)
def test_malformed_rules_are_refused_with_where_and_why(rule, message):
    with pytest.raises(ValidationError) as error:
        validate_rule(rule)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_a_well_formed_rule_with_nested_groups_passes():
    rule = {
        "all": [
            cond(subject="child", field="age", op="lt", value=18),
            {
                "any": [
                    cond(subject="household", field="land_acres", op="between", value=[0, 2.5]),
                    cond(subject="household", field="income_band", op="in", value=["below_5000"]),
                ]
            },
        ]
    }
    validate_rule(rule)
    assert describe_rule(rule) == (
        "The rescued child: age is less than 18 and (The household: land owned (acres) is between 0 and 2.5 or "
        "The household: monthly income is one of Below Rs 5,000 a month)"
    )


def test_a_rule_reads_as_sentences_in_hindi_too():
    rule = {
        "all": [
            cond(subject="member", field="age", op="gte", value=60),
            cond(subject="household", field="bpl", op="eq", value=True),
        ]
    }
    assert describe_rule(rule) == "A family member: age is at least 60 and The household: BPL household"
    with translation.override("hi"):
        words = describe_rule(rule)
    # Whole-sentence templates let Hindi put the verb last ("... कम से कम 60 हो"), not after the field name.
    assert "कम से कम 60 हो" in words and "हाँ" not in words


def test_every_seeded_rule_is_valid_and_names_its_source():
    for entry in SCHEMES:
        validate_rule(entry["rule"])
        assert len(entry["source"]) > 40, entry["code"]


@pytest.mark.django_db
def test_the_model_refuses_to_save_a_malformed_rule():
    scheme = Scheme(
        code="bad",
        name_en="Bad",
        level="state",
        department=f.make_department(),
        beneficiary="member",
        benefit_kind="cash",
        source="Test",
        rule={"all": [cond(field="salary")]},
    )
    with pytest.raises(ValidationError) as error:
        scheme.full_clean()
    assert "rule" in error.value.error_dict
    assert "unknown field “salary”" in str(error.value.error_dict["rule"])


@pytest.mark.django_db
def test_the_admin_form_shows_the_message_on_the_rule_and_saves_nothing():
    department = f.make_department()
    data = {
        "code": "bad",
        "name_en": "Bad",
        "level": "state",
        "department": department.pk,
        "beneficiary": "member",
        "benefit_kind": "cash",
        "source": "Test",
        "rule": '{"all": [{"subject": "member", "field": "age", "op": "gte", "value": "sixty"}]}',
        "documents": "",
        "family_documents": "",
        "is_active": "on",
    }
    form = SchemeAdminForm(data)
    assert not form.is_valid()
    assert "must be a whole number" in " ".join(form.errors["rule"])
    assert not Scheme.objects.exists()
    form = SchemeAdminForm(
        data | {"rule": '{"all": [{"subject": "member", "field": "age", "op": "gte", "value": 60}]}'}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert Scheme.objects.get(code="bad").rule["all"][0]["value"] == 60


@pytest.mark.django_db
def test_an_imported_malformed_rule_is_refused(cast):
    department = f.make_department(code="welfare")
    headers = ["code", "name_en", "level", "department", "beneficiary", "benefit_kind", "source", "rule", "is_active"]
    row = ["bad", "Bad", "state", "welfare", "member", "cash", "Test", '{"all": [{"subject": "x"}]}', "1"]
    result = SchemeResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    assert not Scheme.objects.filter(code="bad").exists()
    assert department
