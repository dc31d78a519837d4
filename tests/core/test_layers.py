"""The layer contract (.importlinter) holds, and it does fail the build when the kernel imports the domain."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("clts", "rescue", "rehabilitation", "schemes", "trackchild_sync")
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-logo", "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / ".importlinter", tree / ".importlinter")
    return tree


def test_the_project_keeps_its_layers(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_of_the_domain_from_the_kernel_breaks_the_build(tmp_path):
    tree = _copy(tmp_path)
    (tree / "clts" / "geo" / "planted.py").write_text("from rescue.models import Case  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "clts.geo.planted -> rescue.models" in result.stdout


def test_an_import_between_independent_domain_apps_breaks_the_build(tmp_path):
    tree = _copy(tmp_path)
    (tree / "schemes" / "planted.py").write_text("from rehabilitation.models import Package  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0 and "schemes.planted -> rehabilitation.models" in result.stdout
