"""A canary child goes through the portal and leaves no trace outside the database.

A child with a canary name, father's name, village and Aadhaar number is registered (with a photo named after the
child), searched for, matched, opened, produced and restored by the CWC, visited by a field worker, given a
household, a scheme linkage and an entitlement card, and transferred to another district, in real Chromium against
the production server (gunicorn with the project's gunicorn.conf.py) and a real Celery worker. Then every request
URL and Referer the browser sent, the server's and the worker's logs, every key and value of our Redis database,
the names of the stored media files and the e-mails sent (printed by the console mail backend into the server's log)
are searched: the canary appears 0 times.
"""

from __future__ import annotations

import base64
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from rehabilitation.models import Visit
from rehabilitation.services import templates_seed
from rescue.models import Case
from schemes.catalogue import catalogue_seed
from schemes.models import Linkage
from tests import factories as f
from tests.e2e.conftest import answer_visit
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]

ROOT = Path(__file__).parents[2]
NAME = "Qwzy Canarychild"
FATHER = "Qwzy Canaryfather"
VILLAGE = "Canaryvillage Xq"


def _aadhaar() -> str:
    """A synthetic 12-digit number, made at run time (no Aadhaar-like literal in the code)."""
    return "0" + "".join(random.choice("0123456789") for _ in range(11))  # noqa: S311 (no Aadhaar begins with 0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _forms(text: str) -> list[str]:
    """The ways a value may be written into a URL, a log line or a file name."""
    forms = {text, text.lower(), text.replace(" ", "+"), urllib.parse.quote(text), text.replace(" ", "_")}
    forms |= {word for word in text.split() if len(word) > 6}  # the distinctive words on their own
    return sorted(forms)


@pytest.fixture
def servers(tmp_path, transactional_db):
    """gunicorn (the production configuration) and a Celery worker on the test database, their output captured."""
    media = tmp_path / "media"
    media.mkdir()
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    db = connection.settings_dict
    env |= {
        "DEBUG": "on",  # plain HTTP on localhost, static files from static/
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "MEDIA_ROOT": str(media),
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "DEBUG",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace("@", f":{db['PASSWORD']}@", 1)
    logs = {"server": tmp_path / "server.log", "worker": tmp_path / "worker.log"}
    with open(logs["server"], "wb") as server_log, open(logs["worker"], "wb") as worker_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "clts.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clts",
                "worker",
                "--pool",
                "solo",
                "-l",
                "debug",
                "--hostname",
                f"canary-{os.getpid()}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail("gunicorn did not start: " + logs["server"].read_text(errors="replace")[-2000:])
            yield {"url": f"http://127.0.0.1:{port}", "media": media, "logs": logs}
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=30)


