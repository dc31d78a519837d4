"""Hooks: the explicit lists in settings through which apps add to each other's pages and work.

Apps higher up add to the pages and services of apps lower down (a panel on the case page, work that starts when
a child is restored, a navigation entry) by being named in a settings list, never through signals or imports the
lower app would have to make. A hook that cannot be imported must stop the portal at start-up, not vanish from a
page the first time a user opens it: `check_hooks` is a Django system check, so `manage.py check`, `runserver`,
`migrate` and the test run all fail on a broken hook.
"""

from django.conf import settings
from django.core import checks
from django.core.management import get_commands
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

# Settings that list dotted paths of functions.
CALLABLE_HOOKS = ("CASE_PAGE_PANELS", "CASE_RESTORED_SERVICES", "MATCHING_REGISTRY", "MATCHING_CONFIRMED_PAIRS")
# Settings that list dotted paths of other objects (lists of classes, for example).
OBJECT_HOOKS = ("ALERT_RULE_KINDS",)


def hook_functions(setting: str) -> list:
    """The functions a hook setting names, in order (imported on each call; Django caches the modules)."""
    return [import_string(path) for path in getattr(settings, setting)]


@checks.register()
def check_hooks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for setting in CALLABLE_HOOKS:
        for path in getattr(settings, setting, []):
            try:
                function = import_string(path)
            except ImportError as error:
                errors.append(checks.Error(f"{setting}: {path} cannot be imported ({error}).", id="clts.E001"))
                continue
            if not callable(function):
                errors.append(checks.Error(f"{setting}: {path} is not callable.", id="clts.E002"))
    for setting in OBJECT_HOOKS:
        for path in getattr(settings, setting, []):
            try:
                import_string(path)
            except ImportError as error:
                errors.append(checks.Error(f"{setting}: {path} cannot be imported ({error}).", id="clts.E001"))
    for template in settings.TEMPLATES:
        for path in template.get("OPTIONS", {}).get("context_processors", []):
            try:
                import_string(path)
            except ImportError as error:
                errors.append(checks.Error(f"context processor {path} cannot be imported ({error}).", id="clts.E003"))
    for _action, url_name, *_label_and_menu in getattr(settings, "NAVIGATION", []):
        try:
            reverse(url_name)
        except NoReverseMatch:
            errors.append(checks.Error(f"NAVIGATION: no URL named {url_name}.", id="clts.E004"))
    commands = get_commands()
    for name in getattr(settings, "DEMO_SEED_COMMANDS", []):
        if name not in commands:
            errors.append(checks.Error(f"DEMO_SEED_COMMANDS: no management command {name}.", id="clts.E005"))
    return errors
