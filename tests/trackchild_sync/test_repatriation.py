"""The interstate repatriation file: JSON in the documented layout, and a PDF in English or Hindi with its fonts."""

import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from rescue.models import Interstate, Status
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbound(cast, places):
    case = f.make_case_at(Status.IN_SHELTER, cast, places, interstate=Interstate.OUTBOUND)
    f.make_cwc_order(case, kind="sir_received", cwc=cast.cwc_institution, notes="Test: family traced in Rajasthan")
    f.make_residence(cast.cci_institution, case=case, name=case.child.name)
    return case


def test_the_json_file_carries_the_orders_and_stays(login, cast, outbound):
    response = login(cast.cwc).get(reverse("trackchild:repatriation-file", args=[outbound.case_number, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'repatriation-{outbound.case_number}.json"')
    data = json.loads(response.content)
    assert data["layout"] == "clts-repatriation" and data["case"]["case_number"] == outbound.case_number
    assert [order["kind"] for order in data["orders"]] == ["sir_received"]
    assert data["stays"][0]["cci"] == "Children's Home Gaya"
    assert {section["key"] for section in data["sections"]} >= {"documents", "schemes"}


def test_the_pdf_in_hindi_embeds_the_devanagari_font(login, cast, outbound, tmp_path):
    url = reverse("trackchild:repatriation-file", args=[outbound.case_number, "pdf"])
    response = login(cast.district).get(url, {"lang": "hi"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "file.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines() if " yes " in line]  # emb column
    assert any("Noto-Sans-Devanagari" in line or "NotoSansDevanagari" in line for line in embedded), fonts
    assert any("Noto-Sans-Bold" in line or "NotoSans-Bold" in line for line in embedded), fonts


def test_a_case_of_this_state_has_no_repatriation_file(login, cast, places):
    case = f.make_case_at(Status.IN_SHELTER, cast, places)
    url = reverse("trackchild:repatriation-file", args=[case.case_number, "json"])
    assert login(cast.district).get(url).status_code == 404
    assert timezone.now()
