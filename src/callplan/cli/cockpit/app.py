"""The call cockpit: `callplan go` full screen (Textual). The day's queue on the left,
the brief of the person selected on the right, the day's progress at the foot, one key
per action. What the keys do is cli/cockpit/day.py's: this module only draws and asks.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from callplan.cli.cockpit.day import (
    CANDIDATE,
    DELIVERY,
    DONE,
    ELSEWHERE,
    FOUND,
    NEW,
    SKIPPED,
    THEIRS,
    Card,
    Day,
    Entry,
    Found,
    Report,
)
from callplan.cli.render import brief_parts, phone, phone_text
from callplan.core import wording
from callplan.core.notes import NOTE_FIELDS
from callplan.core.outcomes import Kind
from callplan.errors import CallplanError

MARKS = {DONE: "✓", SKIPPED: "–", THEIRS: "✗", ELSEWHERE: "✓"}
QUEUE_TEXT = 28  # the queue's width for why: the whole of it is in the brief
SECTION = {NEW: "new", DELIVERY: "delivery", FOUND: "found"}
LABELS = {f.name: f.label for f in NOTE_FIELDS}
KIND_KEYS = {"a": Kind.ADVANCE, "c": Kind.CONTINUATION, "n": Kind.NO_CONNECT}
KEYS = Text.from_markup(
    "[b]a[/b] advance  [b]c[/b] continuation  [b]n[/b] no-connect  [b]s[/b] skip  "
    "[b]e[/b] edit  [b]t[/b] note\n"
    "[b]u[/b] undo  [b]/[/b] search  [b]p[/b] copy number  [b]r[/b] refresh  "
    "[b]?[/b] help  [b]q[/b] quit"
)
HELP = """\
[b]Keys[/b]
  a  log an advance         c  log a continuation     n  log a no-connect
  s  skip for now           u  undo the last call      t  add a note
  e  edit the DM            p  copy the phone number   /  search the store
  r  refresh the plan       ?  this help               q  quit
  ↑ ↓  choose who to call   PgDn / Space, PgUp  scroll the brief

[b]In a form[/b]
  Tab / Shift+Tab  next / previous field    Ctrl+S  save    Esc  cancel
  A value that can't be used is named; what you typed stays.

Everything is saved as it is logged: q (or Ctrl+C) keeps all of it.\
"""


Method = TypeVar("Method", bound=Callable[..., Any])


def guarded(method: Method) -> Method:
    """An action or handler whose unexpected failure ends the cockpit cleanly: kept on the
    app (``failure``) for `go` to report in one line once the screen is restored, instead
    of Textual's traceback, whose local variables would show people's data. What the
    failing action was writing is rolled back by its transaction."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except CallplanError:
            raise
        except Exception as exc:
            self.app.failure = exc
            self.app.exit(return_code=70)
            return None

    return run  # type: ignore[return-value]


def _theme() -> str:
    """The terminal's own colours, dark or light by its COLORFGBG when it says (many
    terminals do; background 7 or 15 is light); NO_COLOR is Textual's own to honour."""
    background = os.environ.get("COLORFGBG", "").rsplit(";", 1)[-1]
    return "ansi-light" if background in ("7", "15") else "ansi-dark"


