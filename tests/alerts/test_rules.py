"""The deadline rules as data: seeded idempotently, the admin's edits kept, no active rule without a time, and the
registry of kinds checked at start-up like every other hook."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from clts.alerts import services
from clts.alerts.models import DeadlineRule, Level
from clts.core.hooks import check_hooks

pytestmark = pytest.mark.django_db


def test_the_seed_adds_what_is_missing_and_keeps_the_admins_edits(db, capsys):
    shipped = len(json.loads(services.RULES_FILE.read_text(encoding="utf-8"))["rules"])
    call_command("seed_deadline_rules")
    assert f"{shipped} added" in capsys.readouterr().out
    production = DeadlineRule.objects.get(code="cwc-production")
    assert (production.due_after, production.unit, production.is_active) == (24, "hours", True)
    assert "section 31(1)" in production.source
    assert [(s.days_overdue, s.level) for s in production.steps.all()] == [(3, Level.STATE)]
    # Rules without a confirmed source ship without a time and stay inactive.
    unset = DeadlineRule.objects.filter(due_after__isnull=True, timing="after_start")
    assert set(unset.values_list("code", flat=True)) == {
        "case-entry",
        "transfer-acknowledgement",
        "repatriation-handover",
        "visit-decision",
        "household-recorded",
        "linkage-application",
        "link-request-decision",
        "duplicate-review",
        "missing-match-review",
    }
    assert not unset.filter(is_active=True).exists()
    # The monthly rules are timed by their record: the register is watched from the start; the TrackChild upload
    # ships switched off ("active": false: with no TrackChild endpoint every district would fall overdue).
    monthly = {rule.code: rule for rule in DeadlineRule.objects.filter(code__in=["cci-register", "trackchild-upload"])}
    assert (monthly["cci-register"].is_active, monthly["trackchild-upload"].is_active) == (True, False)
    assert "no Act" in monthly["cci-register"].source and "switched off" in monthly["trackchild-upload"].source
    assert monthly["cci-register"].name_hi and monthly["trackchild-upload"].satisfied_by_hi
    # The admin edits a rule and switches the upload on; seeding again keeps both.
    production.remind_before = 6
    production.save()
    DeadlineRule.objects.filter(code="visit-decision").update(due_after=2, is_active=True)
    DeadlineRule.objects.filter(code="trackchild-upload").update(is_active=True)
    call_command("seed_deadline_rules")
    assert "0 added, 0 updated" in capsys.readouterr().out
    assert DeadlineRule.objects.get(code="cwc-production").remind_before == 6
    assert DeadlineRule.objects.get(code="visit-decision").is_active
    assert DeadlineRule.objects.get(code="trackchild-upload").is_active
    # --update takes the file's values again.
    assert services.rules_seed(update=True) == (0, shipped)
    assert DeadlineRule.objects.get(code="cwc-production").remind_before == 12
    assert not DeadlineRule.objects.get(code="visit-decision").is_active
    assert not DeadlineRule.objects.get(code="trackchild-upload").is_active


def test_a_rules_file_row_marked_inactive_ships_switched_off_and_a_wrong_flag_is_refused(db, tmp_path):
    row = json.loads(services.RULES_FILE.read_text(encoding="utf-8"))["rules"][1]
    assert row["code"] == "cwc-production" and "active" not in row
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [row | {"active": False}]}), encoding="utf-8")
    assert services.rules_seed(path=path) == (1, 0)
    rule = DeadlineRule.objects.get(code="cwc-production")
    assert (rule.due_after, rule.is_active) == (24, False)
    path.write_text(json.dumps({"rules": [row | {"active": "no"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match="active"):
        services.rules_seed(path=path, update=True)
    assert not DeadlineRule.objects.get(code="cwc-production").is_active


def test_no_rule_is_active_without_its_time(rules):
    rule = rules["visit-decision"]
    rule.is_active = True
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "due_after" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


def test_a_rule_of_an_unknown_kind_is_refused(rules):
    rule = rules["cwc-production"]
    rule.kind = "rescue.no_such_kind"
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "kind" in error.value.message_dict


def test_a_rule_kind_module_that_cannot_be_imported_stops_the_portal(settings):
    assert check_hooks() == []
    settings.ALERT_RULE_KINDS = [*settings.ALERT_RULE_KINDS, "clts.alerts.rules.no_such_module.KINDS"]
    errors = check_hooks()
    assert [e.id for e in errors] == ["clts.E001"] and "no_such_module" in errors[0].msg
