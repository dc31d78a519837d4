"""The nightly duplicate pass: one child registered twice is queued for review once; a namesake is not; a pair a
person rejected is never raised again; the district officer confirms (cases linked) or rejects with a reason."""

from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clts.matching import services as matching_services
from clts.matching.models import RejectedPair
from rescue import duplicates
from rescue.models import Case, DuplicatePair
from tests import factories as f

pytestmark = pytest.mark.django_db


def _registered(places, *, district, days_ago, age, **child):
    values = {"home_district": places.gaya, "home_village_text": "Dobhi", "age_years": age} | child
    record = f.make_child(**values)
    rescued_at = timezone.now() - timedelta(days=days_ago)
    case = f.make_case(
        district=district,
        home_district=places.gaya,
        child=record,
        rescue=f.make_rescue(district=district, rescued_at=rescued_at),
        age_at_rescue=age,
        rescued_on=rescued_at.date(),
    )
    return case


@pytest.fixture
def twice(places):
    """Rahul of Dobhi registered in Gaya two years ago, again in Patna now ("Kumar Rahul"); a namesake elsewhere."""
    earlier = _registered(places, district=places.gaya, days_ago=730, age=11, name="Rahul Kumar",
                          father_name="Ramesh Manjhi", mother_name="Sunita Devi")  # fmt: skip
    later = _registered(places, district=places.patna, days_ago=3, age=13, name="Kumar Rahul",
                        father_name="Ramesh Manjhi")  # fmt: skip
    namesake = _registered(places, district=places.gaya, days_ago=400, age=12, name="Rahul Kumar",
                           father_name="Suresh Yadav", home_village_text="Imamganj")  # fmt: skip
    return earlier, later, namesake


def test_one_child_registered_twice_is_queued_once_for_the_district_holding_the_earlier_record(twice, cast):
    earlier, later, _namesake = twice
    result = duplicates.duplicate_pass()
    assert result.ran and result.pairs_scored >= 1 and result.raised == 1
    pair = DuplicatePair.objects.get()
    assert (pair.earlier_child_id, pair.child_id) == (earlier.child_id, later.child_id)
    assert pair.earlier_case == earlier and pair.case == later
    assert list(DuplicatePair.objects.visible_to(cast.district)) == [pair]
    assert not DuplicatePair.objects.visible_to(cast.outsider).exists()
    again = duplicates.duplicate_pass()
    assert again.raised == 0 and DuplicatePair.objects.count() == 1


def test_a_pair_rejected_through_a_link_request_is_not_raised(twice):
    earlier, later, _namesake = twice
    matching_services.pair_reject(
        child_id=later.child_id, other_id=earlier.child_id, source=RejectedPair.Source.LINK_REQUEST
    )
    assert duplicates.duplicate_pass().raised == 0


def test_a_second_pass_waits_for_none_while_one_runs(twice):
    settings_dict = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings_dict["NAME"], user=settings_dict["USER"], host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432, password=settings_dict["PASSWORD"] or None,
    )  # fmt: skip
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [duplicates.LOCK])
        assert not duplicates.duplicate_pass().ran
        with other.cursor() as cursor:
            # Released here, not by closing: the server ends a closed session's backend (and its locks) a moment
            # later, and under load the next pass could still find the lock held.
            cursor.execute("SELECT pg_advisory_unlock(%s)", [duplicates.LOCK])
    finally:
        other.close()
    assert duplicates.duplicate_pass().ran


def test_the_district_officer_compares_and_rejects_with_a_reason_or_confirms(client, twice, cast):
    earlier, later, _namesake = twice
    duplicates.duplicate_pass()
    pair = DuplicatePair.objects.get()
    client.force_login(cast.district)
    assert pair.earlier_case.case_number in client.get(reverse("rescue:duplicate-list")).text
    page = client.get(reverse("rescue:duplicate-detail", args=[pair.pk])).text
    assert "Same parent&#x27;s or guardian&#x27;s name" in page and "Kumar Rahul" in page
    decide = reverse("rescue:duplicate-decide", args=[pair.pk])
    refused = client.post(decide, {"decision": "reject", "note": ""})
    assert refused.status_code == 200 and "two different children" in refused.text
    assert DuplicatePair.objects.get().is_pending
    assert client.post(decide, {"decision": "confirm"}).status_code == 302
    assert Case.objects.get(pk=later.pk).previous_case == earlier
    assert DuplicatePair.objects.get().status == "confirmed"


def test_a_rejected_pair_records_the_reason_and_a_rejected_pair(client, twice, cast):
    duplicates.duplicate_pass()
    pair = DuplicatePair.objects.get()
    client.force_login(cast.district)
    response = client.post(
        reverse("rescue:duplicate-decide", args=[pair.pk]), {"decision": "reject", "note": "Another mother."}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "rejected" and pair.note == "Another mother." and pair.decided_by == cast.district
    assert RejectedPair.objects.filter(
        child_id=min(pair.child_id, pair.earlier_child_id), other_id=max(pair.child_id, pair.earlier_child_id)
    ).exists()


def test_train_match_model_reads_the_registry_and_the_pairs_people_confirmed(twice, cast):
    import io

    from django.core.management import call_command

    from clts.matching.models import ChildMatchKey, MatchModel
    from rescue import services

    duplicates.duplicate_pass()
    services.duplicate_confirm(pair=DuplicatePair.objects.get(), actor=cast.district)
    out = io.StringIO()
    call_command("train_match_model", "--keys", stdout=out)
    assert "3 of 3 records drawn; 1 confirmed pairs" in out.getvalue()
    model = MatchModel.objects.get(active=True)
    assert model.records == 3 and ChildMatchKey.objects.values("child_id").distinct().count() == 3
