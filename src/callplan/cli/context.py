"""What every command needs, made on first use and held on the Typer context.

Nothing is made at import time: ``--db`` and the environment are read when a command
runs, and the engine is disposed when the command ends (``ctx.call_on_close``).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import typer

from callplan.cli import output
from callplan.core.config import country_hint, load_settings
from callplan.core.dates import day_first, parse_date, parse_when
from callplan.core.desk import Desk
from callplan.core.files import Guard, target
from callplan.core.names import RECRUITER_MAX, name_key, recruiter_name
from callplan.core.paths import resolve_url
from callplan.errors import NotAllowed, StoreError, UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlmodel import Session

    from callplan.core.config import Settings
    from callplan.core.files import Guard, Target
    from callplan.core.workdays import WorkCalendar
    from callplan.services.today import Agenda
    from callplan.store.team import Identity


class Runtime:
    def __init__(
        self,
        ctx: Any,
        db: str | None,
        environ: Mapping[str, str] | None = None,
        *,
        as_: str | None = None,
    ) -> None:
        self.ctx = ctx
        self.db = db
        self.as_ = as_
        self.environ = os.environ if environ is None else environ
        self._hinted_country = False
        self._identity: Identity | None = None

    @cached_property
    def settings(self) -> Settings:

        return load_settings(self.environ)

    @cached_property
    def user(self) -> str:
        """The recruiter this command runs as, as typed: --as, else the user setting
        (CALLPLAN_USER, the config file), else the login name."""
        if self.as_ is None:
            return self.settings.user

        name = recruiter_name(self.as_)
        if name is None:
            raise UsageError(
                f"--as {self.as_!r} is not a recruiter's name: use 1 to {RECRUITER_MAX} "
                "characters, no control characters."
            )
        return name

    def desk(self, s: Session, *, register: bool = False, today: date | None = None) -> Desk:
        """The desk services work at: the settings, the working calendar, ``today`` (the
        real today unless given) and this recruiter (``register``: see ``recruiter``)."""
        return Desk(
            settings=self.settings,
            calendar=self.calendar,
            today=self.today if today is None else today,
            recruiter=self.recruiter(s, register=register),
        )

    def recruiter(self, s: Session, *, register: bool = False) -> str:
        """The recruiter this command runs as, as the store spells them; ``register``
        (in a write session) adds someone new to the store's recruiters.

        On a team store whose recruiters log in as roles of their own, the server says
        who this is (the role logged in as): --as and the user setting don't choose."""
        from callplan.store import queries, team

        if team.is_team_store(s):
            if self._identity is None:
                self._identity = team.identity(s)
            who = self._identity
            if who.recruiter is not None:
                if self.as_ is not None and name_key(self.user) != name_key(who.recruiter):
                    raise NotAllowed(
                        f"You are {who.recruiter} on this team store (logged in as "
                        f"{who.role!r}): --as works on a personal SQLite store only."
                    )
                return who.recruiter
            if (who.team or who.member) and not who.admin:
                raise NotAllowed(
                    f"The database login {who.role!r} is no recruiter of this team store: "
                    f"ask its owner to run callplan team add NAME --login {who.role}."
                )
        return queries.recruiters.recruiter(s, name=self.user, register=register)

    def hint_country(self) -> None:
        """When no country is in force (nothing set one, and the locale names none),
        say how to set it: one line on stderr, once a run, so stdout stays the plan or
        its JSON."""
        hint = None if self._hinted_country else country_hint(self.settings, self.environ)
        self._hinted_country = True
        if hint:
            output.message(hint, style="yellow")

    @cached_property
    def calendar(self) -> WorkCalendar:
        return self.settings.calendar()

    @cached_property
    def today(self) -> date:
        """The date commands treat as today: CALLPLAN_TODAY, else the local date."""
        forced = self.environ.get("CALLPLAN_TODAY", "").strip()
        if not forced:
            return date.today()
        try:
            return date.fromisoformat(forced)
        except ValueError:
            raise UsageError(f"CALLPLAN_TODAY={forced!r} is not a date: use YYYY-MM-DD.") from None

    def date(self, text: str | None, *, past: bool = False) -> date:
        """A date the user typed (None means today); ``past`` reads 'fri' as last Friday."""
        if text is None:
            return self.today

        return parse_date(text, self.today, past=past, first=day_first(self.settings.country))

    def when(
        self, text: str, *, alone: datetime.date | None = None
    ) -> tuple[datetime.date, datetime.time | None]:
        """A next call's date the user typed, with the time of day agreed if they gave
        one ('thu 15:00', 'tomorrow 9:30'); a time alone is for ``alone``, else today
        (core.dates.parse_when)."""
        return parse_when(text, self.today, first=day_first(self.settings.country), alone=alone)

    @cached_property
    def url(self) -> str:
        return resolve_url(self.db, self.environ)

    @cached_property
    def store_engine(self) -> sa.Engine:
        """The store as it is: not created, checked or upgraded (for `db` and `restore`)."""
        from callplan.store.db import make_engine

        engine = make_engine(self.url)
        self.ctx.call_on_close(engine.dispose)
        return engine

    @cached_property
    def engine(self) -> sa.Engine:
        """The store, created if new and upgraded (after a backup) if older."""
        from callplan.store.db import clear_leftovers, ensure_schema

        ensure_schema(self.store_engine, user=lambda: self.user)
        clear_leftovers(self.store_engine)
        return self.store_engine

    @cached_property
    def guard(self) -> Guard:
        """What no file a command writes may replace: this store's files and backups."""
        from callplan.store.db import store_path

        return Guard(store=store_path(self.store_engine))

    def target(
        self, given: str | os.PathLike[str], *, what: str, force: bool, folder_ok: bool = False
    ) -> Target:
        """Where the user asked a command to write, checked by callplan's one writer's
        rules (callplan.core.files) before any work is done."""

        return target(given, what=what, guard=self.guard, force=force, folder_ok=folder_ok)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        from callplan.store.db import session

        with session(self.engine) as s:
            yield s

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: all of it is written, or none of it."""
        from callplan.store.db import session

        with session(self.engine, write=True) as s:
            yield s

    @contextmanager
    def agenda(
        self, *, on: datetime.date, limit: int | None
    ) -> Iterator[tuple[Session, Desk, Agenda, str | None]]:
        """The recruiter's calls for ``on``, in the session they were picked in: (session,
        desk, agenda, a note when the new DMs couldn't be claimed). What the caller does
        with them is part of the same transaction (`today --ics`, `go`).

        Today's agenda claims the new DMs it picks, in one write transaction (quick: a
        handful of rows). Another day's only looks. A store that can't be written
        (read-only, or locked past the busy timeout) still gives the agenda, unclaimed."""
        from callplan import services

        why = None
        if on == self.today and self.calendar.is_working(on) and self.settings.new_per_day:
            made = False
            try:
                with self.writing() as s:
                    desk = self.desk(s, register=True)
                    agenda = services.today.agenda(s, desk, on=on, limit=limit, claim=True)
                    made = True
                    yield s, desk, agenda, None
                return
            except StoreError as exc:
                why = _unwritable(exc.message)
                if made or why is None:  # the caller's own failure, or not a write refused
                    raise
        with self.reading() as s:
            desk = self.desk(s)
            agenda = services.today.agenda(s, desk, on=on, limit=limit)
            yield s, desk, agenda, UNCLAIMED.format(why=why) if why else None


UNCLAIMED = (
    "Note: the store can't be written just now ({why}): today's new DMs are not claimed, "
    "so a colleague may be given them too."
)


def _unwritable(message: str) -> str | None:
    """Why a write failed, if it is the store being read-only or busy (db.explain)."""
    low = message.lower()
    if "read-only" in low:
        return "it is read-only"
    if "locked" in low:
        return "another program holds it"
    return None


def runtime(ctx: typer.Context) -> Runtime:
    obj: Any = ctx.find_root().obj
    if not isinstance(obj, Runtime):  # a command invoked on its own, outside the root app
        obj = Runtime(ctx.find_root(), None)
        ctx.find_root().obj = obj
    return obj
