"""Finding earlier records of the same child: name keys across scripts and spellings, and ranked candidates.

A child rescued again is often registered by another officer, in another district, with the name spelt
another way (Mohd / Mohammad, Laxmi / Lakshmi) or written in Devanagari. Each name is reduced to a key: the
Devanagari is transliterated to Latin letters, known variants are replaced by one spelling, and spellings that
sound alike are folded together (sh/s, ph/f, aa/a, doubled letters). PostgreSQL's pg_trgm compares the keys
(`Child.name_key` has a trigram index), and the few candidates it returns are scored on the guardian's name,
the village, the age and the sex.

The search runs across the whole state, because a re-trafficked child is usually rescued far from home; what
the officer is shown of a candidate outside their jurisdiction is limited (see `Candidate.visible`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.core.ages import age_on
from clts.core.db import local_settings
from clts.core.identifiers import identifier_hash
from rescue.models import Case, Child

# --- Devanagari to Latin --------------------------------------------------------------------------------------

_INHERENT = "\u0259"  # "ə" marks an inherent vowel until schwa deletion decides whether it is spoken

_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n",
    "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}  # fmt: skip
# A consonant followed by the nukta sign is the same sound as the precomposed letter above.
_NUKTA_FORMS = {"क": "q", "ख": "kh", "ग": "g", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f", "य": "y"}
_VOWELS = {
    "अ": "a", "आ": "aa", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "uu", "ऋ": "ri",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip
_MATRAS = {
    "ा": "aa", "ि": "i", "ी": "ii", "ु": "u", "ू": "uu", "ृ": "ri",
    "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e",
}  # fmt: skip
_NASALS = {"ं": "n", "ँ": "n"}
_VISARGA = "ः"
_VIRAMA = "्"
_NUKTA = "़"
_LATIN_VOWELS = set("aeiou" + _INHERENT)


def transliterate(text: str) -> str:
    """Devanagari to plain Latin letters as Hindi speakers write names (राम -> raam, लक्ष्मी -> lakshmii)."""
    text = unicodedata.normalize("NFC", text)
    # One token per sound, so that schwa deletion sees "kh" as one consonant.
    tokens: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if char in _CONSONANTS:
            sound = _CONSONANTS[char]
            if nxt == _NUKTA:
                sound = _NUKTA_FORMS.get(char, sound)
                i += 1
                nxt = text[i + 1] if i + 1 < len(text) else ""
            tokens.append(sound)
            if nxt == _VIRAMA:
                i += 1
            elif nxt in _MATRAS:
                tokens.append(_MATRAS[nxt])
                i += 1
            else:
                tokens.append(_INHERENT)
        elif char in _VOWELS:
            tokens.append(_VOWELS[char])
        elif char in _NASALS:
            tokens.append(_NASALS[char])
        elif char == _VISARGA:
            tokens.append("h")
        elif char in (_VIRAMA, _NUKTA) or char in _MATRAS:
            pass  # a stray sign without its consonant
        else:
            tokens.append(char)
        i += 1
    words: list[list[str]] = [[]]
    for token in tokens:
        if token.isspace():
            words.append([])
        else:
            words[-1].append(token)
    return " ".join(_delete_schwas(word) for word in words if word)


def _is_vowel(token: str) -> bool:
    return token[:1] in _LATIN_VOWELS


def _delete_schwas(word: list[str]) -> str:
    """Hindi drops the inherent vowel at the end of a word and between VC_CV (कमला -> kamlaa, not kamalaa)."""
    tokens = list(word)
    # ...but not after a cluster of consonants (इंद्र -> indra).
    final_cluster = len(tokens) >= 3 and not _is_vowel(tokens[-2]) and not _is_vowel(tokens[-3])
    if tokens and tokens[-1] == _INHERENT and any(_is_vowel(t) for t in tokens[:-1]) and not final_cluster:
        tokens.pop()
    # Right to left, so that each decision sees the vowels already kept after it.
    for pos in range(len(tokens) - 3, 1, -1):
        if tokens[pos] != _INHERENT:
            continue
        if (
            not _is_vowel(tokens[pos - 1])
            and _is_vowel(tokens[pos - 2])
            and not _is_vowel(tokens[pos + 1])
            and _is_vowel(tokens[pos + 2])
        ):
            del tokens[pos]
    return "".join(tokens).replace(_INHERENT, "a")


# --- Name keys ------------------------------------------------------------------------------------------------

# Whole-word variants written for the same name; every spelling maps to one.
_WORD_VARIANTS = {
    "mohammad": ("md", "mo", "mohd", "mhd", "mohamad", "mohammed", "mohamed", "muhammad", "muhammed", "mohmad",
                 "mohmmad", "mohammad", "mohmed", "muhamad"),
    "kumar": ("kr", "kumaar"),
    "laxmi": ("lakshmi", "laxmi", "luxmi", "lakhsmi", "lachhmi", "lakshmee", "laxmee"),
    "devi": ("devee", "debi", "dvi"),
    "khatun": ("khatoon", "khaatun", "khatoun"),
    "ansari": ("ansaari", "ansary"),
}  # fmt: skip
_VARIANT_OF = {variant: canonical for canonical, variants in _WORD_VARIANTS.items() for variant in variants}

# Spellings of one sound, folded in this order (longer patterns first).
_FOLDS = (
    ("ksh", "x"), ("ks", "x"), ("que", "k"), ("chh", "c"), ("ch", "c"), ("sh", "s"), ("ph", "f"), ("th", "t"),
    ("dh", "d"), ("bh", "b"), ("kh", "k"), ("gh", "g"), ("jh", "j"), ("w", "v"), ("z", "j"), ("q", "k"), ("ck", "k"),
    ("ee", "i"), ("ii", "i"), ("oo", "u"), ("uu", "u"), ("aa", "a"), ("ou", "u"), ("yi", "i"),
)  # fmt: skip
_DOUBLED = re.compile(r"([a-z])\1+")
_NOT_LETTERS = re.compile(r"[^a-z ]+")


def _fold_word(word: str) -> str:
    word = _VARIANT_OF.get(word, word)
    for pattern, replacement in _FOLDS:
        word = word.replace(pattern, replacement)
    return _DOUBLED.sub(r"\1", word)


def name_key(*names: str) -> str:
    """The matching key of one or more names: Latin, lower case, variants and sound-alike spellings folded."""
    words: list[str] = []
    for name in names:
        if not name:
            continue
        latin = transliterate(name).lower()
        # Accents (é, ā) become their base letters; anything else that is not a letter separates words.
        latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
        latin = _NOT_LETTERS.sub(" ", latin)
        words.extend(_fold_word(word) for word in latin.split())
    return " ".join(word for word in words if word)[:255]


def aadhaar_hash(number: str) -> str:
    """Keyed hash of a full Aadhaar number, for matching without keeping the number (clts.core.identifiers)."""
    return identifier_hash(number)


# --- Candidates -----------------------------------------------------------------------------------------------

# pg_trgm similarity of name keys below which a record is not a candidate (pg_trgm's own default is 0.3). Keys
# are folded already (variants, scripts, sound-alike spellings), so what remains to tolerate is typing errors.
NAME_THRESHOLD = 0.45
# Candidates scoring at least this must be linked or explicitly confirmed as a different child.
STRONG_SCORE = 70
SHOWN_SCORE = 45
AGE_TOLERANCE_YEARS = 2
POOL_SIZE = 40


@dataclass
class Candidate:
    child: Child
    score: int  # 0-100
    reasons: list[str] = field(default_factory=list)
    latest_case: Case | None = None
    # Whether the officer may see the record itself; if not, only case number, district and reasons are shown.
    visible: bool = False


@dataclass
class Particulars:
    """What the officer has typed about a child so far."""

    name: str
    alias: str = ""
    father_name: str = ""
    mother_name: str = ""
    guardian_name: str = ""
    village: str = ""
    sex: str = ""
    age: int | None = None
    on: date | None = None  # the date of the new rescue, for the age an earlier record implies today
    home_district_id: int | None = None
    aadhaar_hash: str = ""


def guardian_key_of(particulars: Particulars) -> str:
    return name_key(particulars.father_name, particulars.mother_name, particulars.guardian_name)


def _age_then_now(case: Case | None, child: Child, on: date) -> int | None:
    if case is not None:
        return case.age_on(on)
    return age_on(on, born=child.date_of_birth, age=child.age_years)


def find_candidates(*, particulars: Particulars, user, limit: int = 5) -> list[Candidate]:
    """Earlier records that may be this child, best first; scored 0-100 with the reasons in words."""
    key = name_key(particulars.name, particulars.alias)
    if len(key) < 3 and not particulars.aadhaar_hash:
        return []
    guardian_key = guardian_key_of(particulars)
    on = particulars.on or timezone.localdate()
    pool = Child.objects.all()
    condition = Q(pk__in=[])
    if len(key) >= 3:
        condition |= Q(name_key__trigram_similar=key)
    if particulars.aadhaar_hash:
        condition |= Q(aadhaar_hash=particulars.aadhaar_hash)
    pool = (
        pool.filter(condition)
        .annotate(
            name_sim=TrigramSimilarity("name_key", key or "-"),
            guardian_sim=TrigramSimilarity("guardian_key", guardian_key or "-"),
        )
        # Among many children of the same name, those with the same parent's name come first.
        .order_by(F("name_sim") + F("guardian_sim") / 2, "id")
        .reverse()[:POOL_SIZE]
    )
    # pg_trgm's % operator uses this threshold; for this query only (the default, 0.3, lets in far more).
    with local_settings(pg_trgm__similarity_threshold=NAME_THRESHOLD):
        children = list(pool)
    if not children:
        return []
    latest: dict[int, Case] = {}
    for case in (
        Case.objects.filter(child__in=children)
        .select_related("home_district", "district")
        .order_by("child_id", "-rescued_on", "-id")
        .distinct("child_id")
    ):
        latest[case.child_id] = case
    visible_ids = set(
        Child.objects.visible_to(user).filter(pk__in=[c.pk for c in children]).values_list("pk", flat=True)
    )
    village_key = name_key(particulars.village)
    found = []
    for child in children:
        candidate = _score(child, latest.get(child.pk), particulars, village_key, on, guardian_key)
        if candidate is not None and candidate.score >= SHOWN_SCORE:
            candidate.visible = child.pk in visible_ids
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, -c.child.pk))
    return found[:limit]


def _score(child, case, particulars, village_key, on, guardian_key) -> Candidate | None:
    if particulars.aadhaar_hash and child.aadhaar_hash == particulars.aadhaar_hash:
        return Candidate(child=child, score=100, reasons=[_("Same Aadhaar number")], latest_case=case)
    if particulars.sex and child.sex and particulars.sex != child.sex:
        return None
    reasons = []
    name_sim = float(child.name_sim or 0)
    points = 55 * name_sim
    reasons.append(_("Name %(percent)s%% alike") % {"percent": round(100 * name_sim)})
    if guardian_key and child.guardian_key:
        guardian_sim = float(child.guardian_sim or 0)
        points += 20 * guardian_sim
        if guardian_sim >= 0.5:
            reasons.append(_("Parent or guardian %(percent)s%% alike") % {"percent": round(100 * guardian_sim)})
    else:
        points += 10  # nothing to compare: neither for nor against
    then_now = _age_then_now(case, child, on)
    if particulars.age is not None and then_now is not None:
        if abs(then_now - particulars.age) > AGE_TOLERANCE_YEARS:
            return None
        points += 15
        reasons.append(_("Age fits (%(age)s now)") % {"age": then_now})
    else:
        points += 7
    child_village = name_key(child.home_village_text)
    same_district = particulars.home_district_id and particulars.home_district_id == child.home_district_id
    if village_key and child_village and (village_key == child_village or _close(village_key, child_village)):
        points += 10
        reasons.append(_("Same village"))
    elif same_district:
        points += 4
        reasons.append(_("Same home district"))
    return Candidate(child=child, score=min(99, round(points)), reasons=reasons, latest_case=case)


def _close(a: str, b: str) -> bool:
    """Whether two village keys are alike (one contains the other, or they share most trigrams)."""
    if a in b or b in a:
        return True
    grams = lambda s: {f"  {s} "[i : i + 3] for i in range(len(s) + 1)}  # noqa: E731
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, len(ga | gb)) >= 0.5
