"""Benchmark: a 100,000-row register of rescued children imported end to end, beside PostgreSQL COPY of the same rows.

End to end is what the admin's two clicks cost: the upload (the upload policy, SHA-256, the header read and the
column matching), the check (parse, normalise, validate by the registration's rules, the same row twice in the
file, rows already in CLTS) and the commit (all of the check again, then the writes through
rescue.services.bulk: operations, children, case numbers, cases, timeline events, transfers, and the audit
trail's triggers on each). The commit's parts are timed apart. Beside it: COPY of the same CSV into a table of
text columns (the floor: bytes into PostgreSQL), and COPY of the same number of children into rescue_child with
and without its audit trigger (what the row-level audit costs per row).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench_imports make bench \
      PYTEST_ARGS=tests/bench/bench_imports.py

BENCH_IMPORT_ROWS (default 100000) sets the size; IMPORT_CHECK_PROCESSES=1 checks the file in one process. The
import is committed for real and the test database emptied afterwards; the COPYs beside it are rolled back.
Goal: at least 2,000 rows per second end to end; a fifth of the COPY rate is the ambition.
"""

from __future__ import annotations

import gc
import io
import os
import resource
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction

from clts.accounts.roles import Role
from clts.core import copying
from clts.geo.models import District
from clts.imports import pipeline, services
from clts.imports.choices import Kind, Status
from clts.imports.kinds import rescue as rescue_kind
from clts.orgs.models import Institution
from rescue.models import Case
from tests import factories as f
from tests.bench.timing import p95, sample_ms
from tests.imports.registers import register

# Committed for real (the check's parts run in processes of their own, which see committed rows only); the test
# database is emptied afterwards.
pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
GOAL_ROWS_PER_S = 2000
BENCH_CWC = "CWC Gaya (bench)"


class _Collector:
    """Seconds the garbage collector ran, per generation (gc.callbacks)."""

    def __init__(self):
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._started

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)

    def __str__(self):
        return ", ".join(f"generation {n}: {seconds:.1f} s" for n, seconds in enumerate(self.seconds))


class _Clock:
    """Seconds spent in named parts of the commit, by wrapping the functions that do them."""

    def __init__(self):
        self.parts: dict[str, float] = {}

    def wrap(self, owner, name: str, label: str):
        original = getattr(owner, name, None)
        if original is None:  # an earlier version of the code, measured for comparison
            return None

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.parts[label] = self.parts.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, timed)
        return original


def _cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its PostgreSQL backend (/proc): what the work costs whatever
    the machine's load (the wall time on a shared machine is mostly waiting for a core)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the check's parts in processes of their own
    python = time.process_time() + children.ru_utime + children.ru_stime
    return python, _process_cpu(pid)


def _process_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _record_side(monkeypatch) -> list[float]:
    """CPU seconds of the commit's second PostgreSQL backend (the blocking keys), read as it commits, when the code
    has one (it is opened for the commit: all its CPU is the commit's)."""
    used: list[float] = []
    side_class = getattr(copying, "SideCopy", None)
    if side_class is not None:
        commit = side_class._commit

        def measured(self):
            commit(self)
            used.append(_process_cpu(self._side.connection.get_backend_pid()))

        monkeypatch.setattr(side_class, "_commit", measured)
    return used


def _cpu_text(used: list[float]) -> str:
    python, postgres = used
    total = python + postgres
    return f"CPU: {python:.1f} s in Python + {postgres:.1f} s in PostgreSQL = {ROWS / total:,.0f} rows/CPU s"


def _checkpoints() -> int:
    """Checkpoints the server has made so far (by time or by WAL written)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")
        return cursor.fetchone()[0]


def _server() -> str:
    """The server's settings that bound a bulk write's pace beside the timings: a checkpoint comes every
    max_wal_size of WAL (a few seconds apart in an import), and pages first written after it are logged whole."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('shared_buffers'), current_setting('max_wal_size')")
        buffers, wal = cursor.fetchone()
    return f"PostgreSQL shared_buffers {buffers}, max_wal_size {wal}"


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _record_senders(monkeypatch) -> list:
    """The commit's CopySender (its sending and waiting seconds), when the code has one."""
    senders: list = []
    sender_class = getattr(copying, "CopySender", None)
    if sender_class is not None:
        leave = sender_class.__exit__

        def recorded(self, *exc):
            senders.append(self)
            return leave(self, *exc)

        monkeypatch.setattr(sender_class, "__exit__", recorded)
    return senders