class Cockpit(App[None]):
    """The full-screen call session of `callplan go`: the day's screen, and the forms
    its keys open over it (whose keys are theirs alone: a letter typed in a form is
    never an action)."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, day: Day) -> None:
        super().__init__()
        self.day = day
        self.theme = _theme()
        self.failure: Exception | None = None  # what ended it unexpectedly (guarded)
        self.refused: CallplanError | None = None  # why the day couldn't be planned

    def on_mount(self) -> None:
        self.title = f"callplan · {self.day.on:%a %d %b %Y}"
        self.push_screen(DayScreen(self.day))


class DayScreen(Screen[None]):
    """The queue, the brief, the day's progress and the keys."""

    DEFAULT_CSS = """
    Screen { layout: vertical; }
    #main { height: 1fr; }
    #queue { width: 34; height: 1fr; border: round $primary; }
    #queue:focus { border: round $accent; }
    #brief-pane { width: 1fr; border: round $secondary; padding: 0 1; }
    #progress { height: 1; padding: 0 1; background: $boost; }
    #message { height: auto; max-height: 3; padding: 0 1; }
    #keys { height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "log('a')", "advance"),
        Binding("c", "log('c')", "continue"),
        Binding("n", "log('n')", "no-conn"),
        Binding("s", "skip", "skip"),
        Binding("e", "edit", "edit"),
        Binding("t", "note", "note"),
        Binding("u", "undo", "undo"),
        Binding("slash", "search", "find"),
        Binding("p", "copy_phone", "copy №", show=False),
        Binding("r", "refresh", "refresh"),
        Binding("question_mark", "help", "help"),
        Binding("q", "app.quit", "quit"),
        Binding("ctrl+c", "app.quit", "quit", show=False),  # as at any prompt
        # The brief's, not the queue's (whose ↑↓ choose): the brief is what runs long.
        Binding("pagedown,space", "scroll_brief(1)", "more", show=False, priority=True),
        Binding("pageup", "scroll_brief(-1)", "back", show=False, priority=True),
    ]

    def __init__(self, day: Day) -> None:
        super().__init__()
        self.day = day
        self.card: Card | None = None
        self.drafts: dict[tuple[tuple[str, int], Kind], Report] = {}
        self.said: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield OptionList(id="queue")
            with VerticalScroll(id="brief-pane"):
                yield Static(id="brief")
        yield Static(id="message")
        yield Static(id="progress")
        yield Static(KEYS, id="keys")

    def on_mount(self) -> None:
        self.query_one("#queue", OptionList).border_title = "Today"
        self.query_one("#queue").focus()
        if self.day.planned:
            self._planned()
            return
        # The screen first, then the plan, in a thread: the store's libraries load and
        # the day is planned while the recruiter is already looking at the screen.
        self.query_one("#brief", Static).update(Text("Planning the day…", style="dim"))
        self.call_after_refresh(self.run_worker, self._plan, thread=True, name="plan")

    def _plan(self) -> None:
        """The worker: plan the day, then hand over to the screen's thread."""
        app = self.app
        assert isinstance(app, Cockpit)
        then: Callable[[], object] = self._planned
        try:
            self.day.plan()
        except CallplanError as exc:  # as any command would say it: in one line, after
            app.refused = exc
            then = functools.partial(app.exit, return_code=exc.exit_code)
        except Exception as exc:  # a bug: as ``guarded`` reports one
            app.failure = exc
            then = functools.partial(app.exit, return_code=70)
        with contextlib.suppress(RuntimeError):  # quit meanwhile: nobody to tell
            app.call_from_thread(then)

    @guarded
    def _planned(self) -> None:
        self._fill_queue(select=self.day.first_open())
        if self.day.unclaimed:
            self._say(self.day.unclaimed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the day is planned only help (and quit, the app's): the rest act on it."""
        return self.day.planned or action in ("help", "scroll_brief")

    # --- drawing --------------------------------------------------------------------

    def _fill_queue(self, select: int | None) -> None:
        queue = self.query_one("#queue", OptionList)
        options = [Option(_entry_line(e), id=str(i)) for i, e in enumerate(self.day.entries)]
        if self.day.unplanned:  # planned as the queue runs short (Day.more)
            more = f"… and {self.day.unplanned:,} more due, planned as you go"
            options.append(Option(Text(more, style="dim italic"), disabled=True))
        queue.set_options(options)
        if self.day.entries:
            queue.highlighted = select if select is not None else 0
        else:
            self._show(None)
        self._draw_progress()

    def _redraw(self, index: int) -> None:
        """The queue line of one person again, after an action changed their mark."""
        self.query_one("#queue", OptionList).replace_option_prompt_at_index(
            index, _entry_line(self.day.entries[index])
        )

    def _draw_progress(self) -> None:
        p = self.day.progress
        parts = [
            f"New DMs {p.new_done} of {p.quota}",
            f"conversations {p.conversations}",
            wording.count(p.advances, "advance"),
            f"{self.day.left} to call",
        ]
        if p.goal:
            parts.append(p.goal)
        self.query_one("#progress", Static).update(Text(" · ".join(parts)))

    def _say(self, *lines: str, error: bool = False) -> None:
        """The message line: what the last action did, or why it couldn't."""
        self.said = lines
        style = "bold red" if error else ""
        self.query_one("#message", Static).update(Text("\n".join(lines), style=style))

    def action_scroll_brief(self, pages: int) -> None:
        pane = self.query_one("#brief-pane", VerticalScroll)
        if pages > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    @guarded
    def _show(self, index: int | None) -> None:
        """Read the person's card afresh and draw it in the brief pane."""
        brief = self.query_one("#brief", Static)
        if index is None:
            self.card = None
            brief.update(Text("Nobody left to call today. r plans again; / finds anyone."))
            return
        entry = self.day.entries[index]
        was = entry.state
        try:
            self.card = self.day.card(entry)
        except CallplanError as exc:  # removed meanwhile (another terminal, an erasure)
            self.card = None
            brief.update(Text(exc.message, style="red"))
            return
        if entry.state != was:
            self._redraw(index)
            self._draw_progress()
        brief.update(_card_view(self.card, self.day))
        self.query_one("#brief-pane", VerticalScroll).scroll_home(animate=False)

    @property
    def _index(self) -> int | None:
        return self.query_one("#queue", OptionList).highlighted

    @guarded
    @on(OptionList.OptionHighlighted, "#queue")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _next(self, after: int) -> None:
        """Move to the next person still to call (the queue as it is, wrapping); the next
        page of due calls is planned first when the queue runs short."""
        if self.day.short:
            who = self.day.entries[after].who
            try:
                self.day.more()
            except CallplanError as exc:
                self._say(exc.message, error=True)
            else:  # where they are now (anyone no longer due has left the queue)
                after = next((i for i, e in enumerate(self.day.entries) if e.who == who), -1)
                self._fill_queue(select=max(after, 0))
        found = self.day.first_open(after)
        queue = self.query_one("#queue", OptionList)
        if found is None:
            self._show(after)
            self._say(
                *self.said, "That's everyone on the plan: q ends the session, / finds anyone."
            )
        elif found == queue.highlighted:
            self._show(found)
        else:
            queue.highlighted = found

    # --- actions --------------------------------------------------------------------

    def _current(self) -> tuple[int, Card] | None:
        index, card = self._index, self.card
        if index is None or card is None or card.entry is not self.day.entries[index]:
            self._say("Choose someone in the queue first.", error=True)
            return None
        return index, card

    @guarded
    def action_log(self, key: str) -> None:
        current = self._current()
        if current is None:
            return
        index, card = current
        if card.entry.state == THEIRS:
            self._say(card.warning or "", error=True)
            return
        kind = KIND_KEYS[key]

        def chosen(kind_type: str | None) -> None:
            if kind_type is None:
                return
            draft = self.drafts.get((card.entry.who, kind)) or Report(kind)
            draft.type = kind_type
            self.app.push_screen(
                LogForm(self.day, card, draft, self.drafts), lambda r: self._logged(index, r)
            )

        self.app.push_screen(TypePicker(kind, self.day.types(card.entry, kind)), chosen)

    @guarded
    def _logged(self, index: int, report: Report | None) -> None:
        card = self.card
        if card is None:
            return
        if report is None:  # cancelled: what was typed waits for the next try
            return
        self.drafts.pop((card.entry.who, report.kind), None)
        self._say(*report.result)
        self._redraw(index)
        self._draw_progress()
        self._next(index)

    @guarded
    def action_skip(self) -> None:
        current = self._current()
        if current is None:
            return
        index, card = current
        self.day.skip(card.entry)
        self._redraw(index)
        self._draw_progress()
        self._say(f"Skipped {card.entry.name}: still due, in the queue until you quit.")
        self._next(index)

    @guarded
    def action_undo(self) -> None:
        try:
            last = self.day.last()
        except CallplanError as exc:
            self._say(exc.message, error=True)
            return
        if last is None:
            self._say("Nothing to undo: you haven't logged a call or a note.", error=True)
            return
        key, what = last

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                said = self.day.undo(key)
            except CallplanError as exc:
                self._say(exc.message, error=True)
                return
            self._fill_queue(select=self._index)
            self._say(said)

        self.app.push_screen(Confirm(f"Take back {what}?"), answered)

    @guarded
    def action_note(self) -> None:
        current = self._current()
        if current is None:
            return
        _, card = current

        def written(said: str | None) -> None:
            if said:
                self._say(said)
                self._show(self._index)

        self.app.push_screen(NoteForm(self.day, card.entry), written)

    @guarded
    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        index, card = current
        if card.dm is None:
            self._say(f"Edit a candidate with: callplan candidate edit {card.entry.ref}")
            return

        def edited(said: str | None) -> None:
            if said:
                self._say(said)
                self._redraw(index)
                self._show(index)

        self.app.push_screen(EditForm(self.day, card), edited)

    @guarded
    def action_search(self) -> None:
        def opened(found: Found | None) -> None:
            if found is None:
                return
            index = self.day.open(found)
            self._fill_queue(select=index)
            self._show(index)

        self.app.push_screen(Search(self.day), opened)

    @guarded
    def action_refresh(self) -> None:
        who = self.day.entries[self._index].who if self._index is not None else None
        try:
            self.day.plan()
        except CallplanError as exc:
            self._say(exc.message, error=True)
            return
        index = next((i for i, e in enumerate(self.day.entries) if e.who == who), None)
        self._fill_queue(select=index if index is not None else self.day.first_open())
        self._say("Planned again: the store as it is now.")

    @guarded
    def action_copy_phone(self) -> None:
        card = self.card
        if card is None or not card.phone:
            self._say("No number to copy.", error=True)
            return
        self.app.copy_to_clipboard(card.phone)
        self._say(f"Copied {phone(card.phone, self.day.region)} to the clipboard.")

    def action_help(self) -> None:
        self.app.push_screen(Help())


# --- what is drawn --------------------------------------------------------------------


def _entry_line(e: Entry) -> Text:
    """A queue line: the mark, the time agreed, the name; under it why (or the result)."""
    mark = MARKS.get(e.state, "•")
    line = Text(f"{mark} ", style="green" if e.state in (DONE, ELSEWHERE) else "")
    if e.time:
        line.append(f"{e.time} ", style="bold")
    line.append(e.name, style="dim" if e.state else "bold")
    if e.who[0] == CANDIDATE:
        line.append(" (candidate)", style="dim")
    elif e.section in SECTION:
        line.append(f" ({SECTION[e.section]})", style="dim")
    why = (e.result if e.state else e.reason) or ""
    line.append(
        "\n  " + (why if len(why) <= QUEUE_TEXT else why[: QUEUE_TEXT - 1] + "…"), style="dim"
    )
    return line


def _card_view(card: Card, day: Day) -> RenderableType:
    parts: list[RenderableType] = []
    if card.warning:
        parts.append(Text(card.warning, style="bold red"))
    for reason in card.entry.delivery:
        parts.append(Text("Delivery: ", style="bold").append(reason, style=""))
    if card.brief is not None:
        parts += brief_parts(card.brief, day.on, region=day.region, link=True)
    elif card.candidate is not None:
        c = card.candidate["candidate"]
        head = Text(f"candidate:{c['id']} {c['name']}", style="bold").append(" · ")
        parts.append(head.append(phone_text(c["phone"], day.region, link=True)))
        parts.append(Text(f"Job search: {c['job_search']}"))
        parts.append(Text("Why now: ", style="bold").append(card.entry.reason, style=""))
        calls = card.candidate["calls"]
        if calls:
            last = calls[0]
            said = f" — {last['summary']}" if last["summary"] else ""
            when = wording.day(last["called_on"], day.on)
            parts.append(Text(f"Last call {when}: {last['outcome']}{said}"))
        for sub in card.candidate["submissions"]:
            job = sub["job"]
            parts.append(Text(f"• job:{job['id']} {job['title']}: {sub['stage']}"))
    return Group(*parts)


# --- the screens the keys open --------------------------------------------------------


class TypePicker(ModalScreen[str | None]):
    """The outcome types of a kind, one key each (1-9, then letters), or ↑↓ and Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    KEYS = "123456789bdfghijklmoruvwxyz"

    def __init__(self, kind: Kind, types: list[str]) -> None:
        super().__init__()
        self.kind, self.types = kind, types

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Which {self.kind.value}? (a key, or ↑↓ Enter; Esc cancels)")
            yield OptionList(
                *(Option(f"{k}  {t}", id=t) for k, t in zip(self.KEYS, self.types, strict=False))
            )

    DEFAULT_CSS = """
    TypePicker { align: center middle; }
    TypePicker .dialog { width: 60; height: auto; max-height: 22; border: round $accent;
        background: $surface; padding: 0 1; }
    TypePicker OptionList { height: auto; max-height: 18; }
    """

    def on_key(self, event: Any) -> None:
        key = (event.character or "").lower()
        if key and key in self.KEYS and self.KEYS.index(key) < len(self.types):
            event.stop()
            self.dismiss(self.types[self.KEYS.index(key)])

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Form(ModalScreen[Any]):
    """A form of fields with its error line; Ctrl+S saves, Esc cancels. The cursor starts
    in the first field."""

    AUTO_FOCUS = "Input, TextArea"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape,ctrl+c", "cancel", "cancel"),  # Ctrl+C again quits: nothing lost
    ]
    DEFAULT_CSS = """
    Form { align: center middle; }
    Form .dialog { width: 76; height: auto; max-height: 23; border: round $accent;
        background: $surface; padding: 0 1; }
    Form .row { height: auto; }
    Form .row Label { width: 22; color: $text-muted; }
    Form Input { width: 1fr; height: 1; border: none; padding: 0; }
    Form Input:focus { border: none; text-style: underline; }
    Form TextArea:focus { border: none; }
    Form TextArea { width: 1fr; height: 2; border: none; padding: 0; }
    Form .error { color: $error; text-style: bold; height: auto; }
    Form .hint { color: $text-muted; height: auto; }
    Form TextArea.note { height: 8; }
    """

    @staticmethod
    def _row(label: str, field: Input | TextArea) -> Horizontal:
        """A field on one line, its label before it."""
        return Horizontal(Label(label), field, classes="row")

    def _value(self, name: str) -> str:
        found = self.query_one(f"#f-{name}")
        return found.text if isinstance(found, TextArea) else found.value  # type: ignore[attr-defined]

    def _refuse(self, exc: CallplanError) -> None:
        """Show why, next to the form, and put the cursor in the field to correct."""
        self.query_one(".error", Static).update(exc.message)
        field = getattr(exc, "field", None)
        if field and self.query(f"#f-{field}"):
            self.query_one(f"#f-{field}").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class LogForm(Form):
    """The call's details: summary, what to say next time, the note fields the picture
    lacks, referrals, the next call (its default and why) with a time, its purpose."""

    def __init__(
        self,
        day: Day,
        card: Card,
        draft: Report,
        drafts: dict[tuple[tuple[str, int], Kind], Report],
    ) -> None:
        super().__init__()
        self.day, self.card, self.draft, self.drafts = day, card, draft, drafts
        self.draft.result = []

    def compose(self) -> ComposeResult:
        d, kind = self.draft, self.draft.kind
        default, why = self.day.default_next(self.card, d)
        conversation = kind.is_conversation
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Label(Text(f"{d.type} with {self.card.entry.name}", style="bold"))
            yield self._row("Summary", Input(d.summary, placeholder="—", id="f-summary"))
            if conversation and self.card.dm is not None:
                yield self._row("To say next time", Input(d.say, placeholder="—", id="f-say"))
                for name in self.day.asks(self.card, kind):
                    hint = "hot, warm, cold" if name == "interest" else "—"
                    field = Input(d.fields.get(name, ""), placeholder=hint, id=f"f-{name}")
                    yield self._row(LABELS[name], field)
                referrals = TextArea(d.referrals, id="f-referrals", tab_behavior="focus")
                yield self._row("Referrals, a line each", referrals)
                yield Label("  (NAME, TITLE, COMPANY, PHONE)", classes="hint")
            if default is not None:
                shown = wording.day(default, self.day.on)
                yield self._row("Next call", Input(d.next, placeholder=shown, id="f-next"))
                yield Label(f"  Enter for {shown}: {why}", classes="hint")
                yield self._row("Time agreed", Input(d.time, placeholder="e.g. 15:00", id="f-time"))
                if self.card.dm is not None:
                    purpose = Input(d.purpose, placeholder="e.g. book-meeting", id="f-purpose")
                    yield self._row("Purpose of next call", purpose)
            else:
                yield Label(Text(why, style="italic"))
            yield Static(classes="error")
            yield Static("Ctrl+S saves · Esc cancels (what you typed is kept)", classes="hint")

    def _read(self) -> Report:
        d = self.draft
        for name in ("summary", "say", "referrals", "next", "time", "purpose"):
            if self.query(f"#f-{name}"):
                setattr(d, name, self._value(name))
        for name in self.day.asks(self.card, d.kind):
            if self.query(f"#f-{name}"):
                d.fields[name] = self._value(name)
        return d

    @guarded
    def action_save(self) -> None:
        report = self._read()
        try:
            report.result = self.day.log(self.card, report)
        except CallplanError as exc:
            self._refuse(exc)
            return
        self.dismiss(report)

    def action_cancel(self) -> None:
        self.drafts[(self.card.entry.who, self.draft.kind)] = self._read()
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()


class NoteForm(Form):
    def __init__(self, day: Day, entry: Entry) -> None:
        super().__init__()
        self.day, self.entry = day, entry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"A note on {self.entry.name}", style="bold"))
            yield TextArea(id="f-note", tab_behavior="focus", classes="note")
            yield Static(classes="error")
            yield Static("Ctrl+S saves · Esc cancels", classes="hint")

    @guarded
    def action_save(self) -> None:
        try:
            said = self.day.note(self.entry, self._value("note"))
        except CallplanError as exc:
            self._refuse(exc)
            return
        self.dismiss(said)


EDITED = ("name", "title", "company", "phone", "email")


class EditForm(Form):
    def __init__(self, day: Day, card: Card) -> None:
        super().__init__()
        self.day, self.card = day, card

    def compose(self) -> ComposeResult:
        dm = self.card.dm
        assert dm is not None
        with Vertical(classes="dialog"):
            yield Label(Text(f"Edit #{dm.id} {dm.name}", style="bold"))
            for name in EDITED:
                value = getattr(dm, name) or ""
                if name == "phone":
                    value = phone(value, self.day.region, missing="")
                yield self._row(name.capitalize(), Input(value, id=f"f-{name}"))
            due = wording.day(dm.next_call_on, self.day.on) if dm.next_call_on else ""
            yield self._row("Next call", Input(due, placeholder="a date, a time", id="f-due"))
            yield Static(classes="error")
            yield Static("Ctrl+S saves · Esc cancels", classes="hint")

    @guarded
    def action_save(self) -> None:
        dm = self.card.dm
        assert dm is not None
        typed = {name: self._value(name) for name in (*EDITED, "due")}
        if typed["phone"] == phone(dm.phone, self.day.region, missing=""):
            typed["phone"] = dm.phone or ""  # as shown: unchanged
        try:
            said = self.day.edit(self.card.entry, typed)
        except CallplanError as exc:
            self._refuse(exc)
            return
        self.dismiss(said)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.focus_next()


class Search(ModalScreen[Found | None]):
    """Find anyone by name, company or note text; Enter on a result opens them."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    Search { align: center middle; }
    Search .dialog { width: 76; height: 20; border: round $accent; background: $surface;
        padding: 0 1; }
    Search Input, Search Input:focus { height: 1; border: none; padding: 0 1; }
    Search OptionList { height: 1fr; }
    """
    AUTO_FOCUS = "Input"

    def __init__(self, day: Day) -> None:
        super().__init__()
        self.day = day
        self.found: list[Found] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Search: a name, a company, words from a note or a call; Enter")
            yield Input(id="f-search")
            yield OptionList(id="results")

    @guarded
    @on(Input.Submitted)
    def _search(self, event: Input.Submitted) -> None:
        try:
            self.found = self.day.search(event.value)
        except CallplanError as exc:
            self.found = []
            self.query_one(Label).update(Text(exc.message, style="red"))
        results = self.query_one("#results", OptionList)
        results.set_options(
            Option(
                Text(f.name, style="bold").append(f"  {f.company or ''}  ({f.where})", style="dim")
            )
            for f in self.found
        )
        if self.found:
            results.highlighted = 0
            results.focus()
        else:
            self.query_one(Label).update(f"Nobody found for {event.value!r}: try other words.")

    @guarded
    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "yes"),
        Binding("n,escape", "answer(False)", "no"),
    ]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm Static { width: 64; height: auto; border: round $warning; background: $surface;
        padding: 0 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(f"{self.question}\n\ny takes it back · n or Esc keeps it")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Help(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "close")]
    DEFAULT_CSS = """
    Help { align: center middle; }
    Help Static { width: 78; height: auto; border: round $accent; background: $surface;
        padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
