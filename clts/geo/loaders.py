"""Reading Local Government Directory (LGD) CSV downloads and loading them into the geo tables idempotently."""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Block, District, Panchayat, State, Village

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FILES = {
    "states": DATA_DIR / "states.csv",
    "districts": DATA_DIR / "districts_bihar.csv",
    "blocks": DATA_DIR / "blocks_bihar.csv",
}
LEVELS = ("states", "districts", "blocks", "panchayats", "villages")
LEVEL_NAMES = {
    "states": gettext_lazy("States"),
    "districts": gettext_lazy("Districts"),
    "blocks": gettext_lazy("Blocks"),
    "panchayats": gettext_lazy("Panchayats"),
    "villages": gettext_lazy("Villages"),
}
# Rows are read, matched and written this many at a time, so an all-India villages file never sits in memory whole.
BATCH_SIZE = 5000
# A title line may precede the header in some downloads; the header is looked for this far down.
HEADER_SEARCH_ROWS = 5

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ROMAN_NUMERALS = {"i", "ii", "iii", "iv"}
SMALL_WORDS = {"and", "of", "the"}
EMPTY_CODES = {"", "-", "na", "n/a", "nil"}


class LoadError(Exception):
    """A file that cannot be loaded as it stands; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Column:
    label: str
    aliases: tuple[str, ...]


def _normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _name_columns(prefix: str, label: str, *extra: str) -> dict[str, Column]:
    """English, local-language and Hindi name columns of one level, in LGD's spellings and their variants."""
    # LGD files sometimes head both name columns "X Name": the second of the pair is the local-language one.
    return {
        f"{prefix}_name": Column(f"{label} Name (In English)", (f"{prefix}nameinenglish", f"{prefix}name", *extra)),
        f"{prefix}_local": Column(
            f"{label} Name (In Local language)",
            (f"{prefix}nameinlocallanguage", f"{prefix}nameinlocal", f"{prefix}name#2"),
        ),
        f"{prefix}_hindi": Column(f"{label} Name (In Hindi)", (f"{prefix}nameinhindi",)),
    }


COLUMNS: dict[str, Column] = {
    "state_code": Column("State Code", ("statecode", "statelgdcode")),
    **_name_columns("state", "State"),
    "state_or_ut": Column("State or UT", ("stateorut",)),
    "district_code": Column("District Code", ("districtcode", "districtlgdcode")),
    **_name_columns("district", "District"),
    "subdistrict_name": Column("Sub-District Name", ("subdistrictnameinenglish", "subdistrictname")),
    "block_code": Column("Block Code", ("blockcode", "blocklgdcode")),
    **_name_columns("block", "Block"),
    "panchayat_code": Column(
        "Gram Panchayat Code", ("grampanchayatcode", "panchayatcode", "gpcode", "localbodycode", "lbcode")
    ),
    "panchayat_name": Column(
        "Gram Panchayat Name (In English)",
        (
            "grampanchayatnameinenglish",
            "grampanchayatname",
            "panchayatnameinenglish",
            "panchayatname",
            "localbodynameinenglish",
            "localbodyname",
        ),
    ),
    "panchayat_local": Column(
        "Gram Panchayat Name (In Local language)",
        (
            "grampanchayatnameinlocallanguage",
            "panchayatnameinlocallanguage",
            "localbodynameinlocallanguage",
            "localbodynameinlocal",
        ),
    ),
    "panchayat_hindi": Column("Gram Panchayat Name (In Hindi)", ("grampanchayatnameinhindi", "panchayatnameinhindi")),
    "village_code": Column("Village Code", ("villagecode", "villagelgdcode")),
    **_name_columns("village", "Village"),
    "short_code": Column("Short Code", ("shortcode", "stateshortcode", "districtshortcode")),
}


@dataclass(frozen=True)
class LevelSpec:
    model: type
    prefix: str
    parent_attname: str | None
    required: tuple[str, ...]
    optional: tuple[str, ...]


SPECS = {
    "states": LevelSpec(
        State, "state", None, ("state_name",), ("state_code", "state_local", "state_hindi", "state_or_ut", "short_code")
    ),
    "districts": LevelSpec(
        District,
        "district",
        "state_id",
        ("state_code", "district_name"),
        ("district_code", "district_local", "district_hindi", "short_code"),
    ),
    "blocks": LevelSpec(
        Block, "block", "district_id", ("district_code", "block_name"), ("block_code", "block_local", "block_hindi")
    ),
    "panchayats": LevelSpec(
        Panchayat,
        "panchayat",
        "block_id",
        ("block_code", "panchayat_name"),
        ("panchayat_code", "panchayat_local", "panchayat_hindi"),
    ),
    "villages": LevelSpec(
        Village,
        "village",
        "district_id",
        ("district_code", "village_name"),
        ("village_code", "village_local", "village_hindi", "subdistrict_name", "block_code", "panchayat_code"),
    ),
}


