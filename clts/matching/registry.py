"""The registry's records, from the apps that hold them, for training and keys.

The engine sits below the domain and imports none of it: each app that holds children names, in settings, a
function that yields its records in batches (MATCHING_REGISTRY; rescue: `rescue.match_records.all_records`) and
one that yields the pairs people confirmed to be one child (MATCHING_CONFIRMED_PAIRS; rescue: confirmed link
requests and duplicates).
"""

import random
from collections.abc import Iterator

from clts.core.hooks import hook_functions
from clts.matching.records import Record


def record_batches() -> Iterator[list[Record]]:
    for source in hook_functions("MATCHING_REGISTRY"):
        yield from source()


def all_records() -> list[Record]:
    return [record for batch in record_batches() for record in batch]


def sample(size: int, *, seed: int = 0) -> tuple[list[Record], int]:
    """At most `size` records drawn evenly from the whole registry (reservoir sampling), and the registry's size."""
    rng = random.Random(seed)  # noqa: S311  (sampling records, not secrets)
    kept: list[Record] = []
    seen = 0
    for batch in record_batches():
        for record in batch:
            seen += 1
            if len(kept) < size:
                kept.append(record)
            else:
                slot = rng.randrange(seen)
                if slot < size:
                    kept[slot] = record
    return kept, seen


def confirmed_pairs() -> list[tuple[Record, Record]]:
    return [pair for source in hook_functions("MATCHING_CONFIRMED_PAIRS") for pair in source()]
