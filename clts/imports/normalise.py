"""Cells of a legacy register turned into values, before any rule is checked; what cannot be read is reported.

Nothing is guessed: a date that does not exist (31-02-2015), an age in words, a place that matches no district or
two equally well, raise `Unreadable` with a message for the admin. Text keeps its script (Devanagari stays
Devanagari, normalised to NFC so that the same name typed on two keyboards is the same string); spaces are trimmed
and runs of spaces made one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.core.spreadsheets import FORMULA_STARTS
from clts.geo.models import Block, District, State
from rescue.matching import name_key


class Unreadable(ValueError):
    """A cell that cannot be turned into a value; the message is shown with the line and column."""


_SPACES = re.compile(r"\s+")
# Devanagari digits (०-९) are digits too.
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def text(value) -> str:
    """Trimmed text with single spaces, in NFC; a formula-looking cell is refused (it would run in a spreadsheet)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    if raw.startswith(FORMULA_STARTS) and not _is_number(raw):
        raise Unreadable(_("The cell holds a spreadsheet formula or starts like one; type the value itself."))
    # str.split() splits at what `\s+` matches and drops the ends: a third of the regular expression's time.
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _is_number(raw: str) -> bool:
    try:
        float(raw)
        return True
    except ValueError:
        return False


# --- Dates ---------------------------------------------------------------------------------------------------

# Excel's day 0 is 1899-12-30 (the 1900 leap-year bug is before day 61, far earlier than any register).
_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
# Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 (registers begin in 2014; births in the 1990s).
_PIVOT = 70
DATE_FORMATS = gettext_lazy("dd-mm-yyyy, dd/mm/yyyy, dd.mm.yy, yyyy-mm-dd or an Excel date")


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Unreadable(
            _("%(day)02d-%(month)02d-%(year)s is not a date that exists.") % {"day": day, "month": month, "year": year}
        ) from None


def parse_date(value) -> date | None:
    """A date from the formats registers use; None for an empty cell; Unreadable for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value))
    raw = text(value).translate(_DEVANAGARI_DIGITS)
    if not raw:
        return None
    # "2015-03-04 00:00:00" as a spreadsheet program may write a date cell into CSV.
    raw = re.sub(r"[ T]00:00(:00)?$", "", raw)
    if match := _YMD.match(raw):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day)
    if match := _DMY.match(raw):
        day, month, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            year += 1900 if year >= _PIVOT else 2000
        return _make_date(year, int(month), int(day))
    if _SERIAL.match(raw):
        return _from_serial(float(raw))
    raise Unreadable(_("This is not a date. Write it as %(formats)s.") % {"formats": DATE_FORMATS})


def _from_serial(serial: float) -> date:
    # Excel serials for 1950-2100; anything else is a number that is not a date.
    if not 18264 <= serial <= 73415 or not float(serial).is_integer():
        raise Unreadable(_("This is not a date. Write it as %(formats)s.") % {"formats": DATE_FORMATS})
    return _EXCEL_EPOCH + timedelta(days=int(serial))


# --- Numbers ---------------------------------------------------------------------------------------------------

_AGE = re.compile(r"^(\d{1,3})\s*(y|yr|yrs|year|years|वर्ष|वर्ष|साल|बरस)?\.?$", re.IGNORECASE)


def parse_age(value) -> int | None:
    """Completed years written in digits (Latin or Devanagari), optionally followed by "years"/"yrs"/"वर्ष"."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise Unreadable(_("Give the age in whole years, in digits."))
    raw = text(value).translate(_DEVANAGARI_DIGITS)
    if not raw:
        return None
    match = _AGE.match(raw)
    if not match:
        raise Unreadable(_("Give the age in whole years, in digits."))
    return int(match.group(1))


