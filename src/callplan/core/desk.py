"""The desk a use case works at: the rules (settings and working calendar), the day, and
the recruiter. Every service takes ``(session, desk)`` instead of the four by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from callplan.core.config import Settings
from callplan.core.phones import region_of
from callplan.core.workdays import WorkCalendar


@dataclass(frozen=True)
class Desk:
    settings: Settings
    calendar: WorkCalendar
    today: date  # the day the desk works on: the real today, or the day being logged
    recruiter: str | None = None  # as the store spells them; None: nobody in particular

    @property
    def region(self) -> str | None:
        """The region phone numbers without a country code belong to."""
        return region_of(self.settings.country)
