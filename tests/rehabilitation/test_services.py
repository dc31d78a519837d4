"""Packages, the component workflow, money, education, visits, decisions and closure, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rehabilitation import queries, services
from rehabilitation.models import (
    Component,
    ComponentStatus,
    Decision,
    DisbursementMode,
    Package,
    RehabilitationRule,
    RiskLevel,
    Visit,
    VisitScheduleStep,
)
from rescue.models import Category, Status
from tests import factories as f
from tests.rehabilitation.conftest import disburse, proof, restored_case, sanction

pytestmark = pytest.mark.django_db

EVERY_CHILD = {
    "immediate-relief",
    "fund-deposit-state",
    "fund-deposit-employer",
    "education-enrolment",
    "health-checkup",
    "sponsorship-vatsalya",
}


def codes(package: Package) -> set[str]:
    return set(package.components.values_list("template__code", flat=True))


# Packages from templates -------------------------------------------------------------------------------------------


def test_package_for_a_child(places, cast, bihar_templates):
    case = restored_case(places, cast)
    package = services.package_create_for_case(case=case, actor=cast.district)
    assert codes(package) == EVERY_CHILD
    # Only the two amounts Bihar reports are filled in; the rest is set by the department.
    assert package.planned_total == Decimal("28000.00")
    amounts = dict(package.components.values_list("template__code", "planned_amount"))
    assert amounts["immediate-relief"] == Decimal("3000.00")
    assert amounts["fund-deposit-state"] == Decimal("25000.00")
    assert amounts["sponsorship-vatsalya"] is None


def test_package_for_an_adolescent_adds_skill_training(places, cast, bihar_templates):
    case = restored_case(places, cast, category=Category.ADOLESCENT, age_at_rescue=15)
    package = services.package_create_for_case(case=case, actor=cast.district)
    assert codes(package) == EVERY_CHILD | {"skill-training"}


def test_package_for_a_bonded_child_adds_bonded_labour_assistance(places, cast, bihar_templates):
    case = restored_case(places, cast, bonded=True)
    package = services.package_create_for_case(case=case, actor=cast.district)
    assert codes(package) == EVERY_CHILD | {"bonded-immediate", "bonded-rehabilitation"}


def test_package_for_a_trafficked_child_adds_victim_compensation(places, cast, bihar_templates):
    case = restored_case(places, cast, trafficked=True)
    package = services.package_create_for_case(case=case, actor=cast.district)
    assert codes(package) == EVERY_CHILD | {"victim-compensation"}


def test_every_condition_of_a_template_must_hold(places, cast):
    girls = f.make_component_template(code="girls", applies_to=["girl"])
    adolescent_girls = f.make_component_template(code="adolescent-girls", applies_to=["adolescent", "girl"])
    f.make_component_template(code="retired", applies_to=["all"], is_active=False)
    f.make_component_template(code="expired", applies_to=["all"], effective_to=date(2000, 1, 1))
    girl = restored_case(places, cast, child_fields={"sex": "f"})
    boy = restored_case(places, cast)
    assert queries.templates_for_case(girl) == [girls]
    assert queries.templates_for_case(boy) == []
    older_girl = restored_case(places, cast, child_fields={"sex": "f"}, category=Category.ADOLESCENT)
    assert set(queries.templates_for_case(older_girl)) == {girls, adolescent_girls}


def test_a_template_not_yet_in_force_on_the_rescue_date_does_not_apply(places, cast, bihar_templates):
    case = restored_case(places, cast, bonded=True, rescued_on=date(2021, 6, 1))
    assert "bonded-immediate" not in {t.code for t in queries.templates_for_case(case)}


def test_package_creation_is_idempotent_and_picks_up_new_templates(places, cast, bihar_templates):
    case = restored_case(places, cast)
    first = services.package_create_for_case(case=case, actor=cast.district)
    again = services.package_create_for_case(case=case, actor=cast.district)
    assert first.pk == again.pk and again.components.count() == len(EVERY_CHILD)
    f.make_component_template(code="new-state-scheme", amount=Decimal("500.00"))
    services.package_create_for_case(case=case, actor=cast.district)
    assert Package.objects.filter(case=case).count() == 1
    assert codes(Package.objects.get(case=case)) == EVERY_CHILD | {"new-state-scheme"}
    assert Package.objects.get(case=case).planned_total == Decimal("28500.00")


def test_due_dates_follow_the_rescue_or_the_restoration(places, cast):
    f.make_component_template(code="at-rescue", due_event="rescue", due_days=15)
    f.make_component_template(code="after-restoration", due_event="restoration", due_days=30)
    f.make_component_template(code="no-rule", due_event="restoration", due_days=None)
    case = restored_case(places, cast, days_ago=40)
    package = services.package_create_for_case(case=case, actor=cast.district)
    due = dict(package.components.values_list("template__code", "due_on"))
    restored_on = timezone.localdate(case.restored_at)
    assert due == {
        "at-rescue": case.rescued_on + timedelta(days=15),
        "after-restoration": restored_on + timedelta(days=30),
        "no-rule": None,
    }
    package.refresh_from_db()
    assert package.first_open_due_on == case.rescued_on + timedelta(days=15)


def test_a_package_before_restoration_gets_restoration_dates_when_the_child_is_restored(places, cast):
    f.make_component_template(code="after-restoration", due_event="restoration", due_days=30)
    case = f.make_case(district=places.gaya, home_block=places.bodh_gaya, status=Status.IN_SHELTER)
    package = services.package_create_for_case(case=case, actor=cast.district)
    assert package.components.get().due_on is None
    restored_on = timezone.localdate()
    services.case_restored(case=case, actor=cast.district, restored_on=restored_on)
    assert package.components.get().due_on == restored_on + timedelta(days=30)
    assert Visit.objects.filter(case=case).count() == VisitScheduleStep.objects.count()


def test_no_package_for_a_closed_case(places, cast, bihar_templates):
    case = restored_case(places, cast, status=Status.CLOSED)
    with pytest.raises(ValidationError):
        services.package_create_for_case(case=case, actor=cast.district)
    assert not Package.objects.exists()


def test_starting_rehabilitation_moves_a_restored_case_and_schedules_visits(places, cast, bihar_templates):
    case = restored_case(places, cast)
    services.rehabilitation_start(case=case, actor=cast.district)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION
    assert Visit.objects.filter(case=case).count() == 12
    assert case.events.filter(to_status=Status.REHABILITATION, actor=cast.district).exists()


# The component workflow and money ----------------------------------------------------------------------------------


def _component(case, cast, amount="25000.00", **fields):
    package = f.make_package(case, components=[{"planned_amount": Decimal(amount), **fields}])
    return package.components.get()


def test_the_workflow_from_planned_to_verified(places, cast, case):
    component = _component(case, cast)
    today = timezone.localdate()
    sanction(component, cast.district, "25000.00", order_number="LRD/2026/17")
    disburse(
        component,
        cast.district,
        "25000.00",
        mode=DisbursementMode.FIXED_DEPOSIT,
        reference="FD 00123",
        fd_maturity_on=today + timedelta(days=365 * 6),
    )
    services.component_verify(component=component, verified_on=today, note="Passbook seen at home.", actor=cast.block)
    component.refresh_from_db()
    assert component.status == ComponentStatus.VERIFIED
    assert component.sanctioned_by == cast.district and component.verified_by == cast.block
    package = component.package
    package.refresh_from_db()
    assert (package.sanctioned_total, package.disbursed_total, package.open_components) == (
        Decimal("25000.00"),
        Decimal("25000.00"),
        0,
    )


def test_proofs_are_stored_under_a_random_name_never_the_uploaded_one(places, cast, case):
    component = _component(case, cast)
    sanction(component, cast.district, "1.00", order_number="LRD/1", proof=proof("Test Child 1 sanction.pdf"))
    component.refresh_from_db()
    stored = component.sanction_proof.name
    assert stored.startswith("rehabilitation/proofs/") and stored.endswith(".pdf")
    assert "Test" not in stored and "Child" not in stored and " " not in stored


def _sanctioned(case, cast, amount="3000.00"):
    component = _component(case, cast, amount=amount)
    sanction(component, cast.district, amount, order_number="LRD/2026/18")
    return Component.objects.get(pk=component.pk)


def test_an_over_disbursement_is_refused_and_changes_nothing(places, cast, case):
    component = _sanctioned(case, cast, amount="3000.00")
    before = Component.objects.filter(pk=component.pk).values().get()
    package_before = Package.objects.filter(pk=component.package_id).values().get()
    with pytest.raises(ValidationError, match="more than"):
        disburse(component, cast.district, "3000.01")
    assert Component.objects.filter(pk=component.pk).values().get() == before
    assert Package.objects.filter(pk=component.package_id).values().get() == package_before


def test_the_database_refuses_an_over_disbursement_even_without_the_service(places, cast, case):
    from django.db import IntegrityError, transaction

    component = _sanctioned(case, cast, amount="100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Component.objects.filter(pk=component.pk).update(disbursed_amount=Decimal("100.01"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": DisbursementMode.FIXED_DEPOSIT}, "maturity"),
        ({"amount": None}, "amount disbursed"),
        ({"disbursed_on": timezone.localdate() + timedelta(days=1)}, "future"),
        ({"proof": None}, "Attach"),
    ],
)
def test_a_disbursement_needs_its_details(places, cast, case, changes, message):
    component = _sanctioned(case, cast)
    values = {
        "disbursed_on": timezone.localdate(),
        "amount": Decimal("3000.00"),
        "mode": DisbursementMode.BANK_CHILD,
        "proof": proof(),
    } | changes
    with pytest.raises(ValidationError, match=message):
        services.component_disburse(component=component, actor=cast.district, **values)
    assert Component.objects.get(pk=component.pk).status == ComponentStatus.SANCTIONED


def test_help_in_kind_is_disbursed_without_an_amount(places, cast, case):
    component = _component(case, cast, amount="0", kind="health")
    sanction(component, cast.district, None, order_number="CS/7")
    with pytest.raises(ValidationError):
        disburse(component, cast.district, "10.00", mode=DisbursementMode.IN_KIND)
    disburse(component, cast.district, None, mode=DisbursementMode.IN_KIND)
    assert Component.objects.get(pk=component.pk).status == ComponentStatus.DISBURSED


def test_a_waiver_needs_a_reason_and_leaves_the_totals(places, cast, case):
    package = f.make_package(
        case, components=[{"planned_amount": Decimal("3000.00")}, {"planned_amount": Decimal("25000.00")}]
    )
    first = package.components.order_by("pk").first()
    with pytest.raises(ValidationError):
        services.component_waive(component=first, reason="  ", actor=cast.district)
    services.component_waive(component=first, reason="Paid by the rescuing state.", actor=cast.district)
    package.refresh_from_db()
    assert package.planned_total == Decimal("25000.00")
    assert package.open_components == 1


def test_an_officer_can_add_a_component_with_a_reason(places, cast, case):
    package = f.make_package(case)
    with pytest.raises(ValidationError):
        services.component_add(
            package=package,
            name_en="Bicycle",
            kind="other",
            planned_amount=None,
            due_on=None,
            reason="",
            actor=cast.district,
        )
    services.component_add(
        package=package,
        name_en="Bicycle for school",
        kind="education",
        planned_amount=Decimal("3500.50"),
        due_on=None,
        reason="School is 6 km away.",
        actor=cast.district,
    )
    package.refresh_from_db()
    assert package.planned_total == Decimal("3500.50")


def test_amounts_add_up_exactly(places, cast, case):
    """Amounts that floats get wrong (0.10 + 0.20, thirds) add up to the paisa, in the package and the figures."""
    amounts = ["0.10", "0.20", "33.33", "33.33", "33.34", "25000.00", "3000.00"]
    package = f.make_package(case, components=[{"planned_amount": Decimal(a)} for a in amounts])
    assert package.planned_total == Decimal("28100.30")
    assert queries.package_summary(list(package.components.all())).planned == Decimal("28100.30")
    today = timezone.localdate()
    for component, amount in zip(package.components.order_by("pk"), amounts, strict=True):
        sanction(component, cast.district, amount, order_number="O/1", sanctioned_on=today)
    for component in package.components.order_by("pk")[:3]:
        disburse(component, cast.district, component.sanctioned_amount, mode=DisbursementMode.BANK_CHILD)
    package.refresh_from_db()
    assert package.sanctioned_total == Decimal("28100.30")
    assert package.disbursed_total == Decimal("33.63")
    services.figures_refresh()
    (row,) = queries.figures_by_district_month(districts=[places.gaya.pk])
    assert row["sanctioned_amount"] == Decimal("28100.30")
    assert row["disbursed_amount"] == Decimal("33.63")
    assert isinstance(row["sanctioned_amount"], Decimal)


# Figures -----------------------------------------------------------------------------------------------------------


def test_figures_by_district_and_month(places, cast):
    gaya_case = restored_case(places, cast)
    patna_case = f.make_case(district=places.patna)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=10)
    f.make_package(
        gaya_case,
        components=[
            {
                "planned_amount": Decimal("3000.00"),
                "status": "sanctioned",
                "sanctioned_on": last_month,
                "sanctioned_amount": Decimal("3000.00"),
                "due_on": last_month,
            },
            {
                "planned_amount": Decimal("25000.00"),
                "status": "disbursed",
                "sanctioned_on": last_month,
                "sanctioned_amount": Decimal("25000.00"),
                "disbursed_on": timezone.localdate(),
                "disbursed_amount": Decimal("24000.00"),
                "disbursement_mode": "bank_child",
            },
            {"planned_amount": Decimal("99.00"), "status": "waived", "waived_reason": "x", "due_on": last_month},
        ],
    )
    f.make_package(patna_case, components=[{"planned_amount": Decimal("7.00"), "due_on": last_month}])
    assert services.figures_refresh() == 3
    rows = {(r["district_id"], r["month"]): r for r in queries.figures_by_district_month()}
    gaya_last = rows[(places.gaya.pk, last_month.replace(day=1))]
    assert (gaya_last["sanctioned_count"], gaya_last["sanctioned_amount"]) == (2, Decimal("28000.00"))
    assert (gaya_last["overdue_count"], gaya_last["overdue_amount"]) == (1, Decimal("3000.00"))
    gaya_now = rows[(places.gaya.pk, timezone.localdate().replace(day=1))]
    assert (gaya_now["disbursed_count"], gaya_now["disbursed_amount"]) == (1, Decimal("24000.00"))
    patna = rows[(places.patna.pk, last_month.replace(day=1))]
    assert (patna["overdue_count"], patna["overdue_amount"]) == (1, Decimal("7.00"))
    # The summary table says what a live computation says, and refreshing twice changes nothing.
    live = {(r["district_id"], r["month"]): r["overdue_amount"] for r in queries.figures_live()}
    assert live == {key: row["overdue_amount"] for key, row in rows.items()}
    services.figures_refresh()
    assert len(queries.figures_by_district_month()) == 3
    totals = {row["district_id"]: row for row in queries.totals_by_district()}
    assert totals[places.gaya.pk]["sanctioned_amount"] == Decimal("28000.00")


# Education ---------------------------------------------------------------------------------------------------------


def test_a_new_enrolment_ends_the_current_one(places, cast, case):
    start = case.rescued_on + timedelta(days=1)
    services.enrolment_record(
        case=case, kind="bridge", institution_name="Test bridge centre", enrolled_on=start, actor=cast.block
    )
    services.enrolment_record(
        case=case,
        kind="school",
        institution_name="Test middle school",
        udise_code="10" * 5 + "1",
        class_name="6",
        enrolled_on=start + timedelta(days=5),
        residential=True,
        actor=cast.block,
    )
    education = queries.education_for_case(case, rule=RehabilitationRule.current())
    assert education.current.institution_name == "Test middle school"
    assert education.history[1].ended_on == start + timedelta(days=5)
    assert education.satisfied


def test_a_school_needs_its_udise_code_and_a_child_cannot_be_placed_in_work(places, cast, case):
    with pytest.raises(ValidationError, match="UDISE"):
        services.enrolment_record(
            case=case, kind="school", institution_name="X", enrolled_on=timezone.localdate(), actor=cast.block
        )
    with pytest.raises(ValidationError, match="under 14"):
        services.enrolment_record(
            case=case, kind="work", institution_name="X", enrolled_on=timezone.localdate(), actor=cast.block
        )


def test_a_child_of_school_age_not_enrolled_by_the_due_date_is_overdue(places, cast, case):
    f.make_package(case, components=[{"kind": "education", "due_on": timezone.localdate() - timedelta(days=1)}])
    rule = RehabilitationRule.current()
    assert queries.education_for_case(case, rule=rule).overdue
    services.enrolment_record(
        case=case, kind="bridge", institution_name="Test centre", enrolled_on=timezone.localdate(), actor=cast.block
    )
    assert not queries.education_for_case(case, rule=rule).overdue


# Visits ------------------------------------------------------------------------------------------------------------


def test_the_schedule_is_data_and_goes_to_the_home_blocks_least_busy_field_worker(places, cast, case):
    busy = cast.field
    free = f.make_user("field", username="field-free", block=places.bodh_gaya)
    f.make_user("field", username="field-elsewhere", block=places.sherghati)
    f.make_visit(restored_case(places, cast), assigned_to=busy)
    f.make_visit(restored_case(places, cast), assigned_to=cast.field_other)  # the cast's other field worker: busy too
    restored_on = date(2026, 1, 31)
    visits = services.visit_schedule_create(case=case, restored_on=restored_on, actor=cast.district)
    assert [v.due_on for v in visits][:3] == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert visits[-1].due_on == date(2028, 1, 31)
    assert len(visits) == 12 and {v.assigned_to for v in visits} == {free}
    # Idempotent, and the steps are data.
    assert services.visit_schedule_create(case=case, restored_on=restored_on, actor=cast.district) == []
    VisitScheduleStep.objects.create(months_after_restoration=30)
    assert len(services.visit_schedule_create(case=case, restored_on=restored_on, actor=cast.district)) == 1


def test_visits_are_reassigned_only_to_a_field_worker_of_the_home_district(places, cast, case):
    services.visit_schedule_create(case=case, restored_on=timezone.localdate(), actor=cast.district)
    patna_worker = f.make_user("field", username="field-patna", block=places.phulwari)
    with pytest.raises(ValidationError):
        services.visits_reassign(case=case, assignee=patna_worker, actor=cast.district)
    sherghati_worker = f.make_user("field", username="field-sherghati", block=places.sherghati)
    assert services.visits_reassign(case=case, assignee=sherghati_worker, actor=cast.district) == 12
    assert set(Visit.objects.filter(case=case).values_list("assigned_to", flat=True)) == {sherghati_worker.pk}


def _record(visit, actor, visited_on=None, **answers):
    return services.visit_record(
        visit=visit, visited_on=visited_on or timezone.localdate(), actor=actor, **(f.SAFE_VISIT | answers)
    )


def test_a_visit_finding_the_child_working_again_raises_the_case(places, cast, case):
    visit = f.make_visit(case, assigned_to=cast.field)
    visit = _record(visit, cast.field, working_again=True, work_place="Brick kiln near the block office")
    assert visit.risk_level == RiskLevel.HIGH
    assert "working_again" in visit.risk_reasons
    assert visit.needs_decision and visit.awaits_decision and visit.safe is False
    with pytest.raises(ValidationError, match="already recorded"):
        _record(visit, cast.field)


def test_a_visit_not_finding_the_child_raises_the_case(places, cast, case):
    visit = _record(f.make_visit(case, assigned_to=cast.field), cast.field, found="not_found", family_migrated=True)
    assert visit.needs_decision and visit.living_with_family is None and visit.health == ""


def test_working_again_needs_the_place(places, cast, case):
    with pytest.raises(ValidationError):
        _record(f.make_visit(case, assigned_to=cast.field), cast.field, working_again=True)
    assert not Visit.objects.filter(visited_on__isnull=False).exists()


def test_decision_continue_keeps_the_schedule(places, cast, case):
    services.visit_schedule_create(case=case, restored_on=timezone.localdate(), actor=cast.district)
    first = Visit.objects.get(case=case, sequence=1)
    _record(first, cast.field, found="not_found")
    services.visit_decide(visit=first, decision=Decision.CONTINUE, reason="Family at a wedding.", actor=cast.district)
    case.refresh_from_db()
    # The visits have started: the case is under rehabilitation (rehabilitation.progress), and stays there.
    assert case.status == Status.REHABILITATION
    assert Visit.objects.filter(case=case, visited_on__isnull=True).count() == 11
    assert not Visit.objects.filter(case=case).awaiting_decision().exists()


def test_decision_retrafficked_moves_the_case_through_the_workflow(places, cast, case):
    services.visit_schedule_create(case=case, restored_on=timezone.localdate(), actor=cast.district)
    first = Visit.objects.get(case=case, sequence=1)
    _record(first, cast.field, working_again=True, work_place="Hotel in Delhi")
    with pytest.raises(ValidationError):
        services.visit_decide(visit=first, decision=Decision.RETRAFFICKED, reason="", actor=cast.district)
    services.visit_decide(visit=first, decision=Decision.RETRAFFICKED, reason="Taken by an agent.", actor=cast.district)
    case.refresh_from_db()
    assert case.status == Status.RETRAFFICKED
    assert case.events.filter(to_status=Status.RETRAFFICKED, actor=cast.district).exists()
    assert list(Visit.objects.filter(case=case).values_list("sequence", flat=True)) == [1]


# Closure -----------------------------------------------------------------------------------------------------------


def test_closure_is_refused_with_what_is_missing_then_allowed_once_done(places, cast, bihar_templates):
    case = restored_case(places, cast, days_ago=400)
    package = services.rehabilitation_start(case=case, actor=cast.district)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION

    missing = services.case_closure_check(case=case)
    assert len([m for m in missing if "disbursed, or waived" in m]) == len(EVERY_CHILD)
    assert "The child is not enrolled in a school or a bridge course." in missing
    assert "Only 0 of the 3 safe visits needed have been recorded." in missing
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, actor=cast.district)
    assert set(refused.value.messages) == set(missing)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION

    today = timezone.localdate()
    for component in package.components.all():
        if component.planned_amount is None:
            services.component_waive(component=component, reason="Not granted in this district.", actor=cast.district)
            continue
        sanction(component, cast.district, component.planned_amount, order_number="LRD/9", sanctioned_on=today)
        disburse(component, cast.district, component.planned_amount, disbursed_on=today)
    case.refresh_from_db()
    assert case.status == Status.FOLLOW_UP  # nothing of the package is left open
    services.enrolment_record(
        case=case,
        kind="school",
        institution_name="Test primary school",
        udise_code="1" * 11,
        enrolled_on=today - timedelta(days=300),
        actor=cast.block,
    )
    visits = list(Visit.objects.filter(case=case).order_by("sequence")[:4])
    _record(visits[0], cast.field, visited_on=today - timedelta(days=300), working_again=True, work_place="Dhaba")
    services.visit_decide(
        visit=visits[0], decision=Decision.CONTINUE, reason="Stopped the same day.", actor=cast.district
    )
    _record(visits[1], cast.field, visited_on=today - timedelta(days=200))
    _record(visits[2], cast.field, visited_on=today - timedelta(days=100))
    unsafe_day = (today - timedelta(days=300)).strftime("%d-%m-%Y")
    assert services.case_closure_check(case=case) == [
        f"Not all of the last 3 visits found the child safe (visit of {unsafe_day})."
    ]
    _record(visits[3], cast.field, visited_on=today - timedelta(days=10))
    assert services.case_closure_check(case=case) == []
    services.case_close(case=case, actor=cast.district, reason="Rehabilitated.")
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_n_safe_visits_is_data(places, cast, case):
    rule = RehabilitationRule.current()
    rule.safe_visits_for_closure = 1
    rule.save()
    _record(f.make_visit(case, assigned_to=cast.field), cast.field)
    assert not [m for m in services.case_closure_check(case=case) if "visits" in m]


def test_an_empty_schedule_table_means_the_default_schedule():
    VisitScheduleStep.objects.all().delete()
    assert VisitScheduleStep.schedule() == [1, 2, 3, 4, 5, 6, 9, 12, 15, 18, 21, 24]
    VisitScheduleStep.objects.create(months_after_restoration=3)
    assert VisitScheduleStep.schedule() == [3]
