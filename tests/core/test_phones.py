"""How callplan shows a phone number: national for the desk's country, international for
another country's, as typed when it isn't a number phonenumbers can vouch for."""

from __future__ import annotations

import pytest

from callplan.core.contacts import Contact, Person, triage
from callplan.core.phones import e164, phone_display


@pytest.mark.parametrize(
    ("typed", "region", "shown"),
    [
        # The store's own country: the national format, whatever way it was typed.
        ("+44 (0)113 496 0001", "GB", "0113 496 0001"),
        ("+44 113 496 0001", "GB", "0113 496 0001"),
        ("01134960001", "GB", "0113 496 0001"),
        ("020 7946 0000", "GB", "020 7946 0000"),
        ("0113 496 0001 ext 23", "GB", "0113 496 0001 ext. 23"),
        # Another country's number: international, so it can be dialled from here.
        ("+1 212 555 0123", "GB", "+1 212-555-0123"),
        ("+353 1 234 5678", "GB", "+353 1 234 5678"),
        ("+44 (0)113 496 0001", "IE", "+44 113 496 0001"),
        # In the US the same number is national.
        ("+1 212 555 0123", "US", "(212) 555-0123"),
        # No country set: a number with its country code is international; one without
        # can't be read, and is shown as typed.
        ("+44 (0)113 496 0001", None, "+44 113 496 0001"),
        ("0113 496 0001", None, "0113 496 0001"),
    ],
)
def test_a_number_is_shown_in_the_format_of_its_country(typed, region, shown):
    assert phone_display(typed, region) == shown


@pytest.mark.parametrize(
    "typed",
    ["0800 FLOWERS", "ask reception", "555 0123", "12", "", "07700 900123 (mobile)"],
)
def test_what_is_not_a_valid_number_is_shown_as_typed(typed):
    assert phone_display(typed, "GB") == typed


# --- e164: the form the store keeps --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        # The store's own country, national or international: E.164.
        ("020 7946 0000", "GB", "+442079460000"),
        ("+44 (0)20 7946 0000", "GB", "+442079460000"),
        # An extension is kept, the RFC 3966 way, however it was written.
        ("020 7946 0000 ext 12", "GB", "+442079460000;ext=12"),
        ("020 7946 0000 x12", "GB", "+442079460000;ext=12"),
        ("+1 (212) 555-0100 ext 7", "GB", "+12125550100;ext=7"),
        ("+1 212-555-0100 ext. 7", "US", "+12125550100;ext=7"),
        ("(212) 555-0100 ext 7", "US", "+12125550100;ext=7"),
        ("+12125550100;ext=7", "GB", "+12125550100;ext=7"),  # what it stores reads back
        # A number with its own country code keeps it: +, or GB's international prefix 00.
        ("+1 212 555 0100", "GB", "+12125550100"),
        ("001 212 555 0100", "GB", "+12125550100"),
        ("00 33 1 42 68 53 00", "GB", "+33142685300"),
        ("0033 142 685 300", "GB", "+33142685300"),
        ("+44 20 7946 0000", "US", "+442079460000"),
        ("+44 20 7946 0000", None, "+442079460000"),
        # The ranges kept for drama aren't "valid", but say which country they are.
        ("07700 900123", "GB", "+447700900123"),
    ],
)
def test_e164_keeps_the_country_code_and_the_extension(typed, region, stored):
    assert e164(typed, region) == stored


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        # A New York number typed without its +1 is not a UK number: not placed, rather
        # than stored as a wrong +44 2125550100 (which it was, extension dropped).
        ("(212) 555-0100 ext 7", "GB"),
        ("(212) 555-0100", "GB"),
        ("212 555 0100", "GB"),
        # Without a country setting, a number without a country code can't be placed.
        ("020 7946 0000", None),
        ("ask reception", "GB"),
        ("12", "GB"),
        ("", "GB"),
    ],
)
def test_e164_of_a_number_it_cant_place_is_none(typed, region):
    assert e164(typed, region) is None


@pytest.mark.parametrize(
    ("stored", "region", "shown"),
    [
        ("+12125550100;ext=7", "GB", "+1 212-555-0100 ext. 7"),
        ("+12125550100;ext=7", "US", "(212) 555-0100 ext. 7"),
        ("+442079460000;ext=12", "GB", "020 7946 0000 ext. 12"),
        ("020 7946 0000 x12", "GB", "020 7946 0000 ext. 12"),
    ],
)
def test_an_extension_is_shown_after_the_number(stored, region, shown):
    assert phone_display(stored, region) == shown


def test_a_number_with_an_extension_is_another_line_than_the_number_without():
    """The switchboard and someone's extension on it are different numbers: the same name
    with the switchboard's number is not the same person by number (nor do they 'share
    a number'), and the same extension is."""
    stored = Person(name="Jane Smith", company="Acme", phone="+12125550100", id=1)
    rows = [
        Contact(line=2, name="Jane Smith", company="Globex", phone="+1 212 555 0100 ext 7"),
        Contact(line=3, name="Jane Smith", company="Initech", phone="+1 212 555 0100 x7"),
    ]
    result = triage(rows, [stored], region="GB")
    assert [p.phone for p in result.added] == ["+12125550100;ext=7"]
    assert result.merged == [
        "line 3: Jane Smith is Jane Smith (line 2) (Globex) (same name and number)"
    ]
    assert result.flagged == [] and result.unparsed_phones == []
