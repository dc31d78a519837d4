"""Log filters: a URL's query string never reaches a log line (it may carry what a person typed), nor do the values
of a database row that PostgreSQL puts into an error (a child's name, in "Failing row contains (...)")."""

import logging
import re

# A path followed by a query string: the path is kept, the query dropped.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def without_query(text: str) -> str:
    return _QUERY.sub(r"\1", text)


class NoQueryStrings(logging.Filter):
    """Drops query strings from a record's message and arguments (runserver's request lines, django.request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


# PostgreSQL's DETAIL and CONTEXT parts of an error carry a row's values: "DETAIL:  Failing row contains (<every
# column>)", "CONTEXT:  COPY rescue_child, line 3: <the line>". Each is cut to its label up to the end of its line,
# a real line end or an escaped one (an exception's repr in one line, as Celery logs a task's failure).
_ROW_VALUES = re.compile(r"(DETAIL|CONTEXT):(?:(?!\\n)[^\n])*")


def without_row_values(text: str) -> str:
    return _ROW_VALUES.sub(r"\1: (left out of the log: it may hold a record's values)", text)


class NoRowValues(logging.Filter):
    """Drops the row values of a database error from a record's message, arguments and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_row_values(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_row_values(str(arg)) if isinstance(arg, (str, BaseException)) else arg for arg in record.args
            )
        if record.exc_info and not record.exc_text:
            # The traceback formatted here, as the handler's formatter would, and kept on the record: the
            # formatter then prints this text instead of formatting the exception again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_row_values(record.exc_text)
        return True
