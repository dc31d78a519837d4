"""The TrackChild exchange: export in the documented layout, import all or nothing with every bad line reported,
and the push against a stand-in TrackChild server started here on 127.0.0.1 (killed half way, then run again)."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as f
from trackchild_sync.exchange import files, push
from trackchild_sync.exchange.layout import LAYOUTS
from trackchild_sync.models import FoundChild, MissingReport, SyncAttempt, SyncRun

pytestmark = pytest.mark.django_db
STANDIN = Path(__file__).with_name("standin_trackchild.py")
TOKEN = "test-token-of-the-state"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Standin:
    def __init__(self, tmp_path):
        self.port, self.store, self.process = _free_port(), tmp_path / "trackchild.json", None

    def start(self, die_after=None):
        args = [sys.executable, str(STANDIN), str(self.port), str(self.store), TOKEN]
        self.process = subprocess.Popen(args + ([str(die_after)] if die_after else []))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the stand-in server did not start")

    def records(self, kind) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{kind}/", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (the stand-in, over http)
            return json.loads(response.read())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
        if self.process:
            self.process.wait(timeout=5)


@pytest.fixture
def standin(tmp_path, settings):
    server = Standin(tmp_path)
    settings.TRACKCHILD_ENDPOINT = f"http://127.0.0.1:{server.port}/api"
    settings.TRACKCHILD_TOKEN = TOKEN
    yield server
    server.stop()


def _residents(cast, n):
    return [f.make_residence(cast.cci_institution, name=f"Test Resident {i}") for i in range(n)]


def test_a_push_killed_half_way_and_run_again_leaves_one_copy_of_each_and_a_line_per_attempt(cast, standin):
    _residents(cast, 6)
    standin.start(die_after=3)  # stores the third record and dies before answering
    first = push.push_run(attempts=2, backoff=0.01, timeout=2)
    assert first.status == SyncRun.Status.FAILED and first.sent == 2
    standin.process.wait(timeout=5)
    standin.start()
    second = push.push_run(attempts=2, backoff=0.01, timeout=2)
    assert second.status == SyncRun.Status.DONE and second.sent == 4  # the third again (its reply was lost), and 3 more
    there = standin.records("residents")
    assert len(there) == 6 and {record["name"] for record in there.values()} == {f"Test Resident {i}" for i in range(6)}
    # Every attempt is a line of the log: 2 accepted + 2 failed tries of the third, then 4 accepted.
    lines = list(SyncAttempt.objects.order_by("id").values_list("run_id", "attempt", "ok"))
    assert lines.count((first.pk, 1, True)) == 2 and (first.pk, 2, False) in lines and len(lines) == 8
    third = push.push_run(attempts=1, backoff=0, timeout=2)
    assert third.sent == 0 and len(standin.records("residents")) == 6  # nothing changed, nothing sent


def test_a_wrong_token_is_logged_and_nothing_counts_as_pushed(cast, standin, settings):
    _residents(cast, 1)
    standin.start()
    settings.TRACKCHILD_TOKEN = "a wrong token"
    run = push.push_run(attempts=1, backoff=0, timeout=2)
    assert run.status == SyncRun.Status.FAILED
    assert SyncAttempt.objects.get(run=run).http_status == 401


def test_export_follows_the_documented_layout_within_the_users_area(cast, places):
    ours = f.make_residence(cast.cci_institution, name="=HYPERLINK(1)")
    f.make_residence(cast.cci_other.institution, name="Test Resident Patna")
    text = "".join(files.export_csv(LAYOUTS["residents"], user=cast.cci))
    header, *rows = text.strip().splitlines()
    assert header.split(",") == list(LAYOUTS["residents"].fields)
    assert len(rows) == 1 and f"-R-{ours.pk}" in rows[0] and "'=HYPERLINK(1)" in rows[0]
    document = json.loads("".join(files.export_json(LAYOUTS["residents"], user=cast.state)))
    assert document["layout"] == "residents" and len(document["records"]) == 2


def _extract(lines):
    header = (
        "trackchild_id,station_code,district_lgd,fir_kind,fir_number,reported_on,last_seen_on,last_seen_place,name,sex"
    )
    return ("\n".join([header, *lines]) + "\n").encode()


def test_a_malformed_import_changes_nothing_and_reports_every_bad_line(cast, places):
    places.gaya.lgd_code = 230
    places.gaya.save()
    f.make_institution(kind="police", name="Test PS", district=places.gaya, code="PS-GAYA-1")
    good = "TC-1,PS-GAYA-1,230,fir,10/2026,2026-11-01,2026-10-31,Gaya bus stand,Test Child One,m"
    content = _extract(
        [
            good,
            "TC-2,PS-NOWHERE,230,fir,11/2026,2026-11-01,2026-10-31,Gaya,Test Child Two,m",
            "TC-3,PS-GAYA-1,230,fir,12/2026,not a date,2026-10-31,Gaya,Test Child Three,x",
            "TC-4,PS-GAYA-1,999,fir,13/2026,2026-11-01,2026-10-31,Gaya,Test Child Four,f",
        ]
    )
    batch, bad = files.import_extract(user=cast.admin, kind="missing", content=content, fmt="csv")
    assert batch is None and not MissingReport.objects.exists()
    assert {(b.line, b.field) for b in bad} == {
        (3, "station_code"),
        (4, "reported_on"),
        (4, "sex"),
        (5, "district_lgd"),
    }
    batch, bad = files.import_extract(user=cast.admin, kind="missing", content=_extract([good]), fmt="csv")
    assert not bad and batch.created == 1 and MissingReport.objects.get(trackchild_id="TC-1").district == places.gaya
    batch, bad = files.import_extract(user=cast.admin, kind="missing", content=_extract([good]), fmt="csv")
    assert batch.updated == 1 and MissingReport.objects.count() == 1  # the same TrackChild id updates, never copies


def test_a_district_officer_imports_only_their_districts_records(cast, places):
    places.patna.lgd_code = 231
    places.patna.save()
    content = json.dumps(
        {
            "records": [
                {
                    "trackchild_id": "TC-9",
                    "district_lgd": 231,
                    "found_by": "Test",
                    "found_on": "2026-11-01",
                    "found_place": "Patna",
                    "sex": "f",
                }
            ]
        }
    ).encode()
    batch, bad = files.import_extract(user=cast.district, kind="found", content=content, fmt="json")
    assert batch is None and [(b.line, b.field) for b in bad] == [(1, "district_lgd")]
    assert not FoundChild.objects.exists()


def test_the_exchange_page_shows_the_sync_log(login, cast):
    run = SyncRun.objects.create(endpoint="http://127.0.0.1/api", status="failed")
    SyncAttempt.objects.create(
        run=run, kind="residents", target_id=1, clts_id="10-R-1", attempt=1, ok=False, message="refused"
    )
    page = login(cast.state).get(reverse("trackchild:exchange"))
    assert "10-R-1" in page.text and "refused" in page.text
