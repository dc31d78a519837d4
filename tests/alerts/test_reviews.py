"""Link requests and match reviews as deadlines: on the work list of whoever decides them, in their jurisdiction only,
each linked to the page where it is decided, resolved once decided. No source fixes their times: shipped inactive."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.alerts import queries, services
from clts.alerts.models import Alert, AlertStatus, Level, Resolution
from rescue.models import DuplicatePair
from rescue.services.duplicates import duplicate_reject
from rescue.services.links import link_request_reject
from tests import factories as f
from tests.alerts.conftest import set_time
from trackchild_sync.models import MatchPair
from trackchild_sync.services.missing import pair_reject

pytestmark = pytest.mark.django_db

REVIEW_RULES = ("link-request-decision", "duplicate-review", "missing-match-review")


def _items(client, code):
    """The items of one rule on the signed-in user's My work (the cases made here raise other deadlines too)."""
    return [item for item in client.get(reverse("alerts:my-work")).context["items"] if item.rule.code == code]


def _long_ago(days=5):
    return timezone.now() - timedelta(days=days)


def _earlier_and_new(cast, places):
    """An earlier case of Gaya, and a new case registered in Patna that may be the same child."""
    earlier = f.make_case(district=places.gaya, block=places.bodh_gaya, home_district=places.gaya)
    new = f.make_case(district=places.patna, home_district=places.patna)
    return earlier, new


def _pair(cast, places):
    station = f.make_institution(kind="police", name="Test Police Station Gaya", district=places.gaya)
    missing = f.make_missing_report(station=station, recorded_by=cast.admin, district=places.patna)
    found = f.make_found_child(placed_in=cast.cci_institution, recorded_by=cast.cci, district=places.gaya)
    pair = MatchPair.objects.create(
        missing=missing, found=found, district=places.gaya, probability=0.9, strength="strong"
    )
    MatchPair.objects.filter(pk=pair.pk).update(raised_at=_long_ago())
    return pair


def test_review_rules_ship_without_a_time_and_raise_nothing_until_it_is_set(rules, cast, places):
    for code in REVIEW_RULES:
        assert rules[code].due_after is None and not rules[code].is_active
        assert rules[code].source.startswith("Not set")
    earlier, new = _earlier_and_new(cast, places)
    f.make_link_request(new, earlier, filed_by=cast.outsider, filed_at=_long_ago())
    services.scan_run()
    assert not Alert.objects.filter(rule__code__in=REVIEW_RULES).exists()


def test_a_link_request_waits_on_the_earlier_district_and_leaves_once_decided(rules, cast, places, login):
    rule = set_time(rules["link-request-decision"], 2)
    earlier, new = _earlier_and_new(cast, places)
    request = f.make_link_request(new, earlier, filed_by=cast.outsider, filed_at=_long_ago())
    services.scan_run()
    alert = Alert.objects.get(rule=rule)
    # The earlier case is the alert's case (the one the deciding officer may see), never the requester's.
    assert (alert.object_id, alert.case, alert.district) == (request.pk, earlier, places.gaya)
    assert alert.level == Level.DISTRICT and alert.due_at == request.filed_at + timedelta(days=2)
    items = _items(login(cast.district), "link-request-decision")
    assert [(i.case_number, i.link) for i in items] == [
        (earlier.case_number, reverse("rescue:link-request-detail", args=[request.pk]))
    ]
    # The requesting district (Patna) and the block officer do not have it.
    assert _items(login(cast.outsider), "link-request-decision") == []
    assert alert not in queries.work_list(cast.block)
    link_request_reject(request=request, actor=cast.district, note="Test: a different child.")
    assert _items(login(cast.district), "link-request-decision") == []
    services.scan_run()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == Resolution.DONE


def test_a_possible_duplicate_waits_on_the_earlier_district(rules, cast, places, login):
    rule = set_time(rules["duplicate-review"], 3)
    earlier, new = _earlier_and_new(cast, places)
    pair = DuplicatePair.objects.create(
        child=new.child, case=new, earlier_child=earlier.child, earlier_case=earlier, probability=0.99,
        found_at=_long_ago(),
    )  # fmt: skip
    services.scan_run()
    alert = Alert.objects.get(rule=rule)
    assert (alert.object_id, alert.case, alert.district) == (pair.pk, earlier, places.gaya)
    items = _items(login(cast.district), "duplicate-review")
    assert [i.link for i in items] == [reverse("rescue:duplicate-detail", args=[pair.pk])]
    assert items[0].overdue and items[0].days == 2
    assert _items(login(cast.outsider), "duplicate-review") == []
    duplicate_reject(pair=pair, actor=cast.district, note="Test: two children.")
    services.scan_run()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == Resolution.DONE


def test_a_possible_match_for_a_missing_child_waits_on_the_dcpu_where_the_child_is(rules, cast, places, login):
    rule = set_time(rules["missing-match-review"], 1)
    pair = _pair(cast, places)
    # The cast holds a DCPU in Gaya, where the child is, and one in Patna.
    dcpu_gaya, dcpu_patna = cast.dcpu, cast.dcpu_other
    services.scan_run()
    alert = Alert.objects.get(rule=rule)
    assert (alert.object_id, alert.case, alert.institution, alert.district) == (pair.pk, None, None, places.gaya)
    assert alert.level == Level.OWN
    items = login(dcpu_gaya).get(reverse("alerts:my-work")).context["items"]
    assert [(i.case_number, i.link) for i in items] == [("", reverse("trackchild:pair-detail", args=[pair.pk]))]
    # Not the DCPU of the district where the report was filed (it follows the pair from its own pages), nor the
    # district officers (the review is the DCPU's and the CWC's), nor the CCI holding the child.
    assert login(dcpu_patna).get(reverse("alerts:my-work")).context["items"] == []
    for user in (cast.district, cast.outsider, cast.cci, cast.block):
        assert alert not in queries.work_list(user)
    pair_reject(actor=dcpu_gaya, pair=pair, reason="Test: a different child.")
    assert login(dcpu_gaya).get(reverse("alerts:my-work")).context["items"] == []
    services.scan_run()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == Resolution.DONE


def test_an_institutions_deadline_does_not_fall_to_the_block_for_want_of_an_assignee(rules, cast, places):
    """Only a field worker's deadline with nobody assigned starts with the block officer."""
    rule = set_time(rules["missing-match-review"], 1)
    _pair(cast, places)
    services.scan_run()
    alert = Alert.objects.get(rule=rule)
    assert alert.start_level == alert.level == Level.OWN
