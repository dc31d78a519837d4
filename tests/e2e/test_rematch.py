"""A block officer of Bodh Gaya registers a child rescued again. Two years ago the child was registered as "Sunu
Kumar", son of Ramesh Paswan of Bishunpur; today the officer types the name in Devanagari, with the surname first
and spelt otherwise ("कुमार सोनू"), and the father and village in Devanagari too. Among a registry of thousands of
synthetic children in which many are called Sonu Kumar (tests/synthetic), the earlier record is offered first, as a
strong match, with its evidence in words; a Sonu Kumar of another family in the same block is not offered as strong.
The officer chooses the earlier record and the new case is linked to it. Set CLTS_SCREENSHOTS=1 to keep
screenshots at 360 and 1366 px in test-results/."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from rescue.models import Case, Status
from tests import factories as f
from tests.matching import synthetic_world
from tests.synthetic.evaluation import EvaluationConfig, make_evaluation
from tests.synthetic.registry import generate_registry

SHOTS = Path(__file__).parents[2] / "test-results"
# The registry behind the page, and the labelled re-registrations and new children its thresholds are chosen on.
LABELLED = EvaluationConfig("e2e", seed=41, children=3000, reregistrations=150, new_children=120)

pytestmark = pytest.mark.django_db(transaction=True)


def _shoot(page, name: str) -> None:
    if os.environ.get("CLTS_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _choose_block(page, district_select: str, block_select: str, district: str, block: str) -> None:
    page.select_option(district_select, label=district)
    page.locator(f"{block_select} option", has_text=block).wait_for(state="attached")
    page.select_option(block_select, label=block)


@pytest.fixture
def registry_with_the_child(cast, places):
    """Thousands of synthetic children of Bihar, the child's earlier record, and a namesake of another family."""
    f.make_home_state()
    registry = generate_registry(LABELLED.children, seed=LABELLED.seed)
    world = synthetic_world.build(registry.records, seed=LABELLED.seed)
    two_years_ago = timezone.localdate() - timedelta(days=730)
    earlier = f.make_case_at(
        Status.FOLLOW_UP,
        cast,
        places,
        child=f.make_child(
            name="Sunu Kumar",
            father_name="Ramesh Paswan",
            mother_name="Sunita Devi",
            home_district=places.gaya,
            home_block=places.bodh_gaya,
            home_village_text="Bishunpur",
            age_years=11,
        ),
        age_at_rescue=11,
        rescued_on=two_years_ago,
    )
    namesake = f.make_case_at(
        Status.CLOSED,
        cast,
        places,
        child=f.make_child(
            name="Sonu Kumar",
            father_name="Bhola Yadav",
            mother_name="Rinku Devi",
            home_district=places.gaya,
            home_block=places.bodh_gaya,
            home_village_text="Rampur",
            age_years=12,
        ),
        age_at_rescue=12,
        rescued_on=two_years_ago - timedelta(days=90),
    )
    # As a deployment is set up: the model trained on the registry, its thresholds chosen on a labelled set.
    synthetic_world.train_and_calibrate(world, make_evaluation(registry, LABELLED).cases)
    return earlier, namesake


def _type_the_child(page) -> None:
    page.fill("#id_children-0-name", "कुमार सोनू")
    page.select_option("#id_children-0-sex", "m")
    page.fill("#id_children-0-age_years", "13")
    page.select_option("#id_children-0-age_assessment", "declared")
    page.fill("#id_children-0-father_name", "रमेश पासवान")
    _choose_block(page, "#id_children-0-home_district", "#id_children-0-home_block", "Gaya", "Bodh Gaya")
    page.fill("#id_children-0-home_village_text", "बिशुनपुर")
    page.locator("#id_children-0-home_village_text").blur()


def _register_rescue(page) -> None:
    page.goto("/cases/register/")
    page.fill("#id_rescue-rescued_at", _local(timezone.now() - timedelta(hours=3)))
    # The block officer's own district and block are filled in already.
    assert page.locator("#id_rescue-block option:checked").inner_text() == "Bodh Gaya"
    page.select_option("#id_rescue-industry", "hotel_dhaba")
    page.select_option("#id_rescue-led_by", "labour")
    page.select_option("#id_rescue-cwc", label="CWC Gaya")


def test_the_earlier_record_in_another_spelling_and_script_is_offered_first(
    browser, live_server, cast, sign_in, registry_with_the_child
):
    earlier, namesake = registry_with_the_child
    for width in (360, 1366):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in(page, cast.block)
        _register_rescue(page)
        _type_the_child(page)
        candidates = page.locator("#children-0-matches label.candidate")
        # The list is fetched again as each particular is typed: wait for the answer that has the village too (an
        # earlier answer, from before the village was typed, may still be on the page).
        candidates.first.locator(".text-muted", has_text=re.compile("village", re.IGNORECASE)).wait_for()
        page.locator("#children-0-matches").scroll_into_view_if_needed()
        _shoot(page, "rematch-candidates")

        first = candidates.first
        first_text = first.inner_text()
        assert "Sunu Kumar" in first_text and earlier.case_number in first_text
        assert "Strong match" in first_text
        # The evidence in words: what agrees (the father, the village), not a bare score.
        evidence = first.locator(".text-muted").inner_text()
        assert re.search(r"father|parent", evidence, re.IGNORECASE) and "village" in evidence.lower(), evidence
        # The namesake of another family (another father, another village) is not offered as strong.
        other = page.locator("#children-0-matches label.candidate", has_text="Bhola Yadav")
        if other.count():
            assert "Strong match" not in other.inner_text()
        assert page.locator("#children-0-matches .badge", has_text="Strong match").count() == 1
        assert _fits(page)

        if width == 1366:
            # The officer says it is the same child: the new case is linked to the earlier one.
            first.locator("input").check()
            page.get_by_role("button", name="Register the rescue").click()
            page.wait_for_url("**/cases/rescues/*/")
            new_case = Case.objects.exclude(pk__in=[earlier.pk, namesake.pk]).latest("id")
            assert new_case.child_id == earlier.child_id and new_case.previous_case == earlier
            _shoot(page, "rematch-registered")
        context.close()