def _redis_contents() -> list[bytes]:
    """Every key of our Redis database, and every value, with Celery's base64 message bodies decoded."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    found: list[bytes] = []
    for key in client.scan_iter(count=500):
        found.append(key)
        kind = client.type(key).decode()
        if kind == "string":
            values = [client.get(key)]
        elif kind == "list":
            values = client.lrange(key, 0, -1)
        elif kind == "hash":
            values = [item for pair in client.hgetall(key).items() for item in pair]
        elif kind == "set":
            values = list(client.smembers(key))
        elif kind == "zset":
            values = client.zrange(key, 0, -1)
        else:
            values = []
        for value in values:
            found.append(value or b"")
            try:
                body = json.loads(value).get("body")
                found.append(base64.b64decode(body))
            except (ValueError, AttributeError, TypeError):
                pass
    return found


def test_the_canary_leaves_no_trace_outside_the_database(browser, servers, cast, places, settings):
    # The users who sign in get a production password hash (the test settings use a fast one gunicorn lacks).
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    f.make_home_state()
    templates_seed()
    catalogue_seed()
    for user in (cast.district, cast.cwc, cast.field, cast.field_other):
        user.password = ""
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    aadhaar = _aadhaar()
    context = browser.new_context(base_url=servers["url"], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    seen: list[str] = []
    page.on("request", lambda request: seen.extend([request.url, request.headers.get("referer", "")]))

    def sign_in(user):
        # Signed out on the server first: a late response (a lazy image) would otherwise bring the session back.
        page.wait_for_load_state("networkidle")
        if page.locator("form[action='/accounts/logout/']").count():
            page.locator("#account-menu").click()
            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url("**/accounts/login/")
        context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # 1. Registration, with matching while the officer types.
    sign_in(cast.district)
    page.goto("/cases/register/")
    page.fill("#id_rescue-rescued_at", timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_rescue-district", label="Gaya")
    page.locator("#id_rescue-block option", has_text="Bodh Gaya").wait_for(state="attached")
    page.select_option("#id_rescue-block", label="Bodh Gaya")
    page.fill("#id_rescue-establishment_name", "Test brick kiln")
    page.select_option("#id_rescue-industry", "brick_kiln")
    page.select_option("#id_rescue-led_by", "labour")
    page.select_option("#id_rescue-cwc", label="CWC Gaya")
    page.fill("#id_children-0-name", NAME)
    page.select_option("#id_children-0-sex", "m")
    page.fill("#id_children-0-age_years", "12")
    page.select_option("#id_children-0-age_assessment", "declared")
    page.fill("#id_children-0-father_name", FATHER)
    page.select_option("#id_children-0-home_district", label="Gaya")
    page.locator("#id_children-0-home_block option", has_text="Bodh Gaya").wait_for(state="attached")
    page.select_option("#id_children-0-home_block", label="Bodh Gaya")
    with page.expect_response("**/cases/register/matches/"):
        page.fill("#id_children-0-home_village_text", VILLAGE)
        page.fill("#id_children-0-aadhaar", aadhaar)
        page.locator("#id_children-0-aadhaar").blur()
    photo = Path(servers["media"]).parent / f"{NAME.replace(' ', '_')}.jpg"
    photo.write_bytes(_jpeg())
    page.set_input_files("#id_children-0-photo", str(photo))
    page.get_by_role("button", name="Register the rescue").click()
    page.wait_for_url("**/cases/rescues/*/")
    case = Case.objects.get(child__name=NAME)

    # 2. Search by name (a POST), and the case page.
    page.goto("/cases/")
    page.fill("#id_q", NAME)
    with page.expect_response("**/cases/"):
        page.get_by_role("button", name="Search").click()
    page.locator("#case-results", has_text=case.case_number).wait_for()
    page.goto(f"/cases/{case.case_number}/")
    assert NAME in page.inner_text("main")
    page.locator("img[alt='Photo of the child']").wait_for()

    # 3. The CWC member records the production and the restoration to the father.
    sign_in(cast.cwc)
    page.goto(f"/protection/cases/{case.case_number}/cwc-order/")
    page.fill("#id_produced_at", timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_kind", "restoration")
    page.fill("#id_order_number", "CWC/GAYA/CANARY/1")
    page.fill("#id_ordered_on", timezone.localdate().isoformat())
    page.fill("#id_restored_to", "The father")
    page.fill("#id_restored_place", "The family home")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/cases/{case.case_number}/")
    case.refresh_from_db()
    assert case.status == "restored"

    # 4. The field worker assigned the first visit records it.
    visit = Visit.objects.filter(case=case).order_by("sequence").first()
    sign_in(visit.assigned_to)
    page.goto(f"/rehabilitation/visits/{visit.pk}/record/")
    answer_visit(page, scheme_access="not_linked")
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(f"**/rehabilitation/visits/{visit.pk}/")

    # 5. The district officer records the household (in the canary village), a scheme linkage, prints the card.
    sign_in(cast.district)
    page.goto(f"/schemes/cases/{case.case_number}/household/new/")
    page.fill("#id_village_text", VILLAGE)
    page.select_option("#id_income_band", "below_5000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/schemes/households/*/")
    page.goto(f"/cases/{case.case_number}/")
    page.get_by_role("button", name="Start the application").first.click()
    page.wait_for_url(f"**/cases/{case.case_number}/**")
    assert Linkage.objects.filter(case=case).exists()
    card_url = f"/schemes/cases/{case.case_number}/entitlement-card/?lang=en"
    seen.append(servers["url"] + card_url)
    card = context.request.get(card_url)
    assert card.ok and card.headers["content-type"] == "application/pdf"

    # 6. The case is transferred to the district where the family now lives.
    page.goto(f"/cases/{case.case_number}/transfer/")
    page.select_option("#id_to_district", label="Patna")
    page.fill("#id_reason", "The family moved to Patna.")
    page.get_by_role("button", name="Transfer", exact=True).click()
    page.wait_for_url(f"**/cases/{case.case_number}/")
    assert case.transfers.filter(to_district=places.patna).exists()
    context.close()

    # 7. The worker runs the periodic work over the data now holding the canary.
    from clts.reports.tasks import case_summary_refresh
    from rehabilitation.tasks import figures_refresh
    from schemes.tasks import eligibility_summary_refresh

    for task in (case_summary_refresh, figures_refresh, eligibility_summary_refresh):
        task.delay().get(timeout=120)
    time.sleep(1)  # the last log lines reach the files

    # The scan: 0 occurrences anywhere.
    server_log = servers["logs"]["server"].read_text(errors="replace")
    worker_log = servers["logs"]["worker"].read_text(errors="replace")
    assert f'"GET /cases/{case.case_number}/ HTTP/1.1" 200' in server_log  # the access log was captured
    assert "succeeded" in worker_log  # and the worker's
    media_names = [str(path.relative_to(servers["media"])) for path in servers["media"].rglob("*")]
    assert any(name.startswith("children/") for name in media_names)  # the photo was stored
    redis_contents = _redis_contents()
    places_searched = {
        "request URLs and Referers": "\n".join(seen),
        "server log (gunicorn, Django, e-mails)": server_log,
        "Celery log": worker_log,
        "media file names": "\n".join(media_names),
    }
    for canary in (NAME, FATHER, VILLAGE, aadhaar, aadhaar[-8:]):
        for form in _forms(canary):
            for where, text in places_searched.items():
                assert text.count(form) == 0, f"{form!r} found in the {where}"
            needle = form.encode()
            assert not [value for value in redis_contents if needle in value], f"{form!r} found in Redis"
    assert len(seen) > 40 and len(redis_contents) > 0


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()
