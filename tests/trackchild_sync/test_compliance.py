"""Upload compliance: last entry, held against entered in TrackChild, late entries and the rank in the district."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.accounts.roles import Role
from tests import factories as f
from trackchild_sync import compliance, services, tasks
from trackchild_sync.compliance import upload_compliance
from trackchild_sync.models import Pushed, Residence

pytestmark = pytest.mark.django_db


def test_each_home_and_station_is_counted_and_ranked_in_its_district(login, cast, places):
    today = timezone.localdate()
    prompt = f.make_residence(cast.cci_institution, admitted_on=today, ordered_on=today)
    Pushed.objects.create(kind="residents", target_id=prompt.pk, version=prompt.updated_at)
    late = f.make_residence(cast.cci_institution, admitted_on=today - timedelta(days=30))
    Residence.objects.filter(pk=late.pk).update(recorded_at=timezone.now())
    station = f.make_institution(kind="police", name="Test Police Station Gaya", district=places.gaya)
    police = f.make_user(Role.POLICE, institution=station)
    services.missing_report(
        actor=police,
        fir_kind="gd",
        fir_number="5/2026",
        reported_on=today,
        last_seen_on=today,
        last_seen_place="Test market",
        sex="f",
    )
    silent = f.make_institution(kind="cci", name="Test Open Shelter Gaya", district=places.gaya)
    rows = {row["name"]: row for row in upload_compliance(user=cast.district)}
    home = rows["Children's Home Gaya"]
    assert (home["held"], home["entered"], home["late"]) == (2, 1, 1)
    assert rows["Test Police Station Gaya"]["held"] == 1 and rows["Test Police Station Gaya"]["rank"] == 1
    # Nothing entered: last in the district (after the stations of the cast that entered nothing either, by name).
    assert rows[silent.name]["last_entry"] is None and rows[silent.name]["rank"] == len(rows)
    assert "Children's Home Patna" not in rows  # another district's home
    page = login(cast.district).get(reverse("trackchild:upload-compliance"))
    assert "Test Police Station Gaya" in page.text and "nothing entered" in page.text
    whole = login(cast.state).get(reverse("trackchild:upload-compliance"))
    assert "compliance-districts" in whole.text and "never entered anything" in whole.text
    state = login(cast.state).get(reverse("trackchild:upload-compliance"), {"district": places.patna.pk})
    assert "Children&#x27;s Home Patna" in state.text and "Gaya" not in state.text.split("compliance-rows")[1]


def test_the_states_summary_by_district_counts_what_the_rows_count(cast, places):
    from trackchild_sync.compliance import by_district, district_summary

    today = timezone.localdate()
    held = f.make_residence(cast.cci_institution, admitted_on=today - timedelta(days=20))
    Pushed.objects.create(kind="residents", target_id=held.pk, version=held.updated_at)
    f.make_residence(cast.cci_institution, admitted_on=today)
    f.make_residence(f.make_institution(kind="cci", name="Test Home Patna", district=places.patna), admitted_on=today)
    services.missing_report(
        actor=cast.police,
        fir_kind="fir",
        fir_number="7/2026",
        reported_on=today,
        last_seen_on=today,
        last_seen_place="Test market",
        sex="m",
    )
    counted = district_summary(user=cast.state)  # no refresh yet today: counted from the records
    assert counted == by_district(upload_compliance(user=cast.state))
    assert compliance.figures_refresh() == 3  # the two homes and the station
    summary = district_summary(user=cast.state)  # from the kept figures
    assert summary == counted
    gaya = next(line for line in summary if line["district_id"] == places.gaya.pk)
    assert (gaya["held"], gaya["entered"], gaya["late"]) == (3, 1, 1)
    # A district's officer has no state summary; the page gives them their district's rows.
    assert district_summary(user=cast.district) == [line for line in summary if line["district_id"] == places.gaya.pk]


def test_the_state_page_sums_the_kept_figures_and_says_when_they_were_counted(login, cast, places):
    """The state's page reads the figures of the last refresh: an entry made since shows at the next refresh (every
    ten minutes), while the district's own page counts it at once; figures counted on an earlier day are not used."""
    today = timezone.localdate()
    f.make_residence(cast.cci_institution, admitted_on=today)
    assert tasks.compliance_refresh.apply().get() == 1
    f.make_residence(cast.cci_institution, admitted_on=today)  # after the refresh
    gaya = next(line for line in compliance.district_summary(user=cast.state) if line["district_id"] == places.gaya.pk)
    assert gaya["held"] == 1
    rows = {row["name"]: row for row in upload_compliance(user=cast.district)}
    assert rows["Children's Home Gaya"]["held"] == 2
    page = login(cast.state).get(reverse("trackchild:upload-compliance"))
    assert "Figures as of" in page.text and "every ten minutes" in page.text
    # Tomorrow, before the day's first refresh, the figures of today are not used: counted from the records.
    tomorrow = today + timedelta(days=1)
    assert compliance.figures_refreshed_at(as_of=tomorrow) is None
    later = compliance.district_summary(user=cast.state, as_of=tomorrow)
    assert next(line for line in later if line["district_id"] == places.gaya.pk)["held"] == 2
    compliance.figures_refresh()
    gaya = next(line for line in compliance.district_summary(user=cast.state) if line["district_id"] == places.gaya.pk)
    assert gaya["held"] == 2