def parse_whole(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value >= 0:
        return int(value)
    raw = text(value).translate(_DEVANAGARI_DIGITS).replace(",", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Unreadable(_("Give a whole number, in digits."))
    return int(raw)


def parse_amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    raw = text(value).translate(_DEVANAGARI_DIGITS).replace(",", "").removeprefix("₹").removeprefix("Rs.").strip()
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise Unreadable(_("Give an amount in rupees, in digits.")) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise Unreadable(_("Give an amount in rupees, in digits."))
    return amount


# --- Choices ---------------------------------------------------------------------------------------------------

_YES = {"y", "yes", "true", "1", "हाँ", "हां", "हा", "हाँ।"}
_NO = {"n", "no", "false", "0", "नहीं", "ना", "नही"}


def parse_yes_no(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if not raw:
        return None
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise Unreadable(_("Write yes or no (हाँ / नहीं)."))


_SEX = {
    "m": "m", "male": "m", "boy": "m", "b": "m", "पुरुष": "m", "पु": "m", "लड़का": "m", "लडका": "m", "बालक": "m",
    "f": "f", "female": "f", "girl": "f", "g": "f", "स्त्री": "f", "महिला": "f", "म": "f", "लड़की": "f",
    "लडकी": "f", "बालिका": "f",
    "o": "o", "t": "o", "other": "o", "transgender": "o", "tg": "o", "ट्रांसजेंडर": "o", "अन्य": "o",
}  # fmt: skip


def parse_sex(value) -> str:
    raw = text(value).lower().rstrip(".")
    if not raw:
        return ""
    sex = _SEX.get(unicodedata.normalize("NFC", raw))
    if sex is None:
        raise Unreadable(_("Write the sex as M, F or T (or पुरुष / महिला)."))
    return sex


def choice_reader(choices, extra: dict[str, str] | None = None):
    """A reader for a TextChoices field that accepts the code, the English label or the Hindi label, and the
    words registers use for a choice (`extra`: word -> code)."""
    from django.utils import translation

    known: dict[str, str] = {_fold(word): code for word, code in (extra or {}).items()}
    for code, label in choices.choices:
        known[code.lower()] = code
        known[_fold(str(label))] = code
        with translation.override("hi"):
            known[_fold(str(label))] = code
    for code, label in choices.choices:
        known.setdefault(_fold(str(label).split(",")[0].split("(")[0]), code)

    def read(value) -> str:
        raw = text(value)
        if not raw:
            return ""
        code = known.get(raw.lower()) or known.get(_fold(raw))
        if code is None:
            raise Unreadable(
                _("“%(value)s” is not one of the choices: %(choices)s.")
                % {"value": raw[:40], "choices": ", ".join(str(label) for _code, label in choices.choices)}
            )
        return code

    return read


def _fold(label: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", label).lower().replace("-", " ")).strip()


# --- Places ----------------------------------------------------------------------------------------------------


def place_key(name: str) -> str:
    """A place name folded across scripts and spellings: Purnea, Purnia and पूर्णिया give one key."""
    key = name_key(name).replace(" ", "")
    for pattern, replacement in (("iya", "ia"), ("ea", "ia"), ("ee", "i"), ("oo", "u"), ("w", "v"), ("y", "i")):
        key = key.replace(pattern, replacement)
    return key


# A spelling this close to exactly one known name is taken as that name (Mujaffarpur, Purniya, Begusaray).
FUZZY_CUTOFF = 0.84


class Places:
    """The state's districts and blocks, looked up by LGD code, English or Hindi name, and spelling variants."""

    def __init__(self, state: State):
        self.state = state
        self.districts: dict[str, District | None] = {}
        self.district_codes: dict[int, District] = {}
        self.blocks: dict[int, dict[str, Block | None]] = {}
        self.block_codes: dict[int, Block] = {}
        self._cache: dict[int, dict] = {}
        for district in District.objects.filter(state=state):
            self._add(self.districts, district, district.name_en, district.name_hi)
            if district.lgd_code:
                self.district_codes[district.lgd_code] = district
        for block in Block.objects.filter(district__state=state):
            self._add(self.blocks.setdefault(block.district_id, {}), block, block.name_en, block.name_hi)
            if block.lgd_code:
                self.block_codes[block.lgd_code] = block

    @staticmethod
    def _add(index: dict, place, *names: str) -> None:
        for name in names:
            if name:
                key = place_key(name)
                # Two places with one key (rare) are ambiguous: neither is chosen for that spelling.
                index[key] = place if index.get(key, place) == place else None

    def _find(self, index: dict, raw: str):
        # A register repeats the same few place names down thousands of rows: each spelling is folded once.
        cache = self._cache.setdefault(id(index), {})
        if raw not in cache:
            cache[raw] = self._closest(index, raw)
        return cache[raw]

    @staticmethod
    def _closest(index: dict, raw: str):
        key = place_key(raw)
        if key in index:
            return index[key]
        close = difflib.get_close_matches(key, list(index), n=2, cutoff=FUZZY_CUTOFF)
        if len(close) == 1 or (
            len(close) == 2
            and difflib.SequenceMatcher(None, key, close[0]).ratio()
            - difflib.SequenceMatcher(None, key, close[1]).ratio()
            > 0.08
        ):
            return index[close[0]]
        return None

    def district(self, value) -> District | None:
        raw = text(value)
        if not raw:
            return None
        if raw.isdigit() and int(raw) in self.district_codes:
            return self.district_codes[int(raw)]
        found = self._find(self.districts, raw)
        if found is None:
            raise Unreadable(
                _("No district of %(state)s is called “%(value)s” (nor anything close enough to be sure).")
                % {"state": self.state.name, "value": raw[:60]}
            )
        return found

    def block(self, value, district: District | None) -> Block | None:
        raw = text(value)
        if not raw:
            return None
        if raw.isdigit() and int(raw) in self.block_codes:
            return self.block_codes[int(raw)]
        if district is None:
            raise Unreadable(_("A block is read within its district: give the district too."))
        found = self._find(self.blocks.get(district.pk, {}), raw)
        if found is None:
            raise Unreadable(
                _("No block of %(district)s is called “%(value)s” (nor anything close enough to be sure).")
                % {"district": district.name, "value": raw[:60]}
            )
        return found
