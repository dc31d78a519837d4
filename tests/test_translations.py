"""The Hindi catalogue is complete: every string the code marks for translation has a Hindi translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "hi" / "LC_MESSAGES" / "django.po"
SOURCES = ["clts", "rescue", "rehabilitation", "schemes", "trackchild_sync", "templates", "manage.py"]


def _untranslated(po: polib.POFile) -> list[str]:
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete and ("fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())))
    ]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    missing = _untranslated(polib.pofile(str(CATALOGUE)))
    assert not missing, f"{len(missing)} strings lack a Hindi translation, e.g. {missing[:10]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is installed by `make system-packages`")
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    # makemessages rewrites catalogues in place, so it runs on a copy of the sources.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale" / "hi" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, tmp_path / "locale" / "hi" / "LC_MESSAGES" / "django.po")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "hi", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"DEBUG": "on", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "hi" / "LC_MESSAGES" / "django.po"))
    missing = _untranslated(fresh)
    assert not missing, f"{len(missing)} marked strings are not translated in locale/hi: {missing[:10]}"