@dataclass
class Row:
    """One data row of a file: its line number and its cells keyed by field name."""

    path: Path
    line: int
    cells: dict[str, str]

    def text(self, name: str) -> str:
        return " ".join(self.cells.get(name, "").split())

    def code(self, name: str) -> int | None:
        """An LGD code: digits, possibly written "28.0" by a spreadsheet; empty, "-" or "NA" for none."""
        raw = self.cells.get(name, "").strip()
        if raw.lower() in EMPTY_CODES:
            return None
        match = re.fullmatch(r"0*(\d+)(?:\.0+)?", raw)
        if not match:
            raise LoadError(
                _("%(file)s, line %(line)d: %(column)s is not a code: %(value)r")
                % {"file": self.path, "line": self.line, "column": COLUMNS[name].label, "value": raw}
            )
        # LGD writes 0 where a unit has no code (new units have no census code, for instance).
        return int(match.group(1)) or None

    def name_en(self, prefix: str, limit: int) -> str:
        return self.fit(f"{prefix}_name", english_name(self.text(f"{prefix}_name")), limit)

    def name_hi(self, prefix: str, limit: int) -> str:
        hindi = self.text(f"{prefix}_hindi")
        if not hindi:
            local = self.text(f"{prefix}_local")
            # LGD's local-language column often repeats the English name in capitals, or holds another script;
            # only a Devanagari value can stand as the Hindi name.
            hindi = local if DEVANAGARI.search(local) else ""
        return self.fit(f"{prefix}_hindi", hindi, limit)

    def fit(self, name: str, value: str, limit: int) -> str:
        if len(value) > limit:
            raise LoadError(
                _("%(file)s, line %(line)d: %(column)s is longer than %(limit)d characters")
                % {"file": self.path, "line": self.line, "column": COLUMNS[name].label, "limit": limit}
            )
        return value


def english_name(name: str) -> str:
    """LGD's English name, with names written all in capitals put into title case."""
    if name != name.upper():
        return name

    def word(match: re.Match) -> str:
        text = match.group(0).lower()
        if text in ROMAN_NUMERALS:
            return text.upper()
        if text in SMALL_WORDS and match.start() > 0:
            return text
        return text.capitalize()

    return re.sub(r"[^\W\d_]+", word, name)


class Table:
    """A CSV download read row by row, tolerant of a BOM, comment and blank lines, and header spelling variants."""

    def __init__(self, path: Path, level: str):
        self.path = Path(path)
        self.level = level
        self.spec = SPECS[level]
        if not self.path.is_file():
            raise LoadError(_("%(file)s: no such file") % {"file": self.path})
        self.positions: dict[str, int] = {}
        self._handle = None
        self._reader = None
        self._line = [0]

    def __enter__(self) -> "Table":
        self._handle = self.path.open(encoding="utf-8-sig", newline="")
        self._open()
        return self

    def __exit__(self, *exc_info) -> None:
        self._handle.close()

    def _content_lines(self) -> Iterator[str]:
        for number, line in enumerate(self._handle, start=1):
            stripped = line.strip().lstrip("\ufeff")
            if not stripped or stripped.startswith("#"):
                continue
            self._line[0] = number
            yield line

    def _open(self) -> None:
        lines = self._content_lines()
        try:
            first = next(lines, None)
        except UnicodeDecodeError as error:
            raise self._not_utf8() from error
        if first is None:
            raise LoadError(_("%(file)s: the file has no header row") % {"file": self.path})
        counts = {delimiter: first.count(delimiter) for delimiter in (",", ";", "\t")}
        self._reader = csv.reader(chain([first], lines), delimiter=max(counts, key=counts.get))
        first_header = None
        for _attempt in range(HEADER_SEARCH_ROWS):
            try:
                header = next(self._reader, None)
            except UnicodeDecodeError as error:
                raise self._not_utf8() from error
            if header is None:
                break
            positions = self._match_header(header)
            if first_header is None:
                first_header = positions
            if all(name in positions for name in self.spec.required):
                self.positions = positions
                return
        missing = [COLUMNS[name].label for name in self.spec.required if name not in (first_header or {})]
        raise LoadError(
            _("%(file)s: required column missing: %(columns)s")
            % {"file": self.path, "columns": ", ".join(f'"{label}"' for label in missing)}
        )

    def _match_header(self, header: list[str]) -> dict[str, int]:
        keys: list[str] = []
        for cell in header:
            key = _normalise_header(cell)
            # A repeated heading gets a numbered key, so "State Name,State Name" reads as English then local.
            keys.append(f"{key}#{keys.count(key) + 1}" if key in keys else key)
        positions: dict[str, int] = {}
        for name in (*self.spec.required, *self.spec.optional):
            for alias in COLUMNS[name].aliases:
                if alias in keys:
                    positions[name] = keys.index(alias)
                    break
        return positions

    def _not_utf8(self) -> LoadError:
        return LoadError(
            _("%(file)s, line %(line)d: the file is not UTF-8 text") % {"file": self.path, "line": self._line[0] + 1}
        )

    def has(self, name: str) -> bool:
        return name in self.positions

    def __iter__(self) -> Iterator[Row]:
        try:
            for cells in self._reader:
                if not any(cell.strip() for cell in cells):
                    continue
                values = {name: cells[index] if index < len(cells) else "" for name, index in self.positions.items()}
                yield Row(self.path, self._line[0], values)
        except UnicodeDecodeError as error:
            raise self._not_utf8() from error
        except csv.Error as error:
            raise LoadError(
                _("%(file)s, line %(line)d: %(error)s") % {"file": self.path, "line": self._line[0], "error": error}
            ) from error


