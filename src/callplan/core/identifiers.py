"""Finding a person in free text: their name, email and phone number, however typed.

Text is folded the way names are looked up (``names.name_key``: case, accents and
ligatures ignored) one character at a time, so a match found in the folded text maps
back to the characters typed, and is replaced there. Names match as whole words with any
spacing; an email as a whole address in any case; a phone number in any of the forms
people write it (``020 7946 0991``, ``+44 20 7946 0991``, ``02079460991``...): a run of
digits and separators that reads as the same number.

``Identifiers.coarse`` is a regular expression for SQL (SQLite's REGEXP and PostgreSQL's
``~`` read it alike) that every text holding one of them matches, and some others: the
store picks candidate rows with it, and the precise matching here decides. Pure: no
store, no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from callplan.core.names import name_key
from callplan.core.phones import e164

ERASED = "[erased]"

# Kinds of identifier, as a subject access export names them.
NAME = "name"
FIRST_NAME = "first name"
SURNAME = "surname"
EMAIL = "email"
PHONE = "phone"

# Titles before a name: "Dr Jane Smith"'s first name is Jane.
_HONORIFICS = "mr mrs ms miss mx dr prof professor sir dame lord lady rev revd fr"
HONORIFICS = frozenset(_HONORIFICS.split())

# First names and surnames that are also everyday words (or particles): alone, they
# can't be told from the word, so only the whole name is erased.
_COMMON_WORDS = """
    a al an and april art august baker banks bell best bill bird bishop black bond
    booth bright brook brown case chance chase church cliff close cole cook cross dale
    dawn day de dean del della der di don drew du duke earl east el faith field fields
    fox frank frost gale gene glen gold good grace grant gray green grey guy hall hart
    heather hill holly hope house hunt hunter iris ivy jack jade jay joy june king
    knight la lamb lane law le lily little long major mark marsh mason max may miles
    mills moore north oak olive page park parks pat pearl penny porter power price ray
    read reed rich river rob rose ruby sage sandy scott sharp shaw sky smith snow south
    spring stone storm strong summer sunny sue swift temple the turner van victor violet
    von wade walker wall ward waters wells west white will winter wise wood young
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_MARKS = "[\u0300-\u036f]*"  # combining accents, when text is stored decomposed
_PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d(?:[ ().\-/]{0,3}\d)*(?!\d)")
_DIGIT_GROUP = re.compile(r"\d+")
_MIN_PHONE_DIGITS = 6
_PER_PATTERN = 50  # words or numbers in one coarse pattern


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    return name_key(ch).translate(_APOSTROPHES)


def fold(text: str) -> tuple[str, list[int]]:
    """The text folded for matching, and for each folded character the index of the
    character of ``text`` it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def name_words(name: str) -> list[str]:
    """A name's words, folded, without a title in front: 'Dr. Zoë Ång' -> ['zoe', 'ang']."""
    words = name_key(name).translate(_APOSTROPHES).split()
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words = words[1:]
    return words


def lone_word_may_be_erased(word: str) -> bool:
    """Whether a first name or surname alone is distinctive enough to erase (others in
    the store sharing it is checked against the store)."""
    return sum(c.isalpha() for c in word) >= 3 and word not in COMMON_WORDS


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@dataclass(frozen=True)
class Phone:
    typed: str
    e164: str | None  # None when it can't be read as a number

    @property
    def significant(self) -> str:
        """The digits every written form of the number holds in a row: the national
        number (without the country code or trunk prefix), else all its digits."""
        if self.e164:
            import phonenumbers

            parsed = phonenumbers.parse(self.e164, None)
            return str(parsed.national_number)
        return digits(self.typed)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass
