"""No log line carries a query string: runserver's request lines and Django's request warnings."""

import logging

from clts.core.logging import NoQueryStrings, without_query


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
