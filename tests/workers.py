"""A real Celery worker process on the test database and the tests' Redis db, for tests whose behaviour depends on
one (a task run in the background, two runs at once, a worker killed mid-task)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connection

from clts.celery import app

# How long a new worker may take to answer a ping. It answers in a few seconds on a quiet machine; under heavy
# load (other test runs, benchmarks) starting Django and Celery has taken over 40 s. Waiting longer costs nothing
# when the worker is quick: the wait ends at the first answer.
START_TIMEOUT = 180.0


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait(condition, timeout: float = 60.0, every: float = 0.1) -> bool:
    """True as soon as `condition()` is, False if it is not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def celery_worker(name: str, *, pool: str = "prefork", concurrency: int = 1, env: dict | None = None) -> Iterator:
    """Start a worker, yield its process once it answers, stop it (and empty the queue) afterwards."""
    app.control.purge()
    environment = (
        os.environ
        | {
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "DATABASE_URL": database_url(),
            "DEBUG": "on",
            "CONN_MAX_AGE": "0",
        }
        | (env or {})
    )
    command = [
        sys.executable, "-m", "celery", "-A", "clts", "worker", "--pool", pool, "-l", "warning",
        "--hostname", f"{name}-{os.getpid()}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if pool == "prefork":
        command += ["--concurrency", str(concurrency)]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment)
    try:
        answered = wait(lambda: bool(app.control.ping(timeout=0.5)), timeout=START_TIMEOUT)
        assert answered, f"the worker did not answer in {START_TIMEOUT:.0f} s"
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        app.control.purge()
