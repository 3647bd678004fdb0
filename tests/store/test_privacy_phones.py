"""Suppression entries and the phone form of issue 16 (E.164 with the extension kept, a
number placed only in a country it is valid in): a person erased before it, hashed by
the old form (extension dropped), is still recognised by their number."""

from __future__ import annotations

import pytest

from callplan.store.privacy import identifiers


@pytest.mark.parametrize(
    ("phone", "keys"),
    [
        ("020 7946 0000", ["phone:+442079460000"]),
        ("020 7946 0000 ext 12", ["phone:+442079460000;ext=12", "phone:+442079460000"]),
        ("(212) 555-0100", ["phone:(212) 555-0100", "phone:+442125550100"]),
        ("ask reception", ["phone:ask reception"]),
    ],
)
def test_a_phone_is_hashed_in_its_form_and_in_the_form_before_issue_16(phone, keys):
    found = identifiers(name="Jane", company=None, email=None, phone=phone, region="GB")
    assert found == keys


def test_someone_erased_with_an_extension_is_refused_when_added_again(ok, cli):
    ok("dm", "add", "Jane Smith", "--phone", "020 7946 0000 ext 12")
    ok("dm", "forget", "jane", "--yes")
    r = cli("dm", "add", "J. Smith", "--phone", "020 7946 0000 x12")
    assert r.exit_code != 0 and "erased" in r.stderr
