"""The garbage collector paused while a bulk job makes objects that all live until it ends.

A large import's rows are millions of small objects (dicts, records, keys), none of them garbage until the job is
done; each full pass of the collector walks them all again, and a job makes enough of them to trigger many passes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No collection pass inside the block; the collector is left as it was found (a caller that paused it already
    keeps it paused)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
