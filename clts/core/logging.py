"""Log filters: a URL's query string never reaches a log line (it may carry what a person typed)."""

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
