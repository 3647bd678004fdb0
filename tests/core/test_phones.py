"""How callplan shows a phone number: national for the desk's country, international for
another country's, as typed when it isn't a number phonenumbers can vouch for."""

from __future__ import annotations

import pytest

from callplan.core.contacts import phone_display


@pytest.mark.parametrize(
    ("typed", "region", "shown"),
    [
        # The store's own country: the national format, whatever way it was typed.
        ("+44 (0)113 496 0001", "GB", "0113 496 0001"),
        ("+44 113 496 0001", "GB", "0113 496 0001"),
        ("01134960001", "GB", "0113 496 0001"),
        ("020 7946 0000", "GB", "020 7946 0000"),
        ("0113 496 0001 ext 23", "GB", "0113 496 0001 x23"),
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