@dataclass
class Item:
    """A row ready to match: its code, its parent and the field values it supplies."""

    line: int
    code: int | None
    parent_id: int | None
    values: dict[str, object]

    @property
    def name_key(self) -> str:
        return str(self.values["name_en"]).lower()


@dataclass
class Result:
    level: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(level)s: %(rows)d rows; %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d skipped (outside --state or parent not loaded)"
        ) % {
            "level": LEVEL_NAMES[self.level],
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def load(files: dict[str, Path], state_code: int | None = None) -> list[Result]:
    """Load the given files (level -> path) in hierarchy order, all or nothing."""
    unknown = set(files) - set(LEVELS)
    if unknown:
        raise LoadError(_("unknown level: %(levels)s") % {"levels": ", ".join(sorted(unknown))})
    # Every header is checked before anything is written, so a wrong file fails fast and cleanly.
    for level, path in files.items():
        with Table(path, level):
            pass
    results = []
    with transaction.atomic():
        for level in LEVELS:
            if level in files:
                results.append(_load_level(level, Path(files[level]), state_code))
    return results


def _load_level(level: str, path: Path, state_code: int | None) -> Result:
    spec = SPECS[level]
    result = Result(level)
    lookups = _Lookups(state_code)
    with Table(path, level) as table:
        rows = iter(table)
        while chunk := list(islice(rows, BATCH_SIZE)):
            result.rows += len(chunk)
            items = []
            for row in chunk:
                item = _prepare(level, table, row, lookups, state_code)
                if item is None:
                    result.skipped += 1
                else:
                    items.append(item)
            if level == "villages":
                _resolve_panchayats(items, lookups)
            try:
                _apply(spec, items, result)
            except IntegrityError as error:
                raise LoadError(
                    _("%(file)s: two %(level)s would share a code or a name within one parent (%(error)s)")
                    % {"file": path, "level": LEVEL_NAMES[level].lower(), "error": str(error).splitlines()[0]}
                ) from error
    return result


class _Lookups:
    """LGD code -> primary key maps of the parent levels, limited to one state when --state is given."""

    def __init__(self, state_code: int | None):
        self.state_code = state_code
        self._maps: dict[str, dict[int, int]] = {}

    def _map(self, key: str) -> dict[int, int]:
        if key not in self._maps:
            queries = {
                "state": (State.objects.all(), "lgd_code"),
                "district": (District.objects.all(), "state__lgd_code"),
                "block": (Block.objects.all(), "district__state__lgd_code"),
            }
            queryset, state_path = queries[key]
            if self.state_code is not None:
                queryset = queryset.filter(**{state_path: self.state_code})
            self._maps[key] = dict(queryset.exclude(lgd_code=None).values_list("lgd_code", "pk"))
        return self._maps[key]

    def state(self, code: int | None) -> int | None:
        return self._map("state").get(code)

    def district(self, code: int | None) -> int | None:
        return self._map("district").get(code)

    def block(self, code: int | None) -> int | None:
        return self._map("block").get(code)

    def panchayats(self, codes: set[int]) -> dict[int, tuple[int, int]]:
        queryset = Panchayat.objects.filter(lgd_code__in=codes)
        if self.state_code is not None:
            queryset = queryset.filter(block__district__state__lgd_code=self.state_code)
        return {code: (pk, block_id) for code, pk, block_id in queryset.values_list("lgd_code", "pk", "block_id")}


def _prepare(level: str, table: Table, row: Row, lookups: _Lookups, state_code: int | None) -> Item | None:
    """The row as an item to match, or None when it is outside --state or its parent is not loaded."""
    spec = SPECS[level]
    model = spec.model
    if state_code is not None and table.has("state_code") and row.code("state_code") != state_code:
        return None
    code = row.code(f"{spec.prefix}_code") if table.has(f"{spec.prefix}_code") else None
    name_en = row.name_en(spec.prefix, model._meta.get_field("name_en").max_length)
    if not name_en:
        raise LoadError(
            _("%(file)s, line %(line)d: %(column)s is empty")
            % {"file": row.path, "line": row.line, "column": COLUMNS[f"{spec.prefix}_name"].label}
        )
    values: dict[str, object] = {"name_en": name_en}
    name_hi = row.name_hi(spec.prefix, model._meta.get_field("name_hi").max_length)
    # An empty cell never wipes a name or code already known; files only add to what is there.
    if name_hi:
        values["name_hi"] = name_hi
    parent_id = None
    if level == "states":
        kind = row.text("state_or_ut").upper()
        if kind in {"S", "U"}:
            values["is_union_territory"] = kind == "U"
    elif level == "districts":
        parent_id = lookups.state(row.code("state_code"))
    elif level == "blocks":
        parent_id = lookups.district(row.code("district_code"))
    elif level == "panchayats":
        parent_id = lookups.block(row.code("block_code"))
    elif level == "villages":
        parent_id = lookups.district(row.code("district_code"))
        sub_district = row.fit("subdistrict_name", english_name(row.text("subdistrict_name")), 120)
        if sub_district:
            values["sub_district"] = sub_district
        if table.has("block_code") and (block_id := lookups.block(row.code("block_code"))):
            values["block_id"] = block_id
        if table.has("panchayat_code"):
            values["_panchayat_code"] = row.code("panchayat_code")
    if level != "states":
        if parent_id is None:
            return None
        values[spec.parent_attname] = parent_id
    if table.has("short_code") and (short_code := row.text("short_code").upper()):
        values["short_code"] = row.fit("short_code", short_code, model._meta.get_field("short_code").max_length)
    return Item(row.line, code, parent_id, values)


def _resolve_panchayats(items: list[Item], lookups: _Lookups) -> None:
    """Attach villages to their gram panchayat, and to its block when the file names no block."""
    codes = {item.values["_panchayat_code"] for item in items if item.values.get("_panchayat_code")}
    found = lookups.panchayats(codes) if codes else {}
    for item in items:
        code = item.values.pop("_panchayat_code", None)
        if code in found:
            panchayat_id, block_id = found[code]
            item.values["panchayat_id"] = panchayat_id
            item.values.setdefault("block_id", block_id)


def _apply(spec: LevelSpec, items: list[Item], result: Result) -> None:
    """Match items to rows by LGD code, else by parent and English name; create or update in bulk."""
    model = spec.model
    # Within one batch a repeated code (or codeless name) keeps its last row, as a later download would.
    unique: dict[tuple, Item] = {}
    for item in items:
        key = ("code", item.code) if item.code is not None else ("name", item.parent_id, item.name_key)
        unique[key] = item
    result.unchanged += len(items) - len(unique)
    items = list(unique.values())

    codes = [item.code for item in items if item.code is not None]
    by_code = {obj.lgd_code: obj for obj in model.objects.filter(lgd_code__in=codes)} if codes else {}
    unmatched = [item for item in items if item.code not in by_code]
    by_name: dict[tuple, list] = {}
    if unmatched:
        queryset = model.objects.annotate(name_key=Lower("name_en")).filter(
            name_key__in={item.name_key for item in unmatched}
        )
        if spec.parent_attname:
            queryset = queryset.filter(**{f"{spec.parent_attname}__in": {item.parent_id for item in unmatched}})
        if all(item.code is not None for item in unmatched):
            queryset = queryset.filter(lgd_code=None)
        for obj in queryset.order_by("pk"):
            parent = getattr(obj, spec.parent_attname) if spec.parent_attname else None
            by_name.setdefault((parent, obj.name_key), []).append(obj)

    creates, updates, fields = [], {}, set()
    for item in items:
        obj = by_code.get(item.code) if item.code is not None else None
        if obj is None:
            # A row that already has another code is another place that happens to share the name.
            candidates = by_name.get((item.parent_id, item.name_key), [])
            obj = next((c for c in candidates if item.code is None or c.lgd_code is None), None)
        if obj is None:
            creates.append(model(lgd_code=item.code, **item.values))
            continue
        changed = []
        if item.code is not None and obj.lgd_code is None:
            obj.lgd_code = item.code
            changed.append("lgd_code")
        for name, value in item.values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.append(name)
        if changed:
            updates[obj.pk] = obj
            fields.update(changed)
        else:
            result.unchanged += 1
    model.objects.bulk_create(creates, batch_size=BATCH_SIZE)
    if updates:
        model.objects.bulk_update(list(updates.values()), fields=sorted(fields), batch_size=BATCH_SIZE)
    result.created += len(creates)
    result.updated += len(updates)
