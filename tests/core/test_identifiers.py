"""Finding a person in free text (identifiers.py): folding, whole words, phone forms, and
the coarse filters every match must pass (pure: no store)."""

from __future__ import annotations

import re

import pytest

from callplan.core.identifiers import (
    EMAIL,
    FIRST_NAME,
    NAME,
    PHONE,
    Identifiers,
    Phone,
    fold,
    lone_word_may_be_erased,
    name_words,
)

XANTHE = Identifiers(
    names={"xanthe quarrington": NAME, "xanthe": FIRST_NAME},
    emails={"xanthe.q@zyzzyx.example"},
    phones=[Phone("020 7946 0991", "+442079460991")],
    region="GB",
)


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("Ask XÄNTHE  Quarrington", "Ask [erased]"),
        ("Xanthe’s team; Xanthe's team", "[erased]’s team; [erased]'s team"),
        ("Xanthe\u0301 rang", "[erased] rang"),  # a combining accent goes with the name
        ("Xanthea and Xanthes stay", "Xanthea and Xanthes stay"),
        ("Mail XANTHE.Q@zyzzyx.example.", "Mail [erased]."),
        ("bxanthe.q@zyzzyx.example.com stays", "bxanthe.q@zyzzyx.example.com stays"),
        (
            "Rang 020 7946 0991, 020-7946-0991 and (020) 7946 0991",
            "Rang [erased], [erased] and [erased]",
        ),
        ("+44 20 7946 0991 / +44 (0)20 7946 0991", "[erased] / [erased]"),
        ("02079460991 or +442079460991 or 0044 20 7946 0991", "[erased] or [erased] or [erased]"),
        ("On 23/11/2026 call 020 7946 0992 ext 12", "On 23/11/2026 call 020 7946 0992 ext 12"),
        ("ref 1020794609912 stays", "ref 1020794609912 stays"),
    ],
)
def test_scrub_finds_every_form_and_nothing_else(text, scrubbed):
    assert XANTHE.scrub(text) == scrubbed


def test_spans_say_what_was_found():
    kinds = [
        s.kind
        for s in XANTHE.spans("Xanthe Quarrington, xanthe, 02079460991, XANTHE.Q@zyzzyx.example")
    ]
    assert kinds == [NAME, FIRST_NAME, PHONE, EMAIL]


@pytest.mark.parametrize(
    "text",
    [
        "Ask XÄNTHE  Quarrington",
        "ＸＡＮＴＨＥ",  # full-width letters
        "Rang (020) 7946-0991",
        "+44 (0)20 7946 0991",
        "Mail XANTHE.Q@ZYZZYX.EXAMPLE",
        "Xa\u0301nthe",
    ],
)
def test_every_text_holding_them_passes_both_coarse_filters(text):
    assert XANTHE.spans(text)
    assert XANTHE.may_hold(text)  # SQLite's filter
    assert any(re.search(p, text) for p in XANTHE.coarse())  # PostgreSQL's, read by Python


def test_fold_maps_back_to_the_text():
    folded, where = fold("Zoë ÆSIR")
    assert folded == "zoe aesir"
    assert [where[i] for i in range(len(folded))] == [0, 1, 2, 3, 4, 4, 5, 6, 7]


def test_names_lose_their_title_and_short_or_everyday_words_are_not_erased_alone():
    assert name_words("Dr. Zoë  Ångström") == ["zoe", "angstrom"]
    assert name_words("Dr") == ["dr"]
    assert not lone_word_may_be_erased("mark")  # an everyday word
    assert not lone_word_may_be_erased("jo")  # too short to tell
    assert lone_word_may_be_erased("rowntree")


@pytest.mark.slow
def test_thousands_of_people_are_found_in_one_pass():
    """A prune erases many people at once: their names, emails and numbers go into one
    trie-shaped pattern, not thousands of alternatives (and SQL is given them 50 at a
    time)."""
    many = Identifiers(
        names={f"person{i} surname{i}": NAME for i in range(3000)},
        emails={f"p{i}@example.test" for i in range(3000)},
        phones=[Phone(f"020 7946 {i:04d}", f"+44207946{i:04d}") for i in range(3000)],
        region="GB",
    )
    text = "PERSON17 Surname17 and person17 surname170, P2999@EXAMPLE.TEST, +44 20 7946 1234"
    assert many.scrub(text) == "[erased] and person17 surname170, [erased], [erased]"
    assert many.may_hold(text) and any(re.search(p, text) for p in many.coarse())
    assert len(many.coarse()) == 180  # 9,000 words and numbers, 50 a pattern
    assert not many.may_hold("nobody here, 020 7946 99") and not many.spans("Person17s")
