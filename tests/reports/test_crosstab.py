"""The cross-tab: counts equal to direct counts, hidden cells not derivable from its totals, the same in its XLSX."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from clts.core.disclosure import SMALL_MARK
from clts.reports.services import facts_refresh
from rescue.models import Case
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cases(places):
    cache.clear()
    f.make_home_state()
    for sex, n in (("m", 7), ("f", 6)):
        for _ in range(n):
            f.make_case(district=places.gaya, child=f.make_child(home_district=places.gaya, sex=sex))
    for sex, n in (("m", 9), ("f", 2)):
        for _ in range(n):
            f.make_case(district=places.patna, child=f.make_child(home_district=places.patna, sex=sex))
    facts_refresh()


def _lines(client, **query):
    response = client.get(reverse("reports:crosstab"), query)
    assert response.status_code == 200
    return response.context["lines"]


def test_cells_equal_direct_counts(client, cast, places):
    client.force_login(cast.state)
    lines = _lines(client, rows="district", columns="sex")
    header, body = lines[0], {line[0]: line[1:] for line in lines[1:]}
    female, male = header.index("Female") - 1, header.index("Male") - 1
    assert body["Patna"][female] == Case.objects.filter(district=places.patna, child__sex="f").count() == 2
    assert body["Gaya"][male] == 7 and body["Total"][-1] == Case.objects.count() == 24


def test_another_districts_small_cell_and_what_gives_it_away_are_hidden(client, cast):
    client.force_login(cast.district)  # Gaya: Patna's 2 girls are another district's small count
    lines = _lines(client, rows="district", columns="sex")
    body = {line[0]: line[1:] for line in lines[1:]}
    assert SMALL_MARK in body["Patna"]
    assert body["Gaya"][:2] in ([6, 7], [7, 6])  # its own figures stay
    # Every row and every column (totals included) has either no hidden cell or at least two.
    for line in lines[1:]:
        assert sum(isinstance(v, str) for v in line[1:]) != 1, line
    for column in range(1, len(lines[0])):
        assert sum(isinstance(line[column], str) for line in lines[1:]) != 1, column


def test_the_xlsx_holds_the_pages_protected_figures(client, cast):
    client.force_login(cast.district)
    lines = _lines(client, rows="district", columns="sex")
    response = client.get(reverse("reports:crosstab-xlsx"), {"rows": "district", "columns": "sex"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert rows == [[str(v) if isinstance(v, str) else v for v in line] for line in lines]


def test_rows_and_columns_must_differ_and_schemes_cross_only_their_dimensions(client, cast):
    client.force_login(cast.state)
    response = client.get(reverse("reports:crosstab"), {"rows": "sex", "columns": "sex"})
    assert response.context["table"] is None and response.context["form"].errors
    response = client.get(reverse("reports:crosstab"), {"rows": "scheme", "columns": "industry"})
    assert response.context["table"] is None
