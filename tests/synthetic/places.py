"""Where the synthetic children come from: Bihar's districts and blocks from the project's LGD files, and villages.

Districts and blocks (with their LGD codes) are read from clts/geo/data, the files `load_lgd` loads, so a
record's home district and block exist in any database that ran `load_lgd`. Children are not spread evenly:
rescued children come from some districts far more than from others, and within a district from some blocks and
villages more than others. The draw is Zipf-like over a seeded order of districts (and of each district's blocks),
so the concentration is realistic in shape without claiming which district sends the most children.

Villages are not in the LGD files the project ships, so village names are made from common elements of Bihar's
place names (Ram + pur, Bishun + pur, Pipra, Semri + tola ...). Like real village names they repeat from block to
block: "Rampur" of one block is not "Rampur" of the next, so a village name is evidence only with its block.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.synthetic.names import Token, zipf_weights

DATA = Path(__file__).resolve().parents[2] / "clts" / "geo" / "data"


@dataclass(frozen=True)
class District:
    lgd_code: int
    name: str
    name_hi: str


@dataclass(frozen=True)
class Block:
    lgd_code: int
    name: str
    name_hi: str
    district: District
    villages: tuple[Token, ...]
    village_weights: tuple[float, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


_STEMS = (
    "Ram राम, Bishun बिशुन, Madho माधो, Chand चांद, Shiv शिव, Hari हरि, Sita सीता, Mahadev महादेव, "
    "Bhawani भवानी, Narayan नारायण, Gopal गोपाल, Sultan सुल्तान, Fateh फतेह, Kamal कमाल, Ratan रतन, Dev देव, "
    "Raghu रघु, Sona सोना, Rup रूप, Keshav केशव, Anand आनंद, Jagdish जगदीश, Nawab नवाब, Bela बेला, Amar अमर, "
    "Khajuri खजुरी, Dumra डुमरा, Pipra पिपरा, Semri सेमरी, Barauli बरौली, Tetri तेतरी, Jamuni जामुनी, "
    "Baghi बाघी, Mahuli महुली, Sarai सराय, Bhagwan भगवान, Kishun किशुन, Lal लाल, Dharam धरम, Mirza मिर्ज़ा"
)
_SUFFIXES = "pur पुर, ganj गंज, nagar नगर, tola टोला, dih डीह, bigha बिगहा, chak चक, patti पट्टी, bari बाड़ी, garh गढ़"


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(entry.split()) for entry in text.split(", ")]


@cache
def village_names() -> tuple[Token, ...]:
    """Every village name, the most common first (Rampur, Bishunpur, ... then the bare stems)."""
    stems, suffixes = _pairs(_STEMS), _pairs(_SUFFIXES)
    names = [Token(sl + xl, sd + xd) for xl, xd in suffixes for sl, sd in stems]
    # The most common pairings first: every stem with -pur, then -ganj, ... and the bare stems last.
    names += [Token(sl, sd) for sl, sd in stems]
    return tuple(names)


@cache
def bihar(seed: int = 0) -> tuple[tuple[District, ...], tuple[float, ...]]:
    """Bihar's districts in a seeded order of popularity, with their Zipf weights and their blocks."""
    districts = [
        District(int(row["District Code"]), row["District Name (In English)"], row["District Name (In Local language)"])
        for row in _rows(DATA / "districts_bihar.csv")
    ]
    random.Random(f"districts-{seed}").shuffle(districts)
    return tuple(districts), tuple(zipf_weights(len(districts), 0.9, offset=3))


@cache
def blocks_of(district: District, seed: int = 0) -> tuple[tuple[Block, ...], tuple[float, ...]]:
    """A district's blocks in a seeded order of popularity, each with its villages, and the blocks' weights."""
    rng = random.Random(f"blocks-{seed}-{district.lgd_code}")
    rows = [row for row in _rows(DATA / "blocks_bihar.csv") if int(row["District Code"]) == district.lgd_code]
    rng.shuffle(rows)
    pool = village_names()
    pool_weights = zipf_weights(len(pool), 0.6, offset=5)
    blocks = []
    for row in rows:
        count = rng.randint(25, 60)
        chosen: dict[str, Token] = {}
        while len(chosen) < count:
            token = rng.choices(pool, pool_weights)[0]
            chosen.setdefault(token.latin, token)
        villages = tuple(chosen.values())
        blocks.append(
            Block(
                lgd_code=int(row["Block Code"]),
                name=row["Block Name (In English)"],
                name_hi=row["Block Name (In Local language)"],
                district=district,
                villages=villages,
                village_weights=tuple(zipf_weights(len(villages), 1.0, offset=2)),
            )
        )
    return tuple(blocks), tuple(zipf_weights(len(blocks), 0.8, offset=2))
