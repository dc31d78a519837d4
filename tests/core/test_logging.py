"""No log line carries a query string (runserver's request lines and Django's request warnings), nor the row values
PostgreSQL puts into an error (a child's name in "Failing row contains (...)")."""

import logging

import pytest
from django.db import connection

from clts.core.logging import NoQueryStrings, NoRowValues, without_query, without_row_values


def test_query_strings_are_dropped_and_paths_kept():
    assert without_query('"GET /cases/?q=Test+Name&status=x HTTP/1.1" 200') == '"GET /cases/ HTTP/1.1" 200'
    assert without_query("Not Found: /cases/register/matches/") == "Not Found: /cases/register/matches/"
    assert without_query("Is it up? yes") == "Is it up? yes"


def test_the_filter_is_on_every_handler_that_prints(settings):
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET /x/?aadhaar=1 HTTP/1.1", 200), None
    )
    NoQueryStrings().filter(record)
    assert record.getMessage() == '"GET /x/ HTTP/1.1" 200'
    handlers = settings.LOGGING["handlers"]
    assert all("no_query_strings" in handler.get("filters", []) for handler in handlers.values())
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


def test_gunicorn_logs_the_path_without_query_string_or_referer():
    """One access-log line as gunicorn writes it with our configuration, for a URL and Referer carrying a name."""
    from datetime import timedelta
    from pathlib import Path
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    namespace: dict = {}
    exec((Path(__file__).parents[2] / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    config = Config()
    config.set("access_log_format", namespace["access_log_format"])
    canary = "Test+Canary+Name"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/cases/",
        "QUERY_STRING": f"q={canary}",
        "RAW_URI": f"/cases/?q={canary}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://clts.example.gov.in/cases/?q={canary}",
        "HTTP_USER_AGENT": "test",
    }
    logger = Logger(config)
    response = SimpleNamespace(status="200 OK", sent=123, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, timedelta(milliseconds=5)))
    line = config.access_log_format % atoms
    assert '"GET /cases/ HTTP/1.1" 200' in line and canary not in line


CANARY = "Test Canary Childname"


def test_row_values_are_cut_from_a_message_whether_split_over_lines_or_escaped_in_one():
    message = (
        'new row for relation "t" violates check constraint "t_age_check"\n'
        f'DETAIL:  Failing row contains ({CANARY}, 25).\nCONTEXT:  COPY t, line 1: "{CANARY}\t25"\n'
    )
    assert CANARY not in without_row_values(message)
    assert "violates check constraint" in without_row_values(message)
    one_line = repr(Exception(message))  # as Celery logs a task that raised it
    assert "\\n" in one_line and CANARY in one_line
    assert CANARY not in without_row_values(one_line) and "t_age_check" in without_row_values(one_line)


@pytest.mark.django_db
def test_a_database_error_logged_with_its_traceback_shows_no_row_value():
    """A real PostgreSQL refusal (a CHECK constraint, through COPY as bulk imports write) logged with logger.exception
    through the console handler settings.LOGGING configures: the error's name stays, the row's values do not."""
    import io

    console = next(h for h in logging.getLogger().handlers if any(isinstance(f, NoRowValues) for f in h.filters))
    printed_to = io.StringIO()
    stream = console.setStream(printed_to)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE canary_rows (name text, age int CHECK (age < 18))")
        try:
            cursor.execute("SAVEPOINT canary")
            cursor.cursor.copy_expert("COPY canary_rows (name, age) FROM STDIN", io.StringIO(f"{CANARY}\t25\n"))
        except Exception as error:
            cursor.execute("ROLLBACK TO SAVEPOINT canary")
            assert CANARY in str(error)  # PostgreSQL does put the row into the error
            try:
                logging.getLogger("clts.imports.services").exception("import %s failed (%s)", 7, error)
            finally:
                console.setStream(stream)
    printed = printed_to.getvalue()
    assert "import 7 failed" in printed and "canary_rows_age_check" in printed and "Traceback" in printed
    assert CANARY not in printed


def test_every_handler_drops_row_values_and_celery_workers_use_these_handlers(settings):
    from celery.signals import setup_logging

    handlers = settings.LOGGING["handlers"]
    assert all("no_row_values" in handler.get("filters", []) for handler in handlers.values())
    root = logging.getLogger()
    level = root.level
    try:
        # What a worker started with `-l warning` does at start-up: the project's configuration, at that level.
        setup_logging.send(sender=None, loglevel="WARNING", logfile=None, format="", colorize=False)
        assert root.level == logging.WARNING
        assert any(isinstance(f, NoRowValues) for handler in root.handlers for f in handler.filters)
    finally:
        root.setLevel(level)
