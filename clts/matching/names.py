"""Names as the matching engine compares them: one script, folded spellings, weak words set apart.

The same child is written "Rahul Kumar", "Kumar Rahul", "राहुल", "Rahul" and "Rahool Kr." by different officers.
Every name is brought to Latin letters (Devanagari transliterated the way Hindi speakers write names, with the
inherent vowel dropped where it is not spoken), lower case, with known variants replaced by one spelling and
sound-alike spellings folded together (sh/s, ph/f, aa/a, doubled letters). The words are then split in two:
- *generic* words that say little about who the child is ("Kumar", "Kumari", "Devi", "Khatun", "Bibi", "Mohd"):
  they are dropped, moved and replaced freely, so they are compared neither for nor against;
- the other words, compared as a set, in any order.
Each word also has a phonetic key (its first letter and its consonants) for spellings the folds do not catch.

A library was tried for the script: indic-transliteration gives scholarly forms with every inherent vowel written
("khushabU", "mohammada"), which would need the same schwa deletion done here on top, so the few rules are kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
# The anusvara and candrabindu nasalise the vowel before them: an "n" that forms no cluster with the consonant after
# it (संत -> sant, सिंह -> sinh), marked until schwa deletion has run.
_NASAL = "\u1e45"
_NASALS = {"ं": _NASAL, "ँ": _NASAL}
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
    final_cluster = (
        len(tokens) >= 3 and not _is_vowel(tokens[-2]) and not _is_vowel(tokens[-3]) and tokens[-3] != _NASAL
    )
    if tokens and tokens[-1] == _INHERENT and any(_is_vowel(t) for t in tokens[:-1]) and not final_cluster:
        tokens.pop()
    # Right to left, so that each decision sees the vowels already kept after it.
    for pos in range(len(tokens) - 3, 1, -1):
        if tokens[pos] != _INHERENT:
            continue
        if (
            not _is_vowel(tokens[pos - 1])
            and (_is_vowel(tokens[pos - 2]) or tokens[pos - 2] == _NASAL)  # a nasalised vowel: चांदपुर -> chaandpur
            and not _is_vowel(tokens[pos + 1])
            and _is_vowel(tokens[pos + 2])
        ):
            del tokens[pos]
    return "".join(tokens).replace(_INHERENT, "a").replace(_NASAL, "n")


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
    # सिंह is spoken and written "Singh": the anusvara before h is the "ng" sound.
    "singh": ("sinh", "sing"),
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


# Words that do not tell one child from another: titles of sex or respect, and the "Mohammad" of Muslim names.
# Written in their spoken form; folded below like every name.
GENERIC_WORDS = (
    "kumar", "kumari", "devi", "khatun", "bibi", "begum", "mohammad", "sheikh", "shri", "shree", "sri",
    "smt", "shrimati", "bai", "km", "ku", "kr", "md", "mohd", "master", "miss", "late",
)  # fmt: skip
GENERIC = frozenset(_fold_word(word) for word in GENERIC_WORDS)


def folded_words(name: str) -> list[str]:
    """The words of a name in Latin letters, lower case, variants and sound-alike spellings folded, in order."""
    if not name:
        return []
    # Word by word (transliteration and folding never cross a space), each word folded once per process: a registry
    # of a million names is written with a few thousand words, so scoring a pool of candidates finds them folded.
    return [word for written in name.split() for word in _folded_word(written)]


@lru_cache(maxsize=200_000)
def _folded_word(written: str) -> tuple[str, ...]:
    latin = transliterate(written).lower()
    # Accents (é, ā) become their base letters; anything else that is not a letter separates words.
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    latin = _NOT_LETTERS.sub(" ", latin)
    return tuple(word for word in (_fold_word(word) for word in latin.split()) if word)


def name_key(*names: str) -> str:
    """The search key of one or more names: all their folded words in order (rescue's name search uses it)."""
    return " ".join(word for name in names for word in folded_words(name))[:255]


# A word's final "y" after a consonant is the long "i" of Hindi (Sunny / सनी, Pinky / पिंकी, Bunty / Banti): written
# "i" for the comparison. Not in `folded_words`, whose keys other apps store (rescue's name search).
_FINAL_Y = re.compile(r"(?<=[^aeiou])y$")


@lru_cache(maxsize=100_000)
def strong_words(name: str) -> frozenset[str]:
    """The folded words of a name that tell children apart (generic words and single letters left out)."""
    return frozenset(_FINAL_Y.sub("i", word) for word in folded_words(name) if word not in GENERIC and len(word) > 1)


_VOWELS_AFTER_FIRST = re.compile(r"(?<=.)[aeiouy]")


@lru_cache(maxsize=100_000)
def phonetic(word: str) -> str:
    """A folded word's sound skeleton: first letter, then consonants, v/b as one (Vikash, Bikash), no final h."""
    skeleton = _VOWELS_AFTER_FIRST.sub("", word.replace("v", "b"))
    skeleton = _DOUBLED.sub(r"\1", skeleton)
    if len(skeleton) > 1 and skeleton.endswith("h"):
        skeleton = skeleton[:-1]
    return skeleton


def signature(words: frozenset[str] | set[str]) -> str:
    """One string for a set of words, whatever their order (the term-frequency key of a whole name)."""
    return " ".join(sorted(words))
