"""The linkage workflow, households and documents: what a district officer and a nodal officer rely on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clts.accounts.models import User
from clts.core.identifiers import identifier_hash
from schemes import queries, services
from schemes.models import Document, Household, HouseholdMember, Linkage, LinkageEvent, LinkageStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(places, cast):
    """A widowed mother of 34 in Gaya, not BPL, income below Rs 5,000: eligible for the Laxmibai pension."""
    case = f.make_case(district=places.gaya)
    household = f.make_household(case, income_band="below_5000", block=places.bodh_gaya)
    mother = f.make_member(household, relation="mother", age_years=34, marital_status="widowed", is_guardian=True)
    return case, household, mother


def test_identify_records_who_and_when_and_refuses_the_ineligible(catalogue, family, cast):
    case, household, mother = family
    linkage = services.linkage_identify(
        case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district
    )
    assert linkage.status == LinkageStatus.IDENTIFIED
    assert linkage.district == household.district and linkage.block == household.block
    event = linkage.events.get()
    assert (event.actor, event.from_status, event.to_status) == (cast.district, "", LinkageStatus.IDENTIFIED)

    with pytest.raises(ValidationError, match="already being followed"):
        services.linkage_identify(case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district)
    # A widow of 34 is not eligible for the national widow pension (40 to 79, BPL).
    with pytest.raises(ValidationError, match="rule of this scheme is not met"):
        services.linkage_identify(case=case, scheme=catalogue["ignwps"], member=mother, actor=cast.district)


def _through_to_applied(linkage, cast, *, applied_on=None):
    services.linkage_documents_complete(
        linkage=linkage, actor=cast.district, now_held=queries.linkage_missing_documents(linkage)
    )
    return services.linkage_apply(
        linkage=linkage,
        applied_on=applied_on or timezone.localdate(),
        application_number="RTPS/2026/1",
        office="",
        actor=cast.district,
    )


def _nodal(linkage):
    """The nodal officer of the scheme's own department (another department's may not decide its linkages)."""
    department = linkage.scheme.department
    return User.objects.filter(username="nodal-pension").first() or f.make_user(
        "nodal", username="nodal-pension", department=department
    )


def test_the_full_path_to_receipt_records_every_step(catalogue, family, cast):
    case, household, mother = family
    linkage = services.linkage_identify(
        case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district
    )
    with pytest.raises(ValidationError, match="Still missing"):
        services.linkage_documents_complete(linkage=linkage, actor=cast.district, now_held=["aadhaar"])
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.IDENTIFIED
    assert not Document.objects.filter(household=household).exists(), "a refused step writes nothing"

    linkage = _through_to_applied(linkage, cast)
    assert linkage.applied_office == catalogue["laxmibai_pension"].office_en
    # The mother's own papers are on her; the family's (income, residence) on the guardian, who is her.
    assert set(mother.documents.values_list("kind", flat=True)) == {
        "aadhaar",
        "bank_account",
        "income_certificate",
        "residence_certificate",
    }
    today = timezone.localdate()
    linkage = services.linkage_sanction(
        linkage=linkage, sanctioned_on=today, order="SDO/12", amount=Decimal("400.00"), actor=_nodal(linkage)
    )
    # Seen at a visit; recorded by the block officer (field workers do not keep linkages).
    linkage = services.linkage_receive(
        linkage=linkage, received_on=today, verification="visit", note="Pension in passbook", actor=cast.block
    )
    assert linkage.status == LinkageStatus.RECEIVED
    steps = list(linkage.events.values_list("to_status", "actor__username"))
    assert steps == [
        ("identified", "district"),
        ("documents_complete", "district"),
        ("applied", "district"),
        ("sanctioned", "nodal-pension"),
        ("received", "block"),
    ]


def test_steps_out_of_order_and_impossible_dates_are_refused(catalogue, family, cast):
    case, household, mother = family
    linkage = services.linkage_identify(
        case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="cannot move"):
        services.linkage_sanction(linkage=linkage, sanctioned_on=today, order="X", amount=None, actor=_nodal(linkage))
    services.linkage_documents_complete(
        linkage=linkage, actor=cast.district, now_held=queries.linkage_missing_documents(linkage)
    )
    with pytest.raises(ValidationError) as error:
        services.linkage_apply(
            linkage=linkage,
            applied_on=today + timedelta(days=1),
            application_number="1",
            office="",
            actor=cast.district,
        )
    assert "applied_on" in error.value.error_dict
    linkage = services.linkage_apply(
        linkage=linkage, applied_on=today, application_number="1", office="", actor=cast.district
    )
    with pytest.raises(ValidationError):
        services.linkage_sanction(
            linkage=linkage, sanctioned_on=today - timedelta(days=1), order="X", amount=None, actor=_nodal(linkage)
        )
    assert Linkage.objects.get(pk=linkage.pk).status == LinkageStatus.APPLIED


def test_a_rejected_linkage_keeps_its_history_and_can_be_applied_for_again(catalogue, family, cast):
    case, household, mother = family
    linkage = services.linkage_identify(
        case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district
    )
    linkage = _through_to_applied(linkage, cast)
    with pytest.raises(ValidationError, match="Describe"):
        services.linkage_reject(
            linkage=linkage, rejected_on=timezone.localdate(), reason="other", text=" ", actor=_nodal(linkage)
        )
    linkage = services.linkage_reject(
        linkage=linkage,
        rejected_on=timezone.localdate(),
        reason="documents",
        text="Income certificate expired",
        actor=_nodal(linkage),
    )
    assert linkage.status == LinkageStatus.REJECTED

    linkage = services.linkage_reapply(linkage=linkage, actor=cast.district, note="New income certificate")
    assert (linkage.status, linkage.attempt) == (LinkageStatus.IDENTIFIED, 2)
    assert linkage.application_number == "" and linkage.rejection_reason == ""
    linkage = _through_to_applied(linkage, cast)
    assert linkage.status == LinkageStatus.APPLIED

    history = list(LinkageEvent.objects.filter(linkage=linkage).order_by("at", "id"))
    assert [(e.to_status, e.attempt) for e in history] == [
        ("identified", 1),
        ("documents_complete", 1),
        ("applied", 1),
        ("rejected", 1),
        ("identified", 1),
        ("documents_complete", 2),
        ("applied", 2),
    ]
    rejected = history[3]
    assert rejected.data["reason"] == "documents" and rejected.note == "Income certificate expired"
    assert history[4].data["previous"]["application_number"] == "RTPS/2026/1"
    with pytest.raises(ValidationError, match="Only a rejected"):
        services.linkage_reapply(linkage=linkage, actor=cast.district)


def test_overdue_runs_from_the_application_and_only_with_a_stated_service_time(catalogue, places, cast):
    case = f.make_case(district=places.gaya)
    household = f.make_household(case)
    f.make_member(household, relation="father", sex="m", age_years=40)
    job_card = catalogue["mgnrega_job_card"]  # 15 days, as the Act's guidelines state
    assert job_card.service_days == 15
    linkage = services.linkage_identify(case=case, scheme=job_card, actor=cast.district)
    linkage = _through_to_applied(linkage, cast, applied_on=timezone.localdate() - timedelta(days=16))
    assert linkage.due_on == timezone.localdate() - timedelta(days=1)
    assert linkage.is_overdue()
    assert list(Linkage.objects.overdue()) == [linkage]

    ration = services.linkage_identify(case=case, scheme=catalogue["nfsa_ration_card"], actor=cast.district)
    ration = _through_to_applied(ration, cast, applied_on=timezone.localdate() - timedelta(days=400))
    assert ration.due_on is None and not ration.is_overdue(), "no stated service time: never overdue"


def test_identifiers_are_kept_masked_and_hashed(places, cast):
    case = f.make_case(district=places.gaya)
    number = "9999" * 3
    household = services.household_create(
        case=case,
        actor=cast.district,
        fields={"district": places.gaya, "area": "rural"},
        ration_card_number="BR-1234 5678",
        bank_account_number="0011" * 2 + "4455",  # synthetic, built so no 12-digit literal sits in code
    )
    assert (household.ration_card_last4, household.bank_account_last4) == ("5678", "4455")
    assert household.ration_card_hash == identifier_hash("BR12345678")
    member = services.member_save(
        household=household,
        actor=cast.district,
        fields={"name": "Test Mother", "relation": "mother", "sex": "f", "age_years": 30},
        aadhaar_number=number,
    )
    assert member.aadhaar_last4 == "9999" and len(member.aadhaar_hash) == 64
    document = services.document_record(
        household=household, member=member, kind="aadhaar", number=number, actor=cast.district
    )
    assert (document.number, document.number_last4) == ("", "9999")
    for row in (
        Household.objects.filter(pk=household.pk).values(),
        HouseholdMember.objects.filter(pk=member.pk).values(),
    ):
        assert number not in str(list(row))
    with pytest.raises(ValidationError, match="12 digits"):
        services.member_save(household=household, member=member, actor=cast.district, fields={}, aadhaar_number="1234")
    birth = services.document_record(
        household=household, child_id=case.child_id, kind="birth_certificate", number="B/77", actor=cast.district
    )
    assert birth.number == "B/77", "a birth certificate number is not sensitive and is kept as written"


def test_a_child_belongs_to_one_household_and_siblings_join_it(places, cast):
    case = f.make_case(district=places.gaya)
    household = services.household_create(case=case, actor=cast.district, fields={"district": places.gaya})
    with pytest.raises(ValidationError, match="already belongs"):
        services.household_create(case=case, actor=cast.district, fields={"district": places.gaya})
    sister = f.make_case(district=places.gaya)
    services.household_link_child(household=household, case=sister, actor=cast.district)
    assert set(household.children.values_list("child_id", flat=True)) == {case.child_id, sister.child_id}
    with pytest.raises(ValidationError, match="already belongs"):
        services.household_link_child(household=household, case=sister, actor=cast.district)


def test_moving_the_household_moves_its_linkages(catalogue, family, places, cast):
    case, household, mother = family
    linkage = services.linkage_identify(
        case=case, scheme=catalogue["laxmibai_pension"], member=mother, actor=cast.district
    )
    services.household_update(
        household=household, actor=cast.district, fields={"district": places.patna, "block": None}
    )
    linkage.refresh_from_db()
    assert (linkage.district, linkage.block) == (places.patna, None)


def test_coverage_figures_per_scheme_and_district(catalogue, places, cast):
    today = timezone.localdate()
    scheme = catalogue["nfsa_ration_card"]
    for days, outcome in ((10, "received"), (30, "received"), (20, "received"), (5, "rejected"), (0, "identified")):
        case = f.make_case(district=places.gaya)
        f.make_household(case)
        identified = timezone.now() - timedelta(days=days)
        fields = {"status": outcome, "identified_at": identified}
        if outcome != "identified":
            fields["applied_on"] = today
        if outcome == "received":
            fields |= {"sanctioned_on": today, "received_on": today}
        if outcome == "rejected":
            fields |= {"rejected_on": today, "rejection_reason": "other"}
        f.make_linkage(case, scheme, **fields)
    f.make_household(f.make_case(district=places.gaya))  # eligible, not linked
    services.eligibility_summary_refresh()
    (row,) = [r for r in queries.coverage(district_id=places.gaya.pk) if r["scheme_id"] == scheme.pk]
    assert row["eligible"] == 6 and row["unlinked"] == 1
    assert (row["identified"], row["applied"], row["sanctioned"], row["received"], row["rejected"]) == (
        5,
        4,
        3,
        3,
        1,
    ), "applied counts every linkage that reached the application"
    assert row["median_days"] == 20
