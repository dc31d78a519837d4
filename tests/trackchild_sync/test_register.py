"""The CCI register: admissions under a CWC order, the refusals a home's staff meet, leaving, and who sees whom."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rescue.models import Status
from tests import factories as f
from trackchild_sync import queries, services
from trackchild_sync.models import RegisterEvent, Residence

pytestmark = pytest.mark.django_db


def _admission(cast, **overrides) -> dict:
    today = timezone.localdate()
    return {
        "actor": cast.cci,
        "institution": cast.cci_institution,
        "cwc": cast.cwc_institution,
        "ordered_on": today,
        "admitted_on": today,
        "order_number": "CWC/GAYA/12",
        "name": "Test Found Boy",
        "sex": "m",
        "age_years": 11,
    } | overrides


def test_cci_staff_see_only_their_own_homes_residents(login, cast, places):
    ours = f.make_residence(cast.cci_institution)
    patna_home = cast.cci_other.institution
    theirs = f.make_residence(patna_home)
    client = login(cast.cci)
    assert client.get(reverse("trackchild:resident-detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("trackchild:resident-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("trackchild:home-register", args=[patna_home.pk])).status_code == 404
    page = client.get(reverse("trackchild:home-register", args=[cast.cci_institution.pk]))
    assert ours.name in page.text and theirs.name not in page.text
    leave = {"movement": "leave", "on": "2026-01-01"}
    moved = client.post(reverse("trackchild:resident-move", args=[theirs.pk]), leave)
    assert moved.status_code == 404 and Residence.objects.get(pk=theirs.pk).on_leave_since is None


def test_a_full_home_refuses_an_admission_and_says_so(login, cast):
    home = cast.cci_institution
    home.capacity = 2
    home.save()
    f.make_residence(home)
    f.make_residence(home)
    response = login(cast.cci).post(
        reverse("trackchild:resident-admit", args=[home.pk]),
        {
            "cwc": cast.cwc_institution.pk,
            "ordered_on": timezone.localdate().isoformat(),
            "admitted_on": timezone.localdate().isoformat(),
            "name": "Test Found Boy",
            "sex": "m",
            "age_years": "11",
        },
    )
    assert response.status_code == 200
    assert "is full: it holds 2 children for 2 places" in response.text
    assert 'value="Test Found Boy"' in response.text  # what was typed is kept
    assert Residence.objects.filter(institution=home).count() == 2


def test_a_home_refuses_a_child_it_does_not_take_unless_the_cwc_made_an_exception(cast):
    home = cast.cci_institution
    home.sexes_taken, home.min_age, home.max_age = "m", 6, 12
    home.save()
    with pytest.raises(ValidationError) as refused:
        services.residence_admit(**_admission(cast, sex="f", name="Test Found Girl"))
    assert "takes Boys only" in str(refused.value) and "exception" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.residence_admit(**_admission(cast, age_years=15))
    assert "takes children up to 12 years" in str(refused.value)
    assert not Residence.objects.exists()
    admitted = services.residence_admit(
        **_admission(cast, sex="f", name="Test Found Girl", exception_order="CWC/GAYA/13: with her brother")
    )
    assert admitted.exception_order.startswith("CWC/GAYA/13")


def test_a_child_is_not_admitted_twice_at_once(cast, places):
    case = f.make_case_at(Status.IN_SHELTER, cast, places)
    services.residence_admit(**_admission(cast, case=case))
    with pytest.raises(ValidationError) as refused:
        services.residence_admit(**_admission(cast, case=case))
    assert "already in Children's Home Gaya" in str(refused.value)
    assert Residence.objects.filter(case=case).count() == 1


def test_no_admission_without_a_cwc_order(cast):
    with pytest.raises(ValidationError) as refused:
        services.residence_admit(**_admission(cast, ordered_on=None))
    assert "no child is admitted without one" in str(refused.value)


def test_the_cwc_placement_order_admits_and_the_restoration_discharges(login, cast, places):
    case = f.make_case_at(Status.PRODUCED, cast, places)
    today = timezone.localdate()
    services.cwc_order_record(
        case=case, actor=cast.cwc, kind="cci_placement", ordered_on=today, cci=cast.cci_institution
    )
    stay = Residence.objects.get(case=case)
    assert stay.is_open and stay.institution == cast.cci_institution and stay.name == case.child.name
    page = login(cast.district).get(reverse("rescue:case-detail", args=[case.case_number]))
    assert "In Children&#x27;s Home Gaya since" in page.text
    case.refresh_from_db()
    services.cwc_order_record(
        case=case, actor=cast.cwc, kind="restoration", ordered_on=today, restored_to="Mother", restored_place="Home"
    )
    stay.refresh_from_db()
    assert stay.left_on == today and stay.leaving_reason == "restoration"
    page = login(cast.district).get(reverse("rescue:case-detail", args=[case.case_number]))
    assert "Not in any Child Care Institution" in page.text


def test_leave_return_transfer_and_occupancy_by_day(cast, places):
    today = timezone.localdate()
    home = cast.cci_institution
    other = f.make_institution(kind="cci", name="Open Shelter Gaya", district=places.gaya, capacity=5)
    stay = f.make_residence(home, admitted_on=today - timedelta(days=5), ordered_on=today - timedelta(days=5))
    services.residence_leave(actor=cast.cci, residence=stay, on=today - timedelta(days=3), notes="home visit")
    services.residence_return(actor=cast.cci, residence=stay, on=today - timedelta(days=2))
    moved = services.residence_transfer(
        actor=cast.cci, residence=stay, to=other, on=today - timedelta(days=1), ordered_on=today - timedelta(days=1)
    )
    stay.refresh_from_db()
    assert stay.leaving_reason == "transfer" and moved.transferred_from == stay and moved.institution == other
    kinds = list(RegisterEvent.objects.filter(residence=stay).values_list("kind", flat=True))
    assert kinds == ["leave", "return", "discharged"]  # the factory writes no admission line
    days = queries.occupancy_by_day(home=home, first=today - timedelta(days=6), last=today)
    assert [row["held"] for row in days] == [0, 1, 1, 1, 1, 0, 0]
    assert [row["held"] for row in queries.occupancy_by_day(home=other, first=today, last=today)] == [1]


def test_the_cwc_member_sees_the_homes_of_the_district_and_the_cci_staff_their_own(login, cast):
    page = login(cast.cwc).get(reverse("trackchild:home-list"))
    assert "Children&#x27;s Home Gaya" in page.text and "Patna" not in page.text
    assert login(cast.cci).get(reverse("trackchild:home-list")).status_code == 302


def test_the_description_fields_are_the_shared_description_but_the_photo_and_the_trackchild_id():
    """One list serves the register's transfers and the extract's layout: it must follow the abstract model."""
    from trackchild_sync.models.description import DESCRIPTION_FIELDS, ChildDescription

    own = [field.name for field in ChildDescription._meta.get_fields() if field.name not in ("photo", "trackchild_id")]
    assert list(DESCRIPTION_FIELDS) == own
