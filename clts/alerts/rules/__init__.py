"""The rule registry: every kind of deadline CLTS can watch, one module per app watched (settings.ALERT_RULE_KINDS).

A new kind (the CWC's orders, link requests, match reviews, the CCI register, the TrackChild upload) is one module
here with a `KINDS` list, named in settings.ALERT_RULE_KINDS; docs/alerts.md says what each one needs.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from clts.alerts.rules.base import RuleKind


@cache
def registry() -> dict[str, RuleKind]:
    """Kind key -> an instance of its evaluator, from the modules settings.ALERT_RULE_KINDS names."""
    kinds: dict[str, RuleKind] = {}
    for path in settings.ALERT_RULE_KINDS:
        for kind in import_string(path):
            if kind.key in kinds:
                raise ValueError(f"two deadline kinds are called {kind.key}")
            kinds[kind.key] = kind()
    return kinds


def kind_of(rule) -> RuleKind:
    return registry()[rule.kind]
