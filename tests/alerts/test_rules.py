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
    # The admin edits a rule; seeding again keeps it.
    production.remind_before = 6
    production.save()
    DeadlineRule.objects.filter(code="visit-decision").update(due_after=2, is_active=True)
    call_command("seed_deadline_rules")
    assert "0 added, 0 updated" in capsys.readouterr().out
    assert DeadlineRule.objects.get(code="cwc-production").remind_before == 6
    assert DeadlineRule.objects.get(code="visit-decision").is_active
    # --update takes the file's values again.
    assert services.rules_seed(update=True) == (0, shipped)
    assert DeadlineRule.objects.get(code="cwc-production").remind_before == 12
    assert not DeadlineRule.objects.get(code="visit-decision").is_active


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
