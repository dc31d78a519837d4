"""Synthetic legacy registers for the import tests, the e2e test and the benchmark (no real person in them).

A register is the layout a district office kept: English headers with the variants registers use, a title line
above them, dates written dd-mm-yyyy, ages as digits, Hindi names for some children. `bad_rows` spoils rows in the
ten ways the acceptance lists, five rows of each, and says which line and column each should be reported at.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

HEADERS = [
    "S.No.",
    "Name of Child",
    "Father Name",
    "Mother's Name",
    "Gender",
    "Age",
    "Home District",
    "Village",
    "Date of Rescue",
    "District",
    "Block",
    "Type of Work",
    "Rescued by",
    "Name of Establishment",
    "Date of Production",
]
TITLE = ["Register of children rescued from child labour, district labour office", "", ""]
FIRST = ["Ramesh", "Suresh", "Pappu", "Guddu", "Sonu", "Monu", "Raju", "Anil", "Sunil", "Mohan", "Rakesh", "Vikash"]
FIRST_HI = ["रमेश", "सुरेश", "पप्पू", "गुड्डू", "सोनू", "मोनू", "राजू", "अनिल"]
GIRLS = ["Puja", "Rani", "Kajal", "Priti", "Khushi", "Anjali", "Neha", "Sita"]
LAST = ["Kumar", "Paswan", "Manjhi", "Yadav", "Ram", "Mandal", "Sah", "Das", "Rajak", "Turi", "Mahto"]
FATHERS = ["Ramdeo", "Shivnath", "Bhola", "Jagdish", "Ramesh", "Kailash", "Dinesh", "Naresh", "Mahesh", "Lalan"]
MOTHERS = ["Sunita Devi", "Rinku Devi", "Lalita Devi", "Kiran Devi", "Meena Devi", "Savitri Devi"]
VILLAGES = ["Dumri", "Barachatti", "Mohanpur", "Kharar", "Sonbarsa", "Belaganj", "Tekari", "Amas"]
# District names as registers spell them: Purnea for Purnia, Muzaffarpur both ways, Gaya in Devanagari.
HOME_DISTRICTS = ["Gaya", "Purnea", "Purnia", "Patna", "Mujaffarpur", "Muzaffarpur", "गया", "Nalanda", "Araria"]
WORK = ["Brick kiln", "Hotel, dhaba or restaurant", "domestic", "Garment and embroidery (zari)", "Agriculture",
        "Construction", "Automobile workshop", "ईंट भट्ठा"]  # fmt: skip
LED_BY = ["Labour department", "Police", "labour", "NGO", "AHTU"]
ESTABLISHMENTS = ["Maa Tara Hotel", "Laxmi Bricks", "New Auto Garage", "Shiv Dhaba", "Raj Garments"]


_CONSONANTS, _VOWELS = "bdgklmnprt", "aiou"


def _word(n: int) -> str:
    """A pronounceable word for each number, no two alike even after name folding (consonant-vowel syllables)."""
    syllables = []
    while True:
        n, rest = divmod(n, 40)
        syllables.append(_CONSONANTS[rest // 4] + _VOWELS[rest % 4])
        if n == 0:
            break
    return "".join(syllables).capitalize()


@dataclass
class Register:
    rows: list[list[str]]  # data rows, without the title and header lines
    headers: list[str] = field(default_factory=lambda: list(HEADERS))

    # The file's line of data row i: a title line, a blank line, the header line, then the rows.
    FIRST_LINE = 4

    def line_of(self, index: int) -> int:
        return self.FIRST_LINE + index

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(TITLE)
        writer.writerow([])
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(TITLE)
        sheet.append([])
        sheet.append(self.headers)
        for row in self.rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def register(count: int, *, seed: int = 7, start: date = date(2015, 1, 5), cwc: str | None = None) -> Register:
    """`count` distinct valid rows (each child once), rescued between 2015 and 2024 in Gaya's blocks. With `cwc`,
    a last column names the CWC the children were produced before (needed where Gaya has several)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        girl = rng.random() < 0.2
        if girl:
            first = rng.choice(GIRLS)
        elif rng.random() < 0.15:
            first = rng.choice(FIRST_HI)
        else:
            first = rng.choice(FIRST)
        # A made-up word from the serial number keeps every child distinct however often names repeat (they do in
        # Bihar); digits would not, as matching keys keep only letters.
        name = f"{first} {rng.choice(LAST)} {_word(i)}"
        rescued = start + timedelta(days=rng.randrange(0, 3500))
        produced = rescued + timedelta(days=rng.choice((0, 0, 1)))
        rows.append(
            [
                str(i + 1),
                name,
                f"{rng.choice(FATHERS)} {rng.choice(LAST)}",
                rng.choice(MOTHERS),
                rng.choice(("F", "Female", "महिला")) if girl else rng.choice(("M", "Male", "पुरुष", "m")),
                str(rng.randint(8, 17)),
                rng.choice(HOME_DISTRICTS),
                rng.choice(VILLAGES),
                rescued.strftime(rng.choice(("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%y", "%Y-%m-%d"))),
                "Gaya",
                rng.choice(("Bodh Gaya", "Sherghati", "")),
                rng.choice(WORK),
                rng.choice(LED_BY),
                rng.choice(ESTABLISHMENTS),
                produced.strftime("%d-%m-%Y"),
                *([cwc] if cwc else []),
            ]
        )
    return Register(rows, headers=[*HEADERS, "CWC"] if cwc else list(HEADERS))


