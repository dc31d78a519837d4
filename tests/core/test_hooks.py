"""A hook named in settings that cannot be imported stops the portal at start-up (a system check), never silently."""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from clts.core.hooks import check_hooks


def _ids(errors) -> set[str]:
    return {error.id for error in errors}


def test_the_shipped_hooks_all_import():
    assert check_hooks() == []


def test_a_panel_that_cannot_be_imported_is_an_error(settings):
    settings.CASE_PAGE_PANELS = [*settings.CASE_PAGE_PANELS, "rescue.no_such_module.case_panel"]
    errors = check_hooks()
    assert _ids(errors) == {"clts.E001"} and "rescue.no_such_module.case_panel" in errors[0].msg


def test_restoration_services_navigation_and_demo_commands_are_checked(settings):
    settings.CASE_RESTORED_SERVICES = ["rehabilitation.services.no_such_service"]
    settings.NAVIGATION = [*settings.NAVIGATION, ("portal.view", "portal:no-such-page", "Nowhere")]
    settings.DEMO_SEED_COMMANDS = ["no_such_command"]
    assert _ids(check_hooks()) == {"clts.E001", "clts.E004", "clts.E005"}


def test_manage_check_fails_on_a_broken_hook(settings):
    settings.CASE_PAGE_PANELS = ["rescue.no_such_module.case_panel"]
    try:
        call_command("check")
    except SystemCheckError as error:
        assert "clts.E001" in str(error)
    else:
        raise AssertionError("manage.py check passed with a hook that cannot be imported")


def test_the_real_start_up_command_fails_too(tmp_path):
    """Through a fresh process, as a deployment would start: settings from the environment, nothing patched."""
    module = tmp_path / "broken_settings.py"
    module.write_text("from clts.settings import *  # noqa\nCASE_PAGE_PANELS = ['rescue.no_such_module.case_panel']\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PYTHONPATH": f"{tmp_path}:.", "DJANGO_SETTINGS_MODULE": "broken_settings", "DEBUG": "on", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "clts.E001" in result.stderr
