"""How officers spell the same name differently, in either script.

Variants are made by rules, not drawn from a list of examples, so that an engine tuned on one evaluation set meets
new variants in another: vowels written long or short (Sonu / Sunu / Sonoo, Puja / Pooja), an inner vowel dropped
(Kumari / Kumri), consonants that sound alike (Vikash / Bikash / Vikas, Yadav / Jadav, Shabnam / Sabnam), letters
doubled or not, and the abbreviations officers use (Mohd / Md / Mohammad, Kumar / Kr). In Devanagari: long and
short vowel signs swapped (सोनू / सुनु), the nukta dropped (रिज़वान / रिजवान), श / स and व / ब exchanged, the
anusvara written as a half नन (संजय / सन्जय).
"""

from __future__ import annotations

import random
import re

from tests.synthetic.names import DEVA

# Whole-word forms an officer writes for one word (the first is the table's own spelling).
_ABBREVIATIONS = {
    "Mohd": ("Md", "Mohammad", "Mohammed", "Md.", "Mo."),
    "Kumar": ("Kr", "Kr.", "Kumaar"),
    "Kumari": ("Kumri", "Kr.", "Kumary"),
    "Devi": ("Debi", "Devee"),
    "Khatun": ("Khatoon", "Khaton", "Katun"),
    "Laxmi": ("Lakshmi", "Lachhmi"),
    "मो०": ("मोहम्मद", "मो.", "मुहम्मद", "मोहमद"),
    "कुमार": ("कु०", "कुमर"),
    "कुमारी": ("कुमरी", "कु०"),
    "ख़ातून": ("खातून", "खातुन"),
}

# Latin substitutions (pattern, replacement): each is one way officers write the same sound.
_LATIN_SWAPS = (
    ("oo", "u"), ("u", "oo"), ("o", "u"), ("u", "o"), ("ee", "i"), ("i", "ee"),
    ("aa", "a"), ("a", "aa"), ("sh", "s"), ("s", "sh"), ("v", "b"), ("b", "v"), ("v", "w"), ("w", "v"),
    ("x", "ksh"), ("ksh", "x"), ("ph", "f"), ("f", "ph"), ("z", "j"), ("q", "k"),
    ("chh", "ch"), ("kh", "k"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("ck", "k"), ("ai", "e"), ("au", "ou"),
)  # fmt: skip
# Only at the end of a word (Pinky / Pinki / Pinkee).
_LATIN_FINAL_SWAPS = (("i", "y"), ("y", "i"), ("i", "ee"), ("a", "aa"), ("u", "oo"))
# Only these change a first letter (Vikash / Bikash, Yadav / Jadav, Sabnam / Shabnam).
_FIRST_LETTER_SWAPS = {("v", "b"), ("b", "v"), ("y", "j"), ("j", "y"), ("sh", "s"), ("s", "sh")}
_LATIN_VOWELS = "aeiou"

_DEVA_SWAPS = (
    ("ी", "ि"), ("ि", "ी"), ("ू", "ु"), ("ु", "ू"), ("ो", "ु"), ("श", "स"), ("स", "श"), ("ष", "श"),
    ("व", "ब"), ("ब", "व"), ("़", ""), ("ण", "न"), ("ं", "न्"), ("ँ", "ं"), ("ा", ""), ("ै", "े"), ("ौ", "ो"),
)  # fmt: skip


def _occurrences(word: str, pattern: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(pattern), word)]


def _swap(word: str, swaps, rng: random.Random, keep_first: bool) -> str:
    options = []
    for pattern, replacement in swaps:
        for position in _occurrences(word, pattern):
            # The first letter is rarely changed (except b/v, j/y, s/sh, which officers do change).
            if keep_first and position == 0 and (pattern, replacement) not in _FIRST_LETTER_SWAPS:
                continue
            options.append((position, pattern, replacement))
    if keep_first:
        options += [(0, p, r) for p, r in (("y", "j"), ("j", "y")) if word.startswith(p)]
        for pattern, replacement in _LATIN_FINAL_SWAPS:
            if word.endswith(pattern) and len(word) > len(pattern) + 1:
                options.append((len(word) - len(pattern), pattern, replacement))
    if not options:
        return word
    position, pattern, replacement = rng.choice(options)
    return word[:position] + replacement + word[position + len(pattern) :]


def _drop_inner_vowel(word: str, rng: random.Random) -> str:
    """Kumari -> Kumri, Kalawati -> Kalwati: a vowel between consonants after the first syllable of a word that
    ends in a vowel (Vikash never becomes Viksh)."""
    lower = word.lower()
    if lower[-1:] not in _LATIN_VOWELS:
        return word
    spots = [
        i
        for i in range(2, len(word) - 2)
        if lower[i] in _LATIN_VOWELS and lower[i - 1] not in _LATIN_VOWELS and lower[i + 1] not in _LATIN_VOWELS
    ]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i + 1 :]


def _double(word: str, rng: random.Random) -> str:
    """Letters doubled or single (Bittu / Bitu, Sajid / Sajjid)."""
    doubled = [m.start() for m in re.finditer(r"([a-z])\1", word)]
    if doubled:
        i = rng.choice(doubled)
        return word[:i] + word[i + 1 :]
    consonants = [
        i
        for i in range(1, len(word) - 1)
        if word[i] not in _LATIN_VOWELS + "hyw" and word[i - 1] in _LATIN_VOWELS and word[i + 1] in _LATIN_VOWELS
    ]
    if not consonants:
        return word
    i = rng.choice(consonants)
    return word[: i + 1] + word[i] + word[i + 1 :]


def vary_word(word: str, script: str, rng: random.Random) -> str:
    """One word spelt another way an officer might write it; never the same spelling (unless no rule applies)."""
    for _attempt in range(6):
        forms = _ABBREVIATIONS.get(word)
        if forms and rng.random() < 0.7:
            varied = rng.choice(forms)
        elif script == DEVA:
            varied = _swap(word, _DEVA_SWAPS, rng, keep_first=False)
        else:
            roll = rng.random()
            if roll < 0.7:
                varied = _swap(word.lower(), _LATIN_SWAPS, rng, keep_first=True)
            elif roll < 0.85:
                varied = _drop_inner_vowel(word.lower(), rng)
            else:
                varied = _double(word.lower(), rng)
            varied = varied[:1].upper() + varied[1:] if word[:1].isupper() else varied
        if varied != word and varied.strip():
            return varied
    return word


def vary_name(name: str, script: str, rng: random.Random, words: int = 1) -> str:
    """A name with `words` of its words (at random) spelt another way."""
    parts = name.split()
    if not parts:
        return name
    for i in rng.sample(range(len(parts)), min(words, len(parts))):
        parts[i] = vary_word(parts[i], script, rng)
    return " ".join(parts)
