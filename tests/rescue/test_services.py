"""The case workflow, registration, transfers and re-rescue links, through rescue.services."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from clts.accounts import access
from rescue import services
from rescue.models import (
    Case,
    CaseEvent,
    CaseNumberCounter,
    Category,
    Child,
    Interstate,
    RescueOperation,
    Status,
    Transfer,
    TransferKind,
    TransferStage,
)
from tests import factories as f
from tests.access_matrix import OUTSIDERS, ROLES
from tests.rescue.conftest import child_data, rescue_data
from trackchild_sync.services import cwc_order_record

pytestmark = pytest.mark.django_db

S = Status
MOVES = [(origin, to) for origin, targets in services.TRANSITIONS.items() for to in targets]


def _details(to: str, cast, case: Case) -> dict:
    if to == S.PRODUCED:
        return {"at": case.rescue.rescued_at + timedelta(hours=3)}
    return {"cci": cast.cci_institution} if to == S.IN_SHELTER else {}


@pytest.mark.parametrize(("origin", "to"), MOVES, ids=[f"{a}->{b}" for a, b in MOVES])
def test_every_allowed_move_is_made_by_exactly_the_roles_the_table_names(origin, to, cast, places):
    action = services.TRANSITIONS[origin][to]
    outbound = {"interstate": Interstate.OUTBOUND} if to == S.TRANSFERRED_OUT else {}
    for role in ROLES:
        user = getattr(cast, role)
        case = f.make_case_at(origin, cast, places, **outbound)
        # The role's action, and the case in the user's area (another district's officer may not move it).
        in_scope = access.is_writable(user, case)
        allowed = (user.is_superuser or user.role in access.ACTIONS[action]) and in_scope
        if role in OUTSIDERS:
            assert not in_scope, role
        if allowed:
            moved = services.case_transition(
                case=case, to=to, actor=user, reason="Test reason", **_details(to, cast, case)
            )
            assert moved.status == to, role
            event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.TRANSITION)
            assert (event.from_status, event.to_status, event.actor, event.reason) == (origin, to, user, "Test reason")
        else:
            with pytest.raises(PermissionDenied):
                services.case_transition(case=case, to=to, actor=user, reason="Test reason", **_details(to, cast, case))
            case.refresh_from_db()
            assert case.status == origin, role
            assert not case.events.exists()


REFUSED = [
    (S.RESCUED, S.RESTORED),
    (S.RESCUED, S.CLOSED),
    (S.RESCUED, S.IN_SHELTER),
    (S.PRODUCED, S.FOLLOW_UP),
    (S.IN_SHELTER, S.REHABILITATION),
    (S.RESTORED, S.CLOSED),
    (S.REHABILITATION, S.CLOSED),
    (S.CLOSED, S.RESCUED),
    (S.RETRAFFICKED, S.FOLLOW_UP),
    (S.TRANSFERRED_OUT, S.RESTORED),
    (S.LOST_CONTACT, S.CLOSED),
]


@pytest.mark.parametrize(("origin", "to"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
@pytest.mark.parametrize("role", ["admin", "district", "cwc"])
def test_moves_outside_the_table_are_refused_with_a_message_for_every_role(origin, to, role, cast, places):
    case = f.make_case_at(origin, cast, places)
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, to=to, actor=getattr(cast, role), reason="Test", **_details(to, cast, case))
    assert "cannot be moved" in str(refused.value)
    case.refresh_from_db()
    assert case.status == origin
    assert not case.events.exists()


def test_only_a_child_of_another_state_is_transferred_out_of_the_state(cast, places):
    case = f.make_case_at(S.IN_SHELTER, cast, places)
    with pytest.raises(ValidationError, match="another state"):
        services.case_transition(case=case, to=S.TRANSFERRED_OUT, actor=cast.district, reason="Test")


def test_production_more_than_24_hours_after_rescue_needs_a_reason_and_is_marked_late(cast, places):
    case = f.make_case_at(S.RESCUED, cast, places)
    late = case.rescue.rescued_at + timedelta(hours=30)
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, to=S.PRODUCED, actor=cast.cwc, reason="", at=late)
    assert "late_reason" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == S.RESCUED and case.produced_at is None

    moved = services.case_transition(
        case=case, to=S.PRODUCED, actor=cast.cwc, reason="", at=late, late_reason="The CWC did not sit on Sunday."
    )
    assert moved.production_late and moved.late_reason == "The CWC did not sit on Sunday."
    assert moved.cwc == cast.cwc_institution


def test_production_within_24_hours_is_not_late(cast, places):
    case = f.make_case_at(S.RESCUED, cast, places)
    moved = services.case_transition(
        case=case, to=S.PRODUCED, actor=cast.cwc, reason="", at=case.rescue.rescued_at + timedelta(hours=23)
    )
    assert not moved.production_late


def test_a_transition_cannot_be_dated_in_the_future_or_before_the_rescue(cast, places):
    case = f.make_case_at(S.RESCUED, cast, places)
    for at in (timezone.now() + timedelta(days=1), case.rescue.rescued_at - timedelta(hours=1)):
        with pytest.raises(ValidationError):
            services.case_transition(case=case, to=S.PRODUCED, actor=cast.cwc, reason="", at=at)


def test_restoration_records_the_date_and_the_child_leaves_the_cci(cast, places):
    case = f.make_case_at(S.IN_SHELTER, cast, places)
    moved = services.case_transition(case=case, to=S.RESTORED, actor=cast.cwc, reason="Family traced")
    assert moved.status == S.RESTORED and moved.restored_at is not None and moved.cci is None
    assert case.status == S.RESTORED  # the caller's instance follows


# --- Registration -----------------------------------------------------------------------------------------------


def test_registration_numbers_each_childs_case_by_district_and_year(cast, places, home):
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places, cwc=cast.cwc_institution),
        children_data=[
            child_data(places),
            child_data(places, name="Test Child Beta", age_years=15, father_name="Test Father Beta"),
        ],
    )
    year = timezone.localdate(rescue.rescued_at).year
    cases = list(rescue.cases.order_by("id"))
    assert [c.case_number for c in cases] == [f"BR-GAY-{year}-000001", f"BR-GAY-{year}-000002"]
    assert [c.category for c in cases] == [Category.CHILD, Category.ADOLESCENT]
    assert all(c.status == S.RESCUED and c.cwc == cast.cwc_institution for c in cases)
    assert CaseNumberCounter.objects.get(district=places.gaya, year=year).last == 2
    assert all(c.events.filter(kind=CaseEvent.Kind.REGISTERED).exists() for c in cases)
    assert rescue.created_by == cast.block and cases[0].responsible_officer == cast.block


def test_a_case_number_already_taken_is_skipped(cast, places, home):
    year = timezone.localdate().year
    f.make_case(district=places.gaya, case_number=f"BR-GAY-{year}-000001")
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places, rescued_at=timezone.now() - timedelta(minutes=5)),
        children_data=[child_data(places)],
    )
    assert rescue.cases.get().case_number == f"BR-GAY-{year}-000002"


def test_a_child_of_another_state_rescued_here_is_tracked_until_handed_over(cast, places, home):
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places),
        children_data=[child_data(places, home_state=places.rajasthan, home_district=None, home_block=None)],
    )
    case = rescue.cases.get()
    assert case.interstate == Interstate.OUTBOUND and case.home_district is None
    assert case.case_number.startswith("BR-GAY-")
    transfer = case.transfers.get()
    assert transfer.kind == TransferKind.HANDOVER and transfer.to_state == places.rajasthan and transfer.is_pending

    for step, details in [
        (TransferStage.ESCORT, {"escort_name": "Test Escort"}),
        (TransferStage.TRAVEL, {"travel_mode": "Train"}),
    ]:
        services.transfer_record_step(transfer=transfer, actor=cast.district, step=step, **details)
    with pytest.raises(ValidationError):
        services.transfer_record_step(transfer=transfer, actor=cast.district, step=TransferStage.HANDED_OVER)
    services.transfer_record_step(
        transfer=transfer, actor=cast.district, step=TransferStage.HANDED_OVER, handed_over_to="CWC Jaipur"
    )
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert not transfer.is_pending and transfer.handed_over_to == "CWC Jaipur"
    assert case.status == S.TRANSFERRED_OUT


def test_a_home_state_child_rescued_elsewhere_is_registered_by_the_home_district_and_repatriated(cast, places, home):
    rescue = services.rescue_register(
        actor=cast.district,
        rescue_data=rescue_data(
            places,
            state=places.rajasthan,
            district=None,
            block=None,
            district_text="Jaipur",
            rescuing_authority="AHTU Jaipur",
            rescuing_cwc="CWC Jaipur",
            produced_at=timezone.now() - timedelta(hours=2),
        ),
        children_data=[child_data(places)],
    )
    case = rescue.cases.get()
    assert case.interstate == Interstate.INBOUND and case.district is None and case.home_district == places.gaya
    assert case.case_number.startswith("BR-GAY-")
    assert case.status == S.PRODUCED and case.cwc is None  # produced before the rescuing state's CWC
    transfer = case.transfers.get()
    assert transfer.kind == TransferKind.REPATRIATION and transfer.from_state == places.rajasthan
    assert transfer.next_steps == (
        TransferStage.ESCORT,
        TransferStage.TRAVEL,
        TransferStage.ARRIVED,
        TransferStage.HANDED_OVER,
    )
    # A step may be skipped but never repeated; the handover needs the home CWC, which then sees the case.
    services.transfer_record_step(transfer=transfer, actor=cast.district, step=TransferStage.ARRIVED)
    with pytest.raises(ValidationError):
        services.transfer_record_step(transfer=transfer, actor=cast.district, step=TransferStage.ESCORT)
    with pytest.raises(ValidationError):
        services.transfer_record_step(transfer=transfer, actor=cast.district, step=TransferStage.HANDED_OVER)
    services.transfer_record_step(
        transfer=transfer, actor=cast.district, step=TransferStage.HANDED_OVER, home_cwc=cast.cwc_institution
    )
    assert Case.objects.visible_to(cast.cwc).filter(pk=case.pk).exists()
    cwc_order_record(
        case=case,
        actor=cast.cwc,
        kind="restoration",
        ordered_on=timezone.localdate(),
        restored_to="Father",
        restored_place="at home",
    )
    case.refresh_from_db()
    assert case.status == S.RESTORED


def test_outside_the_home_state_the_rescuing_authority_is_required(cast, places, home):
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.district,
            rescue_data=rescue_data(places, state=places.rajasthan, district=None, block=None),
            children_data=[child_data(places)],
        )
    errors = refused.value.message_dict
    assert "rescue.rescuing_authority" in errors and "rescue.district_text" in errors


def test_a_child_whose_home_is_another_district_is_transferred_and_the_home_district_acknowledges(cast, places, home):
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places),
        children_data=[child_data(places, home_district=places.patna, home_block=places.phulwari)],
    )
    case = rescue.cases.get()
    transfer = case.transfers.get()
    assert transfer.kind == TransferKind.DISTRICT and transfer.to_district == places.patna and transfer.is_pending
    # Both districts see the case.
    for officer in (cast.district, cast.outsider):
        assert Case.objects.visible_to(officer).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError, match="receiving district"):
        services.transfer_acknowledge(transfer=transfer, actor=cast.district)
    services.transfer_acknowledge(transfer=transfer, actor=cast.outsider)
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert not transfer.is_pending and transfer.acknowledged_by == cast.outsider
    assert case.responsible_officer == cast.outsider
    with pytest.raises(ValidationError, match="already"):
        services.transfer_acknowledge(transfer=transfer, actor=cast.outsider)


def test_a_case_is_transferred_to_the_district_found_to_be_home(cast, places, home):
    case = f.make_case_at(S.IN_SHELTER, cast, places)
    transfer = services.case_transfer_to_district(
        case=case, actor=cast.district, to_district=places.patna, reason="Family traced in Patna"
    )
    case.refresh_from_db()
    assert case.home_district == places.patna and transfer.is_pending
    with pytest.raises(ValidationError, match="already waiting"):
        services.case_transfer_to_district(case=case, actor=cast.district, to_district=places.gaya, reason="x")


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"age_years": 18}, "children.0.age_years"),
        ({"age_years": None}, "children.0.age_years"),
        ({"age_years": None, "date_of_birth": timezone.localdate() - timedelta(days=365 * 19)}, "children.0.age_years"),
        ({"date_of_birth": timezone.localdate() + timedelta(days=3)}, "children.0.date_of_birth"),
        ({"name": " "}, "children.0.name"),
        ({"home_district": None}, "children.0.home_district"),
        ({"aadhaar": "1234"}, "children.0.aadhaar"),
    ],
)
def test_registration_refuses_bad_child_data_and_writes_nothing(overrides, key, cast, places, home):
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.block, rescue_data=rescue_data(places), children_data=[child_data(places, **overrides)]
        )
    assert key in refused.value.message_dict
    assert not (RescueOperation.objects.exists() or Child.objects.exists() or Case.objects.exists())


def test_registration_refuses_a_future_rescue_and_late_production_without_reason(cast, places, home):
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.block,
            rescue_data=rescue_data(places, rescued_at=timezone.now() + timedelta(hours=2)),
            children_data=[child_data(places)],
        )
    assert "rescue.rescued_at" in refused.value.message_dict
    rescued_at = timezone.now() - timedelta(days=3)
    late = {"rescued_at": rescued_at, "cwc": cast.cwc_institution, "produced_at": rescued_at + timedelta(hours=26)}
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.block, rescue_data=rescue_data(places, **late), children_data=[child_data(places)]
        )
    assert "rescue.late_reason" in refused.value.message_dict
    assert not Case.objects.exists()
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places, **late, late_reason="No vehicle until the next day."),
        children_data=[child_data(places)],
    )
    case = rescue.cases.get()
    assert case.status == S.PRODUCED and case.production_late and case.late_reason == "No vehicle until the next day."


def test_age_and_category_come_from_the_date_of_birth_at_the_rescue(cast, places, home):
    rescued_at = timezone.now() - timedelta(days=1)
    born = timezone.localdate(rescued_at).replace(year=timezone.localdate(rescued_at).year - 14) + timedelta(days=1)
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places, rescued_at=rescued_at),
        children_data=[child_data(places, age_years=None, date_of_birth=born)],
    )
    case = rescue.cases.get()
    assert case.age_at_rescue == 13 and case.category == Category.CHILD


def test_a_block_officer_cannot_register_a_rescue_outside_the_block(cast, places, home):
    with pytest.raises(ValidationError):
        services.rescue_register(
            actor=cast.block,
            rescue_data=rescue_data(places, district=places.patna, block=places.phulwari),
            children_data=[child_data(places, home_district=places.patna, home_block=places.phulwari)],
        )
    assert not Case.objects.exists() and not RescueOperation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.rescue_register(actor=cast.cwc, rescue_data=rescue_data(places), children_data=[child_data(places)])


def test_aadhaar_is_kept_only_as_last_four_digits_and_a_keyed_hash(cast, places, home):
    number = "9999" * 3
    rescue = services.rescue_register(
        actor=cast.block, rescue_data=rescue_data(places), children_data=[child_data(places, aadhaar=number)]
    )
    child = rescue.cases.get().child
    assert child.aadhaar_last4 == "9999" and len(child.aadhaar_hash) == 64 and number not in child.aadhaar_hash
    assert number not in str(Child.objects.filter(pk=child.pk).values().get())


# --- Rescued again ----------------------------------------------------------------------------------------------


def _earlier_restored_case(cast, places) -> Case:
    child = f.make_child(
        name="Mohd Rafiq Test",
        father_name="Test Father Karim",
        home_district=places.gaya,
        home_village_text="Test Village",
        age_years=11,
    )
    return f.make_case_at(S.FOLLOW_UP, cast, places, child=child, age_at_rescue=11)


def test_a_restored_child_rescued_again_and_linked_marks_the_earlier_case_retrafficked(cast, places, home):
    earlier = _earlier_restored_case(cast, places)
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places),
        children_data=[
            child_data(
                places,
                name="Mohammad Rafiq Test",
                father_name="Test Father Karim",
                age_years=11,
                link_child=earlier.child,
            )
        ],
    )
    case = rescue.cases.get()
    earlier.refresh_from_db()
    assert case.child == earlier.child and case.previous_case == earlier
    assert earlier.status == S.RETRAFFICKED
    event = earlier.events.get(to_status=S.RETRAFFICKED)
    assert case.case_number in event.reason_text  # kept as the msgid and values, shown translated
    assert case.events.filter(kind=CaseEvent.Kind.LINKED).exists()


def test_a_likely_earlier_record_must_be_linked_or_the_child_confirmed_as_new(cast, places, home):
    _earlier_restored_case(cast, places)
    new_child = child_data(places, name="Mohammad Rafiq Test", father_name="Test Father Karim", age_years=11)
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(actor=cast.block, rescue_data=rescue_data(places), children_data=[new_child])
    assert "children.0.match" in refused.value.message_dict
    rescue = services.rescue_register(
        actor=cast.block, rescue_data=rescue_data(places), children_data=[new_child | {"confirmed_new": True}]
    )
    assert rescue.cases.get().previous_case is None
    assert Child.objects.count() == 2


def test_linking_to_a_record_that_does_not_match_is_refused(cast, places, home):
    stranger = f.make_child(name="Test Unrelated Person", home_district=places.patna)
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.block, rescue_data=rescue_data(places), children_data=[child_data(places, link_child=stranger)]
        )
    assert "children.0.match" in refused.value.message_dict


def test_a_child_rescued_again_before_restoration_is_linked_but_not_counted_retrafficked(cast, places, home):
    earlier = _earlier_restored_case(cast, places)
    Case.objects.filter(pk=earlier.pk).update(status=S.IN_SHELTER, restored_at=None)
    rescue = services.rescue_register(
        actor=cast.block,
        rescue_data=rescue_data(places),
        children_data=[child_data(places, name="Mohd Rafiq Test", age_years=11, link_child=earlier.child)],
    )
    earlier.refresh_from_db()
    assert rescue.cases.get().previous_case == earlier and earlier.status == S.IN_SHELTER
    assert earlier.events.filter(kind=CaseEvent.Kind.LINKED).exists()


def test_transfer_steps_need_the_transfer_role(cast, places, home):
    case = f.make_case_at(S.IN_SHELTER, cast, places, interstate=Interstate.OUTBOUND, home_district=None)
    transfer = f.make_transfer(case, kind=TransferKind.HANDOVER, to_state=places.rajasthan, to_district=None)
    with pytest.raises(PermissionDenied):
        services.transfer_record_step(transfer=transfer, actor=cast.cwc, step=TransferStage.ESCORT, escort_name="X")
    assert Transfer.objects.get(pk=transfer.pk).stage == TransferStage.INITIATED


def test_a_photo_is_stored_under_a_random_name_never_the_uploaded_one(cast, places, home, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(png, format="PNG")
    photo = SimpleUploadedFile("test-child-alpha.jpg", png.getvalue(), content_type="image/jpeg")
    rescue = services.rescue_register(
        actor=cast.block, rescue_data=rescue_data(places), children_data=[child_data(places, photo=photo)]
    )
    stored = rescue.cases.get().child.photo.name
    # Named by its content (a PNG, whatever the name said), never by the uploaded name.
    assert stored.startswith("children/") and stored.endswith(".png") and "alpha" not in stored


def test_a_photo_that_is_not_an_image_is_refused_beside_its_field_and_nothing_is_written(cast, places, home):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = SimpleUploadedFile("test-photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.block, rescue_data=rescue_data(places), children_data=[child_data(places, photo=page)]
        )
    assert "JPEG or PNG" in refused.value.message_dict["children.0.photo"][0]
    assert not Case.objects.exists() and not RescueOperation.objects.exists()


def test_a_case_crosses_the_border_by_where_it_was_rescued_and_where_the_child_is_from(places):
    """The one rule typed and bulk registration both number and route a case by."""
    from rescue.choices import Interstate
    from rescue.services.registration import interstate_of

    home = f.make_home_state()
    other = places.rajasthan.pk
    assert interstate_of(home=home, rescued_in=other, child_from=home.pk) == Interstate.INBOUND
    assert interstate_of(home=home, rescued_in=home.pk, child_from=other) == Interstate.OUTBOUND
    assert interstate_of(home=home, rescued_in=home.pk, child_from=home.pk) == Interstate.NONE
