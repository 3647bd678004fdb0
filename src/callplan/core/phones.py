"""Phone numbers: in E.164 with their extension for the store, and as the desk's country
writes them for the screen. phonenumbers is imported only when a number is read."""

from __future__ import annotations

import functools


def region_of(country: str | None) -> str | None:
    """The phone region of a country setting: 'GB-ENG' -> 'GB'."""
    return country.split("-")[0].upper() if country else None


def e164(number: str, region: str | None) -> str | None:
    """The number in E.164 (+442079460000), with its extension in the RFC 3966 way
    (+12125550100;ext=7); None when it can't be placed.

    A number written with its country code ('+1 …', or the international prefix of
    ``region``: '001 …' or '00 33 …' in GB) keeps it; one without is read as a number of
    ``region`` (the desk's country), and must be a valid one there: '(212) 555-0100' in
    GB is a New York number typed without its +1, not a UK number, so it is None rather
    than a wrong '+44…'. A number phonenumbers doesn't know as valid (the ranges kept
    for drama, '07700 900123') is still placed when it has the right length and says
    which country it is: by its country code, or by the trunk prefix ('0' in GB) it
    was written with."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        if not phonenumbers.is_possible_number(parsed):
            return None
        if parsed.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY:
            metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "")
            trunk = metadata.national_prefix if metadata is not None else None
            if not trunk or not phonenumbers.normalize_digits_only(number).startswith(trunk):
                return None
    plain = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{plain};ext={parsed.extension}" if parsed.extension else plain


# A number typed with letters ("0800 FLOWERS") is shown as typed: phonenumbers would
# turn the letters into digits. "ext" and "x" before an extension are not such letters.
_EXTENSION = ("ext.", "ext", "x")


@functools.lru_cache(maxsize=4096)
def phone_display(number: str, region: str | None) -> str:
    """A number as callplan shows it: in the national format of ``region`` (the desk's
    country) when it is one of that country's numbers, in the international format when
    it is another country's, and as typed when it isn't a valid number (or has letters).

    '+44 (0)113 496 0001' -> '0113 496 0001' in GB; '+1 212 555 0123' -> '+1 212-555-0123';
    an extension the same way in every country: '+12125550100;ext=7' -> '+1 212-555-0100
    ext. 7' in GB.
    """
    import phonenumbers

    text = number.strip()
    plain = text.lower()
    for word in _EXTENSION:
        plain = plain.replace(word, " ")
    if not text or any(c.isalpha() for c in plain):
        return number
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):  # formatted, "555 0123" would be "5550123"
        return number
    home = region is not None and parsed.country_code == phonenumbers.country_code_for_region(
        region
    )
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else (phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    extension, parsed.extension = parsed.extension, None
    shown = phonenumbers.format_number(parsed, style)
    return f"{shown} ext. {extension}" if extension else shown
