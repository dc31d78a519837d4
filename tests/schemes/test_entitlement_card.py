"""The entitlement card: one page, English and Hindi, Noto Sans Devanagari embedded, named by the case number;
and the PDF url_fetcher that serves only our static files and the Noto fonts."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clts.audit.models import AccessLog
from clts.core import pdf
from schemes import services
from schemes.models import LinkageStatus
from tests import factories as f


@pytest.fixture
def card_case(places, cast, catalogue):
    case = f.make_case(district=places.gaya)
    household = f.make_household(case, income_band="below_5000", address="Test Tola", block=places.bodh_gaya)
    mother = f.make_member(household, name="Test Mother", age_years=34, marital_status="widowed", is_guardian=True)
    services.document_record(household=household, member=mother, kind="aadhaar", number="9999" * 3, actor=cast.district)
    f.make_linkage(
        case,
        catalogue["laxmibai_pension"],
        member=mother,
        status=LinkageStatus.APPLIED,
        applied_on=timezone.localdate(),
        application_number="RTPS-55",
    )
    f.make_linkage(case, catalogue["pm_jay"], status=LinkageStatus.RECEIVED, received_on=timezone.localdate())
    return case


def _run(tool: str, path: Path) -> str:
    return subprocess.run([tool, str(path)], check=True, capture_output=True, text=True).stdout


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_card_is_one_page_with_noto_devanagari_embedded(client, cast, card_case, lang, tmp_path):
    client.force_login(cast.district)
    response = client.get(reverse("schemes:entitlement-card", args=[card_case.case_number]), {"lang": lang})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert card_case.case_number in disposition and card_case.child.name not in disposition
    assert "Test" not in disposition.replace(card_case.case_number, "")
    path = tmp_path / "card.pdf"
    path.write_bytes(response.content)

    fonts = _run("pdffonts", path)
    devanagari = [line for line in fonts.splitlines() if "Noto-Sans-Devanagari" in line or "NotoSansDevanagari" in line]
    assert devanagari, fonts
    assert all(re.search(r"\byes\s+yes\b", line) for line in devanagari), "embedded (subset)"
    assert re.search(r"^Pages:\s+1$", _run("pdfinfo", path), re.MULTILINE), "one page"

    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert card_case.case_number in text
    assert "XXXX9999" in text and "9999" * 3 not in text
    if lang == "hi":
        assert "लक्ष्मीबाई" in text  # the scheme's Hindi name
    else:
        assert "Laxmibai Social Security Pension" in text and "RTPS-55" in text
    entry = AccessLog.objects.get(action="print")
    assert entry.label == card_case.case_number and entry.object_id == str(card_case.pk)


@pytest.mark.django_db
def test_the_card_is_404_outside_jurisdiction_and_403_for_nodal(client, cast, card_case):
    url = reverse("schemes:entitlement-card", args=[card_case.case_number])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.nodal)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file:///usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
        "file://remote-host/static/css/clts.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files_and_the_noto_fonts(url):
    with pytest.raises(ValueError, match="refused"):
        pdf.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_refuses_a_path_that_climbs_out_of_static():
    escape = Path(settings.STATICFILES_DIRS[0]) / ".." / "manage.py"
    with pytest.raises(ValueError, match="refused"):
        pdf.StaticOnlyFetcher().fetch(escape.as_uri() if escape.is_absolute() else "file://" + str(escape))


def test_the_fetcher_serves_our_static_files_and_the_noto_fonts():
    css = Path(settings.STATICFILES_DIRS[0]) / "css" / "clts.css"
    response = pdf.StaticOnlyFetcher().fetch(css.as_uri())
    assert response.read().startswith(b"/*")
    font = pdf.FONT_DIR / "NotoSansDevanagari-Regular.ttf"
    assert pdf.StaticOnlyFetcher().fetch(font.as_uri()).content_type == "font/ttf"


def test_an_image_from_outside_is_left_out_of_the_pdf(settings, tmp_path):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "probe.html").write_text(
        '<p>Probe</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:1/a.png">'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
    content = pdf.render_pdf(template="probe.html", context={})
    assert content.startswith(b"%PDF") and b"/Subtype /Image" not in content
