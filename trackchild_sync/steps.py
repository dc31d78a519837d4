"""The CWC's time limits shipped with CLTS (data/cwc_steps.json): added where missing, the admin's edits kept."""

import json
from datetime import timedelta
from pathlib import Path

STEPS_FILE = Path(__file__).parent / "data" / "cwc_steps.json"


def steps_seed(step_model=None) -> int:
    """Add the shipped steps that are missing (a migration passes its historical model); returns how many."""
    if step_model is None:
        from trackchild_sync.models import CwcStep as step_model
    added = 0
    for row in json.loads(STEPS_FILE.read_text(encoding="utf-8"))["steps"]:
        hours = row.pop("due_after_hours")
        row["due_after"] = timedelta(hours=hours) if hours is not None else None
        _, created = step_model.objects.get_or_create(code=row.pop("code"), defaults=row)
        added += created
    return added
