"""PostgreSQL settings for one query: `SET LOCAL` lasts until the end of the transaction it is issued in."""

import re
from contextlib import contextmanager

from django.db import connection, transaction

# Setting names are SQL identifiers and cannot be bound as parameters: only plain dotted names pass.
_SETTING = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")


@contextmanager
def local_settings(**values):
    """Inside a transaction of its own, PostgreSQL settings for the queries run in the block, e.g.
    `with local_settings(pg_trgm__similarity_threshold=0.45): list(queryset)` (double underscore for the dot).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for name, value in values.items():
            setting = name.replace("__", ".")
            if not _SETTING.match(setting):
                raise ValueError(f"not a PostgreSQL setting name: {setting!r}")
            cursor.execute(f"SET LOCAL {setting} = %s", [value])
        yield
