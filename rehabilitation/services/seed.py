"""Seed data: the component templates from a data file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from rehabilitation.models import ComponentTemplate
from rehabilitation.resources import ComponentTemplateResource

ZERO = Decimal("0")


TEMPLATES_FILE = Path(__file__).resolve().parent.parent / "data" / "component_templates_bihar.json"
# The columns of the admin's spreadsheet (ComponentTemplateResource) but the code, which names the row, and the two
# that the data file leaves to the admin (the end of a template's validity, and whether it is in use).
_TEMPLATE_FIELDS = tuple(
    name for name in ComponentTemplateResource.Meta.fields if name not in {"code", "effective_to", "is_active"}
)


@transaction.atomic
def templates_seed(*, path: Path = TEMPLATES_FILE, update: bool = False) -> tuple[int, int]:
    """Load component templates from a data file: new codes are added; existing ones are left as the admin
    edited them unless `update` is asked for. Returns (created, updated). All or nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = updated = 0
    for row in data["templates"]:
        values = {name: row.get(name) for name in _TEMPLATE_FIELDS if name in row}
        values["amount"] = Decimal(values["amount"]) if values.get("amount") is not None else None
        for text in ("name_hi", "source_url"):
            values[text] = values.get(text) or ""
        template = ComponentTemplate.objects.filter(code=row["code"]).first()
        if template and not update:
            continue
        template = template or ComponentTemplate(code=row["code"])
        for name, value in values.items():
            setattr(template, name, value)
        template.full_clean()
        if template.pk:
            updated += 1
        else:
            created += 1
        template.save()
    return created, updated
