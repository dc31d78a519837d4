"""A district officer signs in, switches to Hindi, and sees the portal (My work, the first page) in Hindi."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_officer_switches_to_hindi(page, cast, sign_in):
    sign_in(page, cast.district)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Home", exact=True).is_visible()

    page.click("#language-switch button[value=hi]")
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.get_by_role("link", name="मुख्य पृष्ठ", exact=True).is_visible()
    assert "मेरा काम" in page.inner_text("main")  # My work: the first page after sign-in
    cast.district.refresh_from_db()
    assert cast.district.language == "hi"

    # Remembered on the account: a new browser session signs in straight to Hindi.
    page.context.clear_cookies()
    sign_in(page, cast.district)
    assert page.locator("html").get_attribute("lang") == "hi"