class Identifiers:
    """What to look for: name forms (folded words), emails and phone numbers."""

    names: dict[str, str] = field(default_factory=dict)  # folded words -> NAME, FIRST_NAME...
    emails: set[str] = field(default_factory=set)  # folded
    phones: list[Phone] = field(default_factory=list)
    region: str | None = None

    def __bool__(self) -> bool:
        return bool(self.names or self.emails or self.phones)

    # --- precise matching, in Python ---

    @functools.cached_property
    def _names_re(self) -> re.Pattern[str] | None:
        if not self.names:
            return None
        return re.compile(r"(?<!\w)" + trie_pattern(self.names) + r"(?!\w)")

    @functools.cached_property
    def _emails_re(self) -> re.Pattern[str] | None:
        if not self.emails:
            return None
        return re.compile(r"(?<![\w.+\-])" + trie_pattern(self.emails) + r"(?![\w\-]|\.\w)")

    @functools.cached_property
    def _phone_keys(self) -> tuple[set[str], set[str]]:
        """The numbers' digits as typed, and their E.164 forms."""
        typed = {d for p in self.phones if len(d := digits(p.typed)) >= _MIN_PHONE_DIGITS}
        return typed, {p.e164 for p in self.phones if p.e164}

    @functools.cached_property
    def _significant(self) -> set[str]:
        return {d for p in self.phones if len(d := p.significant) >= _MIN_PHONE_DIGITS}

    @functools.cached_property
    def _significant_lengths(self) -> set[int]:
        return {len(d) for d in self._significant}

    def _phone_matches(self, text: str) -> bool:
        typed, e164s = self._phone_keys
        return digits(text) in typed or (bool(e164s) and e164(text, self.region) in e164s)

    def _phone_spans(self, folded: str) -> Iterable[tuple[int, int]]:
        for run in _PHONE_RUN.finditer(folded):
            groups = list(_DIGIT_GROUP.finditer(run.group()))
            # The longest stretch of whole digit groups, from the left, that is the number.
            done = 0
            for i in range(len(groups)):
                if i < done:
                    continue
                for j in range(len(groups) - 1, i - 1, -1):
                    start = run.start() + (0 if i == 0 else groups[i].start())
                    end = run.start() + groups[j].end()
                    piece = folded[start:end]
                    if sum(len(g.group()) for g in groups[i : j + 1]) < _MIN_PHONE_DIGITS:
                        break
                    if self._phone_matches(piece):
                        yield start, end
                        done = j + 1
                        break

    def spans(self, text: str) -> list[Span]:
        """Where ``text`` holds one of the identifiers: spans of ``text`` (not
        overlapping, in order), each with the kind of identifier found."""
        if not text or not self:
            return []
        folded, where = fold(text)
        found: list[Span] = []
        if self._names_re is not None:
            for m in self._names_re.finditer(folded):
                words = " ".join(m.group().split())
                found.append(Span(m.start(), m.end(), self.names.get(words, NAME)))
        if self._emails_re is not None:
            found.extend(Span(m.start(), m.end(), EMAIL) for m in self._emails_re.finditer(folded))
        if self.phones:
            found.extend(Span(a, b, PHONE) for a, b in self._phone_spans(folded))
        found.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[Span] = []
        for span in found:
            if kept and span.start < kept[-1].end:
                continue
            kept.append(span)
        spans = []
        for span in kept:  # back to the text's own characters
            start, end = where[span.start], where[span.end - 1] + 1
            while end < len(text) and not _fold_char(text[end]):
                end += 1  # a combining accent after the last letter
            spans.append(Span(start, end, span.kind))
        return spans

    def scrub(self, text: str) -> str:
        """``text`` with every identifier replaced by [erased]."""
        out = []
        last = 0
        for span in self.spans(text):
            out.append(text[last : span.start])
            out.append(ERASED)
            last = span.end
        out.append(text[last:])
        return "".join(out)

    # --- the coarse filter, in SQL ---

    def _longest_words(self) -> set[str]:
        return {max(words.split(), key=len) for words in self.names}

    @functools.cached_property
    def _quick_re(self) -> re.Pattern[str] | None:
        words = self._longest_words() | self.emails
        return re.compile(trie_pattern(words)) if words else None

    def may_hold(self, text: str | None) -> bool:
        """Whether ``text`` may hold one of the identifiers (the test ``coarse`` makes in
        SQL, done quicker in Python: a plain search of the folded text, and the phone
        numbers' digits looked up in each run of digits)."""
        if not text:
            return False
        folded = text.lower() if text.isascii() else fold(text)[0]
        if self._quick_re is not None and self._quick_re.search(folded):
            return True
        significant = self._significant
        if significant:
            for run in _PHONE_RUN.finditer(folded):
                found = digits(run.group())
                for n in self._significant_lengths:
                    if any(found[i : i + n] in significant for i in range(len(found) - n + 1)):
                        return True
        return False

    def coarse(self) -> list[str]:
        """Regular expressions (for SQLite and PostgreSQL alike) one of which every text
        holding one of the identifiers matches: each letter any case with any accent, a
        phone number's digits with any separators. One for each 50 words or numbers, so
        that none grows too large for the database to compile."""
        parts = sorted(coarse_word(w) for w in self._longest_words() | self.emails)
        parts += sorted("[^0-9]{0,3}".join(d) for d in self._significant)
        return ["|".join(parts[i : i + _PER_PATTERN]) for i in range(0, len(parts), _PER_PATTERN)]


@functools.cache
def _variants() -> dict[str, str]:
    """For each ASCII letter (or pair, as 'æ' folds to 'ae'), the letters that fold to it."""
    table: dict[str, set[str]] = {}
    ranges = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF), (0xFB00, 0xFB06))
    for lo, hi in (*ranges, (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            folded = name_key(ch)
            if folded and folded.isascii() and folded.isalpha() and len(folded) <= 3:
                table.setdefault(folded, set()).add(ch)
    return {k: "".join(sorted(v)) for k, v in table.items()}


def _literal(ch: str) -> str:
    variants = _variants().get(ch)
    if variants:
        return f"[{variants}]"
    if ch == "'":
        return "['\u2019\u2018`\u00b4]"
    if ch.isascii():
        return ch if ch.isalnum() else "\\" + ch
    both = {ch, ch.upper(), ch.lower()}
    return f"[{''.join(sorted(both))}]" if len(both) > 1 else ch


def _plain_char(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def trie_pattern(words: Iterable[str], char: Callable[[str], str] = _plain_char) -> str:
    """One regular expression for any of ``words`` (a space in one matches any spacing),
    built as a trie so that thousands of them match in one pass, longest first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [char(ch) + build(node[ch]) for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def coarse_word(word: str) -> str:
    """A regular expression for a folded word typed in any case, with any accents."""
    variants = _variants()
    pairs = sum(1 for n in (2, 3) for i in range(len(word)) if word[i : i + n] in variants)

    @functools.cache
    def at(i: int) -> str:
        if i == len(word):
            return ""
        options = [_literal(word[i]) + _MARKS + at(i + 1)]
        if pairs <= 3:  # a name full of 'ae' and 'ss' is matched without the ligatures
            for n in (2, 3):
                chunk = word[i : i + n]
                if len(chunk) == n and chunk in variants:
                    options.append(f"[{variants[chunk]}]" + _MARKS + at(i + n))
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return at(0)
