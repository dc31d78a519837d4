"""Blocking keys: which children are worth scoring against a record at all.

Scoring every child of a million against each registration is too slow, and a single key (the name) lets a
thousand namesakes fill the pool before the true child is reached. So each child carries several keys, each a
combination that a re-registration of the same child is likely to keep even when other fields change:
- the whole name (its words in any order), and the Aadhaar hash;
- each name word's sound with the home district, with the year of birth, with the village (and its district), and
  with each word of each parent's name (the family key that tells one Rahul from another);
- each word of a parent's name with the village (and its district) and with the year of birth (a child whose own
  name was written quite differently is still found through the family).
Keys are stored as 64-bit hashes in `childmatchkey` (key, child_id). A query reads at most KEY_CAP children per
key, and ranks the children by the keys they share, each key counting for less the more children it holds, so
the rare keys (a family, an Aadhaar) decide the pool and a common one cannot crowd them out.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.db import connection

from clts.matching.names import phonetic, signature
from clts.matching.records import Record

# The version of the key texts below. Change it whenever a key's text changes: the stored keys are then out of date
# (rebuild them with `train_match_model --keys`), and so is anything that kept hashed keys (an import's checked rows).
KEYS_VERSION = 2  # 2: village keys carry the home district
KEY_CAP = 150  # children read per key
AGE_SPREAD = 2  # years of birth searched either side: ages are reported up to two years off


# The kinds of key, numbered: a key's kind is kept in its top bits, so that SQL can pick keys by kind (the
# nightly pass pairs children only on the kinds that a child registered twice keeps).
KINDS = ("a", "s", "nd", "ny", "nv", "np", "pv", "py")
KIND_BITS = 60  # kind << 60 | 60 bits of hash: a non-negative bigint


@lru_cache(maxsize=1 << 19)  # about half a million texts: a night's pass meets the same ones again and again
def hash_key(text: str) -> int:
    """A 64-bit key for PostgreSQL's bigint: the kind of key (its text up to ":") in the top bits, then a hash.
    Remembered for the most recent texts: a register repeats names, parents, villages and years down its rows."""
    kind = KINDS.index(text.split(":", 1)[0])
    digest = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return (kind << KIND_BITS) | (digest & ((1 << KIND_BITS) - 1))


def kind_range(kind: str) -> tuple[int, int]:
    """The lowest and highest key of one kind."""
    number = KINDS.index(kind)
    return number << KIND_BITS, ((number + 1) << KIND_BITS) - 1


def _sounds(record: Record) -> tuple[str, set[str]]:
    """The village's sound, with the home district where known, and the parents' word sounds.

    A village's name repeats across the state (a Rampur in most districts), so a village key without its district
    gathers hundreds of families at a million children and the cap reads only some of them; with it, a parent's name
    and the village hold one family."""
    village = "".join(sorted(phonetic(word) for word in record.village_words))
    if village and record.district_id:
        village = f"{village}@{record.district_id}"
    return village, {phonetic(word) for _role, words in record.parents for word in words}


def _fixed_texts(record: Record, village: str, parent_sounds: set[str]) -> set[str]:
    """The keys that carry no year of birth."""
    texts: set[str] = set()
    if record.aadhaar_hash:
        texts.add(f"a:{record.aadhaar_hash}")
    if record.name_words:
        texts.add(f"s:{signature(record.name_words)}")
    for sound in record.name_phonetics:
        if record.district_id:
            texts.add(f"nd:{sound}:{record.district_id}")
        if village:
            texts.add(f"nv:{sound}:{village}")
        for parent in parent_sounds:
            texts.add(f"np:{sound}:{parent}")
    if village:
        for parent in parent_sounds:
            texts.add(f"pv:{parent}:{village}")
    return texts


def _year_texts(record: Record, parent_sounds: set[str], years: tuple[int, ...]) -> set[str]:
    """The keys that carry a year of birth, for each of these years."""
    texts: set[str] = set()
    for year in years:
        for sound in record.name_phonetics:
            texts.add(f"ny:{sound}:{year}")
        for parent in parent_sounds:
            texts.add(f"py:{parent}:{year}")
    return texts


def _key_texts(record: Record, years: tuple[int, ...]) -> set[str]:
    village, parent_sounds = _sounds(record)
    return _fixed_texts(record, village, parent_sounds) | _year_texts(record, parent_sounds, years)


def key_texts(record: Record) -> set[str]:
    """The keys stored for a child, before hashing ("np:rhl:rmx", ...)."""
    year = record.birth_year
    return _key_texts(record, (year,) if year else ())


def record_keys(record: Record) -> set[int]:
    """The keys stored for a child."""
    return {hash_key(text) for text in key_texts(record)}


def query_keys(record: Record) -> set[int]:
    """The keys looked up for a record: those of its own, with the year of birth two years either way."""
    year = record.birth_year
    years = tuple(range(year - AGE_SPREAD, year + AGE_SPREAD + 1)) if year else ()
    return {hash_key(text) for text in _key_texts(record, years)}


def stored_and_query_keys(record: Record) -> tuple[set[int], set[int]]:
    """`record_keys(record)` and `query_keys(record)` at once: the texts worked out once (the query keys are the
    stored ones and the same years-of-birth keys for the years either side), each distinct text hashed once per
    process (a pass over many records meets the same texts again and again: "ny:rhl:2012")."""
    village, parent_sounds = _sounds(record)
    stored = {hash_key(text) for text in _fixed_texts(record, village, parent_sounds)}
    year = record.birth_year
    if not year:
        return stored, stored
    stored |= {hash_key(text) for text in _year_texts(record, parent_sounds, (year,))}
    around = tuple(other for other in range(year - AGE_SPREAD, year + AGE_SPREAD + 1) if other != year)
    return stored, stored | {hash_key(text) for text in _year_texts(record, parent_sounds, around)}


def query_and_record_keys(query: Record, stored: Record) -> tuple[set[int], list[int]]:
    """`query_keys(query)` and `record_keys(stored)`, each distinct key text hashed once per process (`hash_key`
    remembers): a new child's stored keys are mostly among the keys looked up for it (a bulk import looks a row up,
    then writes its keys)."""
    year = query.birth_year
    years = tuple(range(year - AGE_SPREAD, year + AGE_SPREAD + 1)) if year else ()
    return {hash_key(text) for text in _key_texts(query, years)}, [hash_key(text) for text in key_texts(stored)]


def candidate_ids(record: Record, *, pool: int, exclude: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Children worth scoring against the record, most promising first (at most `pool`).

    One statement: every key looked up at once (at most KEY_CAP children each, an index-only scan of the primary
    key), each key's children weighted by 1 / (children read for it), summed per child and ranked in the database,
    so that only the pool comes back (not the thousands of rows read). The sums are rounded before ranking, so that
    the order the rows arrive in cannot reorder equal sums; ties go to the newer child. (The shares are float8: numeric
    division made the statement about twice as slow, at 50,000 children.)
    """
    keys = sorted(query_keys(record))
    if not keys:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT h.child_id
            FROM (
                SELECT c.child_id, 1.0::float8 / count(*) OVER (PARTITION BY k.key) AS share
                FROM unnest(%s::bigint[]) AS k(key)
                CROSS JOIN LATERAL (
                    SELECT child_id FROM childmatchkey WHERE key = k.key ORDER BY child_id DESC LIMIT %s
                ) AS c
            ) AS h
            WHERE h.child_id <> ALL(%s::bigint[])
            GROUP BY h.child_id
            ORDER BY round(sum(h.share)::numeric, 9) DESC, h.child_id DESC
            LIMIT %s
            """,
            [keys, KEY_CAP, sorted(exclude), pool],
        )
        return [child_id for (child_id,) in cursor.fetchall()]
