"""Page weight on a phone: bytes transferred for the main pages, first view (empty cache) and repeat view.

Goal (issue 11, item 14): a first view under 150 KB, a repeat view under 30 KB. Static files are served as in
production (collectstatic with hashed names and .gz/.br copies, WhiteNoise with a year's cache); the pages come
from the access matrix's world (sizes do not depend on the number of cases: lists are paged). Chromium over plain
HTTP asks for gzip, not Brotli, so the figures are an upper bound for the HTTPS deployment.

Run (a few seconds after the test database exists):
    .venv/bin/python -m pytest tests/bench/bench_page_weight.py -p no:cacheprovider -s -m bench \
      -o python_files='bench_*.py' --reuse-db
"""

from __future__ import annotations

import os

import pytest

from tests.e2e.conftest import browser  # noqa: F401 (the session fixture)
from tests.e2e.matrix_pages import build_world, matrix_pages, session_cookie
from tests.e2e.weight import launch_without_devanagari, production_server, transferred

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

FIRST_GOAL, REPEAT_GOAL = 150 * 1024, 30 * 1024
PHONE = {"width": 360, "height": 740}
# The pages officers open most, and the one the issue measured (registration, 420 KB uncompressed before).
MAIN = [
    "accounts:login",
    "alerts:my-work",
    "portal:home",
    "rescue:case-list",
    "rescue:case-detail",
    "rescue:rescue-create",
    "rehabilitation:package-detail",
    "rehabilitation:visit-list",
    "rehabilitation:visit-record",
    "schemes:household-detail",
    "schemes:linkage-queue",
    "alerts:compliance",
]


@pytest.fixture
def phone_browser(browser, tmp_path):  # noqa: F811
    without_font = launch_without_devanagari(browser.browser_type, tmp_path)
    yield without_font
    without_font.close()


def test_page_weight_of_the_main_pages(phone_browser, tmp_path):
    world = build_world()
    pages = {page.name: page for page in matrix_pages(world)}
    rows = []
    with production_server(tmp_path / "static") as base:
        for name in MAIN:
            for language in ("en", "hi"):
                page_info = pages[name]
                context = phone_browser.new_context(base_url=base, viewport=PHONE, is_mobile=True, has_touch=True)
                if page_info.role:
                    user = getattr(world.cast, page_info.role)
                    user.language = language
                    user.save(update_fields=["language"])
                    context.add_cookies([session_cookie(user, base)])
                else:
                    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                page = context.new_page()
                first = transferred(page, page_info.url)
                repeat = transferred(page, page_info.url)
                context.close()
                rows.append((name, page_info.role or "anonymous", language, first, repeat))

    load = os.getloadavg()[0]
    print(f"\npage weight at 360 px, static as in production (gzip over HTTP); load average {load:.2f}")
    print(
        f"{'page':32} {'role':9} {'lang':4} {'first KB':>9} {'HTML KB':>8} {'CSS KB':>7} {'JS KB':>6} "
        f"{'font KB':>8} {'reqs':>5} {'repeat KB':>10}"
    )
    for name, role, language, first, repeat in rows:
        kinds = first.by_type
        print(
            f"{name:32} {role:9} {language:4} {first.total / 1024:9.1f} {first.html / 1024:8.1f} "
            f"{kinds.get('Stylesheet', 0) / 1024:7.1f} {kinds.get('Script', 0) / 1024:6.1f} "
            f"{kinds.get('Font', 0) / 1024:8.1f} {first.requests:5d} {repeat.total / 1024:10.1f}"
        )
    heaviest = max(rows, key=lambda row: row[3].total)
    heaviest_repeat = max(rows, key=lambda row: row[4].total)
    print(
        f"heaviest first view: {heaviest[0]} ({heaviest[2]}) {heaviest[3].total / 1024:.1f} KB "
        f"(goal < {FIRST_GOAL // 1024} KB); heaviest repeat view: {heaviest_repeat[0]} ({heaviest_repeat[2]}) "
        f"{heaviest_repeat[4].total / 1024:.1f} KB (goal < {REPEAT_GOAL // 1024} KB)"
    )
