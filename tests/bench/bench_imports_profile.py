"""Where an import's commit spends its time: SQL statements grouped by their first words, and Python by function.

    BENCH_IMPORT_ROWS=10000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench_audit \
      .venv/bin/python -m pytest tests/bench/bench_imports_profile.py -s -p no:cacheprovider -m bench \
      -o python_files='bench_*.py' --reuse-db

Prints the commit's seconds in SQL per kind of statement (with the number of calls) and the Python functions
with the most time of their own (cProfile). Everything written is rolled back at the end.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import time
from collections import defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from clts.accounts.roles import Role
from clts.geo.models import District
from clts.imports import services
from clts.imports.choices import Kind, Status
from rescue.services import bulk
from tests import factories as f
from tests.imports.registers import register

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (/proc)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Parts:
    """Seconds (wall and this process's CPU) of each call of the write's parts, by name and size."""

    def __init__(self):
        self.calls: list[tuple[str, int, float, float, float]] = []

    def wrap(self, monkeypatch, owner, name: str):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            wall, cpu, backend = time.perf_counter(), time.process_time(), _backend_cpu()
            try:
                return original(*args, **kwargs)
            finally:
                backend = _backend_cpu() - backend
                if name == "copy_statement":
                    rows, label = args[1], f"copy_statement({args[0].__name__})"
                else:
                    rows = args[0]
                    label = f"{name}({type(rows[0]).__name__})" if rows else name
                self.calls.append((label, len(rows), time.perf_counter() - wall, time.process_time() - cpu, backend))

        monkeypatch.setattr(owner, name, timed)


class _Statements:
    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def __call__(self, execute, sql, params, many, context):
        key = re.sub(r"\s+", " ", str(sql)).strip()[:90]
        key = re.sub(r"IN \(.*", "IN (...", key)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[key] += time.perf_counter() - started
            self.calls[key] += 1


def test_where_the_commit_spends_its_time(settings, monkeypatch):
    settings.IMPORT_BACKGROUND_ROWS = ROWS + 1
    call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    home = f.make_home_state()
    gaya = District.objects.get(state=home, name_en="Gaya")
    f.make_institution(kind="cwc", name="CWC Gaya (bench)", district=gaya)
    admin = f.make_user(Role.ADMIN, username="bench-import-admin", is_staff=True)
    content = register(ROWS, seed=int(time.time())).csv_bytes()
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=gaya, file=SimpleUploadedFile("register.csv", content)
    )
    checking = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    checking.enable()
    job = services.import_job_start(job=job, actor=admin, commit=False)
    checking.disable()
    check, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert job.status == Status.PREVIEWED and job.invalid_count == 0, job.errors[:3]
    print(f"\ncheck (preview) of {ROWS} rows: {check:.1f} s = {ROWS / check:,.0f} rows/s ({cpu:.1f} s CPU here)")
    out = io.StringIO()
    pstats.Stats(checking, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())
    statements = _Statements()
    parts = _Parts()
    parts.wrap(monkeypatch, bulk, "copy_statement")
    parts.wrap(monkeypatch, bulk, "keys_copy")
    parts.wrap(monkeypatch, bulk, "_write_chunk")
    profile = cProfile.Profile()
    print(f"\nload average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(statements):
        profile.enable()
        backend = _backend_cpu()
        job = services.import_job_start(job=job, actor=admin, commit=True)
        constraints = _backend_cpu()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign key checks a real commit runs
        profile.disable()
        constraints, backend = _backend_cpu() - constraints, _backend_cpu() - backend
    commit, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert job.status == Status.COMMITTED, job.message
    print(f"commit of {ROWS} rows: {commit:.1f} s = {ROWS / commit:,.0f} rows/s ({cpu:.1f} s CPU in this process)")
    print(f"PostgreSQL's CPU: {backend:.1f} s, of which the deferred foreign key checks {constraints:.1f} s")
    print("the write's parts, each call: rows, wall seconds, CPU seconds in this process and in PostgreSQL")
    for label, rows, wall, used, backend in parts.calls:
        print(f"  {label:34} {rows:7d} {wall:7.2f} s {used:7.2f} s {backend:7.2f} s")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    sql = sum(statements.seconds.values())
    print(f"in SQL (through Django's cursor): {sql:.1f} s; COPY and raw cursors not counted")
    for key, seconds in sorted(statements.seconds.items(), key=lambda item: -item[1])[:25]:
        print(f"  {seconds:7.2f} s {statements.calls[key]:7d}x  {key}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(35)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    print(out.getvalue())
