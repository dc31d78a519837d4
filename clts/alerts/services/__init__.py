"""Every write of the alerts app: the scan, the compliance figures, the digests, rules seeded, alerts acknowledged."""

from clts.alerts.services.compliance import compliance_refresh
from clts.alerts.services.digests import digest_recipients, digest_text, digests_send
from clts.alerts.services.rules import RULES_FILE, alert_acknowledge, rules_seed
from clts.alerts.services.scan import scan_rule, scan_run

__all__ = [
    "RULES_FILE",
    "alert_acknowledge",
    "compliance_refresh",
    "digest_recipients",
    "digest_text",
    "digests_send",
    "rules_seed",
    "scan_rule",
    "scan_run",
]
