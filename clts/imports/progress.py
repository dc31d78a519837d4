"""Progress of a running import, written on a connection of its own so the page sees it while the import's
transaction is still open (what the transaction writes is invisible until it commits, and a lock on the job's row
would make the page wait)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


class Progress:
    """`Progress(job_id)` as a context manager; calling it with the rows done so far records them."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.connection = None

    def __enter__(self) -> Progress:
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        return self

    def __call__(self, rows_done: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("UPDATE imports_importjob SET rows_done = %s WHERE id = %s", [rows_done, self.job_id])

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            self.connection.close()
