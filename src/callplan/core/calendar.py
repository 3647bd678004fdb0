"""The plan as an iCalendar file (RFC 5545): one event per call, in consecutive slots.

- ``layout``: the day's calls in slots from ``day_start``, each ``slot_minutes`` long.
  A call agreed for a time of day (``log --next "thu 15:00"``) is at that time, in the
  local time of the machine the store is used on (the time the recruiter typed); the
  others fill the free slots around them, in order, never overlapping a timed one.
  Calls that don't end by ``day_end`` are still placed, stacked after it (the caller
  says how many): a call is never dropped or moved to another day.
- ``tel_uri``: a phone number as a ``tel:`` link.
- ``to_ical``: the events as the bytes of a calendar file.

No I/O and no clock: the caller passes the time stamp and writes the bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from callplan.core.config import Settings
from callplan.errors import ConfigError

PRODID = "-//callplan//callplan call plan//EN"


@dataclass(frozen=True)
class Slot:
    """A call's time on its day, in local wall-clock time (naive)."""

    start: datetime
    end: datetime
    in_hours: bool


@dataclass(frozen=True)
class CallEvent:
    """One planned call: who, when, and what to say."""

    dm_id: int
    name: str
    company: str | None
    phone: str | None
    reason: str
    last_summary: str | None
    hook: str | None
    slot: Slot
    on: date  # the plan's day (a late overflow slot can run past midnight)
    who: str = "dm"  # dm, or candidate (a call of candidates & delivery)

    @property
    def uid(self) -> str:
        """The same person on the same day keeps its UID: a re-import updates the event."""
        return f"callplan-{self.who}{self.dm_id}-{self.on:%Y%m%d}@callplan"

    @property
    def summary(self) -> str:
        company = f" ({self.company})" if self.company else ""
        return f"Call {self.name}{company}: {self.reason}"

    @property
    def description(self) -> str:
        tel = tel_uri(self.phone)
        lines = [f"Why: {self.reason}"]
        lines.append(f"Phone: {self.phone} ({tel})" if tel else "Phone: no number on file")
        if self.last_summary:
            lines.append(f"Last time: {self.last_summary}")
        if self.hook:
            lines.append(f"Hook: {self.hook}")
        return "\n".join(lines)


def layout(
    count: int,
    *,
    on: date,
    day_start: time,
    day_end: time,
    slot_minutes: int,
    times: Sequence[time | None] = (),
) -> list[Slot]:
    """A slot for each of ``count`` calls on ``on``, in order. ``times`` gives the time
    of day agreed for each (None, or left off: none): such a call is at its time. The
    others go back to back from ``day_start``, each in the next slot that overlaps no
    timed call. Slots starting before ``day_start`` or ending after ``day_end`` are
    marked out of hours."""
    if day_end <= day_start:
        raise ConfigError(f"day_end ({day_end:%H:%M}) must be after day_start ({day_start:%H:%M}).")
    first = datetime.combine(on, day_start)
    close = datetime.combine(on, day_end)
    length = timedelta(minutes=slot_minutes)
    agreed = [*times, *[None] * (count - len(times))][:count]
    taken = sorted(
        (datetime.combine(on, at), datetime.combine(on, at) + length)
        for at in agreed
        if at is not None
    )
    slots = []
    cursor = first
    for at in agreed:
        if at is not None:
            start = datetime.combine(on, at)
        else:
            # the next free slot: past every timed call it would overlap
            for busy_start, busy_end in taken:
                if cursor < busy_end and busy_start < cursor + length:
                    cursor = busy_end
            start, cursor = cursor, cursor + length
        slots.append(Slot(start, start + length, first <= start and start + length <= close))
    return slots


def events(calls: Sequence[Mapping[str, Any]], *, settings: Settings) -> list[CallEvent]:
    """Each call on its day ``on``: at its ``time`` if one was agreed, else in the order
    given, in that day's next free slot (``layout``).

    A call is a plan row: ``id``, ``name``, ``company``, ``phone``, ``reason``,
    ``last_summary``, ``hook`` (a label or None), ``on`` and ``time`` ("15:00" or None;
    may be left out); ``kind`` "candidate" for a call to a candidate.
    """
    by_day: dict[date, list[Mapping[str, Any]]] = {}
    for call in calls:
        by_day.setdefault(call["on"], []).append(call)
    placed: dict[int, Slot] = {}
    for on, day_calls in by_day.items():
        slots = layout(
            len(day_calls),
            on=on,
            day_start=settings.day_start,
            day_end=settings.day_end,
            slot_minutes=settings.slot_minutes,
            times=[_time_of(c.get("time")) for c in day_calls],
        )
        placed.update({id(c): slot for c, slot in zip(day_calls, slots, strict=True)})
    return [
        CallEvent(
            dm_id=c["id"],
            name=c["name"],
            company=c.get("company"),
            phone=c.get("phone"),
            reason=c["reason"],
            last_summary=c.get("last_summary"),
            hook=c.get("hook"),
            slot=placed[id(c)],
            on=c["on"],
            who="candidate" if c.get("kind") == "candidate" else "dm",
        )
        for c in calls
    ]


def _time_of(value: Any) -> time | None:
    """A plan row's time of day: "15:00" (as its JSON has it), a time, or None."""
    if value is None or isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


# An extension after the number: ';ext=7' (how callplan stores it), 'ext. 7', 'x7', '#7'.
_EXTENSION = re.compile(r"\s*(?:;\s*ext\s*=|ext\.?|x|#)\s*(\d+)\s*$", re.IGNORECASE)


def tel_uri(phone: str | None) -> str | None:
    """'+44 (0)20 7946 0000' -> 'tel:+442079460000'; None without any digits.

    Only the digits and a leading + are kept; a trunk prefix '(0)' after a country
    code is dropped, as dialling from abroad would. An extension is kept the RFC 3966
    way: '+12125550100;ext=7' -> 'tel:+12125550100;ext=7'.
    """
    if not phone:
        return None
    text = phone.strip()
    extension = ""
    if found := _EXTENSION.search(text):
        text, extension = text[: found.start()], f";ext={found.group(1)}"
    plus = text.startswith("+")
    if plus:
        text = text.replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    return f"tel:{'+' if plus else ''}{digits}{extension}"


def to_ical(events: Sequence[CallEvent], *, stamp: datetime) -> bytes:
    """A calendar with one VEVENT per call. Times are written in UTC (each local slot
    converted with the system's time zone), which every calendar program reads."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", e.slot.start.astimezone(UTC))
        event.add("dtend", e.slot.end.astimezone(UTC))
        event.add("summary", e.summary)
        event.add("description", e.description)
        if tel := tel_uri(e.phone):
            event.add("url", tel)
        cal.add_component(event)
    return bytes(cal.to_ical())