COLUMN = {header: index for index, header in enumerate(HEADERS)}
# The ten ways a row goes wrong, each: (column header it is reported at, how to spoil the row).
SPOILERS = {
    "impossible date": ("Date of Rescue", lambda row, rows: row.__setitem__(COLUMN["Date of Rescue"], "31-02-2016")),
    "non-numeric age": ("Age", lambda row, rows: row.__setitem__(COLUMN["Age"], "about ten")),
    "blank name": ("Name of Child", lambda row, rows: row.__setitem__(COLUMN["Name of Child"], "  ")),
    "unknown district": ("Home District", lambda row, rows: row.__setitem__(COLUMN["Home District"], "Gotham")),
    "adult age": ("Age", lambda row, rows: row.__setitem__(COLUMN["Age"], "19")),
    "invalid choice": ("Type of Work", lambda row, rows: row.__setitem__(COLUMN["Type of Work"], "Space travel")),
    "over-long text": ("Name of Child", lambda row, rows: row.__setitem__(COLUMN["Name of Child"], "Ram " * 40)),
    "duplicate row": ("Name of Child", None),  # a copy of the row above, placed just after it
    "formula-looking cell": ("Father Name", lambda row, rows: row.__setitem__(COLUMN["Father Name"], "=HYPERLINK(1)")),
    "production before rescue": (
        "Date of Production",
        lambda row, rows: row.__setitem__(COLUMN["Date of Production"], "01-01-2015"),
    ),
}


def with_bad_rows(good: Register, *, per_kind: int = 5, seed: int = 11) -> tuple[Register, list[tuple[int, str]]]:
    """The register with `per_kind` rows spoilt in each of the ten ways; [(line, column header)] expected."""
    rng = random.Random(seed)
    rows = [list(row) for row in good.rows]
    count = len(rows)
    chosen = rng.sample(range(10, count - 10), per_kind * len(SPOILERS))
    expected: list[tuple[int, str]] = []
    duplicates = []
    for n, index in enumerate(chosen):
        kind = list(SPOILERS)[n // per_kind]
        column, spoil = SPOILERS[kind]
        if spoil is None:
            duplicates.append(index)
            continue
        spoil(rows[index], rows)
        # Production before a rescue that is itself later than the production date: make sure it is.
        if kind == "production before rescue":
            rows[index][COLUMN["Date of Rescue"]] = "10-06-2018"
        expected.append((index, column))
    # A duplicate is a copy of another row inserted after it: later rows move down a line.
    for index in sorted(duplicates, reverse=True):
        rows.insert(index + 1, list(rows[index]))
    shifted = []
    for index, column in expected:
        shifted.append((index + sum(1 for d in duplicates if d < index), column))
    for d in duplicates:
        shifted.append((d + 1 + sum(1 for other in duplicates if other < d), "Name of Child"))
    spoilt = Register(rows)
    return spoilt, sorted((spoilt.line_of(index), column) for index, column in shifted)


def corrected(good: Register) -> Register:
    return Register([list(row) for row in good.rows])
