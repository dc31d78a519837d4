"""Seeded templates, the admin's scoping, import-export resources and the figures task."""

from decimal import Decimal

import pytest
import tablib
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from clts.accounts.roles import Role
from rehabilitation import resources, tasks
from rehabilitation.models import (
    Component,
    ComponentTemplate,
    DistrictMonthFigures,
    Enrolment,
    Package,
    RehabilitationRule,
    Visit,
    VisitScheduleStep,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_invents_no_figure(capsys):
    call_command("seed_component_templates")
    assert "10 added, 0 updated" in capsys.readouterr().out
    call_command("seed_component_templates")
    assert "0 added, 0 updated" in capsys.readouterr().out
    amounts = {t.code: t.amount for t in ComponentTemplate.objects.exclude(amount=None)}
    # The only figures are the two Bihar reports: Rs 3,000 immediate relief and a Rs 25,000 deposit.
    assert amounts == {"immediate-relief": Decimal("3000.00"), "fund-deposit-state": Decimal("25000.00")}
    assert not ComponentTemplate.objects.exclude(due_days=None).exists()
    assert all(t.source and t.name_hi for t in ComponentTemplate.objects.all())
    dated = dict(ComponentTemplate.objects.exclude(effective_from=None).values_list("code", "effective_from"))
    assert set(dated) == {"bonded-immediate", "bonded-rehabilitation"}


def test_seed_keeps_the_admins_edits_unless_asked(capsys):
    call_command("seed_component_templates")
    ComponentTemplate.objects.filter(code="health-checkup").update(due_days=30)
    call_command("seed_component_templates")
    assert ComponentTemplate.objects.get(code="health-checkup").due_days == 30
    call_command("seed_component_templates", "--update")
    assert ComponentTemplate.objects.get(code="health-checkup").due_days is None


def test_defaults_are_data():
    assert list(VisitScheduleStep.objects.values_list("months_after_restoration", flat=True)) == [
        1, 2, 3, 4, 5, 6, 9, 12, 15, 18, 21, 24
    ]  # fmt: skip
    assert RehabilitationRule.current().safe_visits_for_closure == 3


@pytest.mark.parametrize(
    "model", [ComponentTemplate, VisitScheduleStep, RehabilitationRule, Package, Component, Enrolment, Visit,
              DistrictMonthFigures]
)  # fmt: skip
def test_every_model_has_an_admin_page(cast, login, model):
    assert admin.site.is_registered(model)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert login(cast.admin).get(url).status_code == 200


def test_the_admin_shows_a_non_superuser_only_their_rows(places, cast):
    gaya = f.make_package(f.make_case(district=places.gaya))
    patna = f.make_package(f.make_case(district=places.patna))
    patna_staff = f.make_user(Role.DISTRICT, username="patna-staff", district=places.patna, is_staff=True)
    request = RequestFactory().get("/")
    for user, seen in ((patna_staff, [patna]), (cast.admin, [gaya, patna])):
        request.user = user
        model_admin = admin.site._registry[Package]
        assert list(model_admin.get_queryset(request).order_by("pk")) == seen


def test_exports_name_the_case_never_the_child(places, cast):
    case = f.make_case(district=places.gaya)
    f.make_package(case, components=[{"planned_amount": Decimal("3000.00")}])
    f.make_visit(case, assigned_to=cast.field)
    for resource in (resources.PackageResource(), resources.ComponentResource(), resources.VisitResource()):
        dataset = resource.export()
        assert "case_number" in dataset.headers
        assert dataset.dict[0]["case_number"] == case.case_number
        assert case.child.name not in dataset.csv


def test_templates_import_through_the_resource():
    dataset = tablib.Dataset(
        headers=["code", "name_en", "kind", "department", "amount", "applies_to", "due_event", "source"]
    )
    dataset.append(["test-relief", "Test relief", "relief", "Test department", "100.50", "all", "rescue", "Test"])
    result = resources.ComponentTemplateResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    template = ComponentTemplate.objects.get(code="test-relief")
    assert template.amount == Decimal("100.50") and template.applies_to == ["all"]


def test_an_imported_enrolment_is_recorded_as_the_importers(places, cast):
    case = f.make_case(district=places.gaya)
    dataset = tablib.Dataset(headers=["case_number", "kind", "institution_name", "enrolled_on"])
    dataset.append([case.case_number, "bridge", "Test bridge centre", "2026-01-05"])
    result = resources.EnrolmentResource().import_data(dataset, dry_run=False, user=cast.district)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Enrolment.objects.get(case=case).created_by == cast.district


def test_the_figures_task_rebuilds_the_table(places):
    f.make_package(
        f.make_case(district=places.gaya),
        components=[{"status": "sanctioned", "sanctioned_amount": Decimal("5.00"), "sanctioned_on": "2026-01-10"}],
    )
    assert tasks.figures_refresh.apply().get() == 1
    assert tasks.figures_refresh.apply().get() == 1
    assert DistrictMonthFigures.objects.get().sanctioned_amount == Decimal("5.00")
