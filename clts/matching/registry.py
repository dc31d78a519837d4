"""The registry's records, from the apps that hold them (settings.MATCHING_REGISTRY), for training and keys.

The engine sits below the domain and imports none of it: each app that holds children names a function here that
yields its records in batches (rescue: `rescue.match_records.all_records`).
"""

from collections.abc import Iterator

from clts.core.hooks import hook_functions
from clts.matching.records import Record


def record_batches() -> Iterator[list[Record]]:
    for source in hook_functions("MATCHING_REGISTRY"):
        yield from source()


def all_records() -> list[Record]:
    return [record for batch in record_batches() for record in batch]
