"""Indexes the deadline scan reads instead of the tables (docs/alerts.md, "Measured").

They live with the alerts app because the scan is what needs them: a covering partial index of the open package
components (the component-due rule reads them all at every scan: an index-only scan instead of the wide table),
the package's case beside its id, and the cases still waiting to be produced before the CWC (the production rule
read the whole case table for a handful of rows).
"""

from django.db import migrations

INDEXES = [
    (
        "alerts_scan_component_open",
        "rehabilitation_component (due_on) INCLUDE (id, package_id, status) WHERE status IN ('planned', 'sanctioned')",
    ),
    ("alerts_scan_package_case", "rehabilitation_package (id) INCLUDE (case_id)"),
    (
        "alerts_scan_case_unproduced",
        "rescue_case (rescue_id) WHERE status = 'rescued' AND produced_at IS NULL AND district_id IS NOT NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_roles_police_and_dcpu"),
        ("rehabilitation", "0003_add_pending_visit_index"),
        ("rescue", "0009_duplicate_pair"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}", f"DROP INDEX IF EXISTS {name}", elidable=False
        )
        for name, definition in INDEXES
    ]