def _python_speed() -> str:
    """The machine's pace beside the timings (machines differ by two to three times from day to day): the best of
    three runs of one fixed piece of pure Python."""
    best = min(_timed_squares() for _ in range(3))
    return f"10**7 squares summed in {best:.2f} s"


def _timed_squares() -> float:
    started = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - started


def _pk_fetch_p95() -> str:
    """The machine's state beside the timings: a primary-key fetch's 95th percentile."""
    pk = Case.objects.values_list("pk", flat=True).first()
    if pk is None:
        return "no case to fetch"
    samples = sample_ms(lambda i: Case.objects.filter(pk=pk).values_list("case_number").get(), runs=50)
    return f"primary-key fetch p95 {p95(samples):.2f} ms"


def _copy_rate(sql_setup: list[str], copy_sql: str, payload: str) -> float:
    with connection.cursor() as cursor:
        for sql in sql_setup:
            cursor.execute(sql)
        started = time.perf_counter()
        cursor.cursor.copy_expert(copy_sql, io.StringIO(payload))
        return time.perf_counter() - started


def test_a_100000_row_register_end_to_end_beside_copy(monkeypatch, settings):
    settings.IMPORT_BACKGROUND_ROWS = ROWS + 1  # timed here, in one process (the worker runs the same functions)
    call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    home = f.make_home_state()
    gaya = District.objects.get(state=home, name_en="Gaya")
    if not Institution.objects.filter(kind="cwc", name=BENCH_CWC, district=gaya).exists():
        f.make_institution(kind="cwc", name=BENCH_CWC, district=gaya)
    admin = f.make_user(Role.ADMIN, username="bench-import-admin", is_staff=True)
    existing = Case.objects.count()
    started = time.perf_counter()
    # The register names its CWC: a registry with several CWCs in Gaya (the 1,000,000-case one) needs it.
    data = register(ROWS, seed=int(time.time()), cwc=BENCH_CWC)
    content = data.csv_bytes()
    made = time.perf_counter() - started
    print(f"\nregister: {ROWS} rows, {len(content) / 1e6:.1f} MB CSV (made in {made:.1f} s); {existing} cases before")
    print(f"load average before: {_load_average()}; {_server()}")
    checkpoints = _checkpoints()

    clock = _Clock()
    clock.wrap(pipeline, "prepare", "check (parse, normalise, validate, dedupe)")
    clock.wrap(rescue_kind.RescueRegister, "write", "write (service, audit triggers)")
    clock.wrap(services, "_checked_dump", "the checked rows kept (pickled, compressed, signed)")
    clock.wrap(services, "_checked_load", "the preview's checked rows read back")
    senders = _record_senders(monkeypatch)
    side = _record_side(monkeypatch)

    started = time.perf_counter()
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=gaya, file=SimpleUploadedFile("register.csv", content)
    )
    upload = time.perf_counter() - started
    started, cpu_before = time.perf_counter(), _cpu()
    with _Collector() as preview_gc:
        job = services.import_job_start(job=job, actor=admin, commit=False)
    preview = time.perf_counter() - started
    preview_cpu = [after - before for after, before in zip(_cpu(), cpu_before, strict=True)]
    assert job.status == Status.PREVIEWED and job.invalid_count == 0, job.errors[:3]
    kept = clock.parts.get("the checked rows kept (pickled, compressed, signed)", 0.0)
    clock.parts.clear()
    started, cpu_before = time.perf_counter(), _cpu()
    with _Collector() as commit_gc:
        job = services.import_job_start(job=job, actor=admin, commit=True)  # its deferred checks included
    commit = time.perf_counter() - started
    commit_cpu = [after - before for after, before in zip(_cpu(), cpu_before, strict=True)]
    assert job.status == Status.COMMITTED, job.message
    assert Case.objects.count() == existing + ROWS

    # The COPYs below are rolled back.
    with transaction.atomic():
        # COPY of the same rows: the register's CSV into a table of its columns, as text.
        columns = ", ".join(f"c{i} text" for i in range(len(data.headers)))
        body = content.decode().split("\n", 3)[3]  # after the title, the blank line and the header
        copy_text = _copy_rate(
            [f"CREATE TEMP TABLE bench_register ({columns})"], "COPY bench_register FROM STDIN WITH (FORMAT csv)", body
        )
        # The same number of children into rescue_child, with its audit trigger and without (triggers off).
        child = {
            "name": "Bench child {n}",
            "sex": "m",
            "age_years": "{age}",
            "home_state_id": str(home.pk),
            "name_key": "bench child {n}",
            "created_at": "2026-01-01",
            "updated_at": "2026-01-01",
        }
        blank = ["alias", "age_assessment", "father_name", "mother_name", "guardian_name", "guardian_relation",
                 "guardian_key", "home_village_text", "home_address", "languages", "education_level", "disability",
                 "photo", "aadhaar_last4", "aadhaar_hash"]  # fmt: skip
        child_columns = list(child) + blank
        line = "\t".join([*child.values(), *[""] * len(blank)]) + "\n"
        children = "".join(line.format(n=n, age=n % 17) for n in range(ROWS))
        child_columns = ", ".join(child_columns)
        copy_sql = f"COPY rescue_child ({child_columns}) FROM STDIN WITH (NULL '\\N')"
        try:
            copy_audited = _copy_rate([], copy_sql, children)
            copy_bare = _copy_rate(["SET LOCAL session_replication_role = replica"], copy_sql, children)
        except Exception as error:  # the child table's columns are another app's; the figure is then left out
            print(f"COPY into rescue_child not measured: {error}")
            copy_audited = copy_bare = None
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        transaction.set_rollback(True)

    rate = ROWS / commit
    print(f"upload (policy, SHA-256, headers, mapping): {upload:.1f} s")
    print(f"check (preview, a dry run):                 {preview:.1f} s = {ROWS / preview:,.0f} rows/s")
    print(f"  {_cpu_text(preview_cpu)}")
    print(f"  of which the checked rows kept for the commit: {kept:.1f} s; garbage collection: {preview_gc}")
    print(f"commit:                                     {commit:.1f} s = {rate:,.0f} rows/s")
    print(f"  {_cpu_text(commit_cpu)}")
    if side:
        print(f"  and {sum(side):.1f} s in the second PostgreSQL backend (the blocking keys)")
    both = upload + preview + commit
    whole = ROWS / both
    print(f"the import end to end (upload, check, commit): {both:.1f} s = {whole:,.0f} rows/s")
    for label, seconds in clock.parts.items():
        print(f"  {label}: {seconds:.1f} s ({100 * seconds / commit:.0f}%)")
    for sender in senders:
        print(f"  COPYs in their own thread: {sender.sending:.1f} s; the write waited for them {sender.waiting:.1f} s")
    print(f"  garbage collection: {commit_gc}")
    print(f"COPY of the same CSV rows (text columns):  {copy_text:.2f} s = {ROWS / copy_text:,.0f} rows/s")
    print(f"  end-to-end rate / COPY rate: {whole / (ROWS / copy_text):.3f} (ambition 0.2)")
    if copy_audited is not None:
        print(f"COPY of {ROWS} children into rescue_child, audit trigger on:  {ROWS / copy_audited:,.0f} rows/s")
        print(f"COPY of {ROWS} children into rescue_child, triggers off:      {ROWS / copy_bare:,.0f} rows/s")
    print(f"checkpoints during the import and the COPYs: {_checkpoints() - checkpoints}")
    print(f"load average after: {_load_average()}; {_pk_fetch_p95()}; {_python_speed()}")
    assert whole >= GOAL_ROWS_PER_S, f"{whole:,.0f} rows/s end to end, under the goal of {GOAL_ROWS_PER_S}"
