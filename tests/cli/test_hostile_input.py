"""Hostile and broken input (issue 5): every option that takes a value, fed junk.

The commands and their options are read from the Typer app itself, so a new option is
fuzzed without anyone adding it here. For every value: no traceback and no exit 70 (a
bug); a failure is one ``Error: ...`` line on stderr and leaves the store exactly as it
was; a success leaves a store that passes SQLite's integrity and foreign key checks.
Arbitrary Unicode typed as a name, note or summary comes back unchanged from
``dm show --json``.

One store is seeded per test function and restored before each example (from its bytes,
or on PostgreSQL from a copy of the database: cheaper than migrating a new one), so the
file stays well under a minute on SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import example, given, settings
from hypothesis import strategies as st

from callplan.cli import app
from tests.conftest import Result, Run, Store

# --- the commands, from the app itself ------------------------------------------------

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Param:
    """One option or argument that takes a value, on the command at ``path``."""

    path: Path_
    name: str
    opt: str | None  # the long option (None for an argument)
    multiple: bool

    @property
    def id(self) -> str:
        return " ".join((*self.path, self.opt or self.name.upper())) or "(root)"


def _commands(cmd: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


ROOT = typer.main.get_command(app)
COMMANDS: dict[Path_, Any] = dict(_commands(ROOT))
PARAMS: list[Param] = [
    Param(
        path,
        p.name,
        None if p.param_type_name == "argument" else max(p.opts, key=len),
        bool(p.multiple),
    )
    for path, cmd in COMMANDS.items()
    for p in cmd.params
    if p.expose_value and not getattr(p, "is_flag", False)
]


def test_the_walk_finds_every_command_and_option() -> None:
    ids = {p.id for p in PARAMS}
    expected = {
        "--db",
        "--as",
        "today --date",
        "today --ics",
        "sweep --date",
        "sweep --ics",
        "go --date",
        "stats --from",
        "stats --month",
        "stats --explain",
        "stats --svg",
        "log DM",
        "log --advance",
        "log --continuation",
        "log --no-connect",
        "log --summary",
        "log --next",
        "log --on",
        "log --successor",
        "log --referral",
        "log --hook",
        "log --competitor",
        "log --interest",
        "note DM",
        "note TEXT",
        "note --on",
        "note --plans",
        "hooks DM",
        "brief DM",
        "export --format",
        "backup PATH",
        "restore PATH",
        "prune --older-than",
        "dm export DM",
        "dm export --out",
        "dm forget DM",
        "candidate export CANDIDATE",
        "candidate export --out",
        "candidate forget CANDIDATE",
        "export --out",
        "export --status",
        "import FILE",
        "import --format",
        "import --map",
        "import --tag",
        "dm add NAME",
        "dm add --company",
        "dm add --email",
        "dm add --tag",
        "dm add --referred-by",
        "dm add --note",
        "dm list --status",
        "dm list --search",
        "dm list --owner",
        "dm assign DM",
        "dm assign --to",
        "dm assign --from",
        "dm show DM",
        "dm edit DM",
        "dm edit --name",
        "dm edit --due",
        "dm edit --untag",
        "dm archive DM",
        "dm dnc DM",
        "dm restore DM",
        "config set KEY",
        "config set VALUE",
        "config unset KEY",
        "job add TITLE",
        "job add --fee",
        "job close JOB_ID",
        "job add --client",
        "job edit JOB_ID",
        "job edit --client",
        "job edit --title",
        "log --tag",
        "candidate add NAME",
        "candidate add --available",
        "candidate placed CANDIDATE_ID",
        "candidate add --phone",
        "candidate add --search",
        "candidate show CANDIDATE",
        "candidate edit CANDIDATE",
        "candidate edit --due",
        "candidate edit --cycle",
        "log --job",
        "log --candidate-referral",
        "event add TITLE",
        "event add --on",
        "event add --venue",
        "event close EVENT_ID",
        "call edit CALL_ID",
        "call edit --next",
        "call edit --on",
        "call delete CALL_ID",
    }
    assert expected <= ids, expected - ids
    assert len(PARAMS) >= 85
    # Every command with a value to fuzz is in one of the groups below.
    assert {p.path for p in PARAMS} <= {path for paths in GROUPS.values() for path in paths}


# A working invocation of each command; the fuzzed parameter replaces its own value.
BASE: dict[Path_, dict[str, str]] = {
    ("log",): {"dm": "Bob", "continuation": "callback"},
    ("note",): {"dm": "Ada", "text": "Heard they are hiring"},
    ("hooks",): {"dm": "Ada"},
    ("brief",): {"dm": "Ada"},
    ("goal",): {"text": "2 CV reviews"},
    ("export",): {"format_": "csv"},
    ("import",): {"file": "contacts.csv"},
    ("dm", "add"): {"name": "Zoe Quinn"},
    ("dm", "show"): {"dm": "Ada"},
    ("dm", "assign"): {"dm": "Ada", "to": "Kim"},
    ("dm", "edit"): {"dm": "Ada", "title": "Head of IT"},
    ("dm", "archive"): {"dm": "Bob"},
    ("dm", "dnc"): {"dm": "Bob"},
    ("dm", "restore"): {"dm": "Cleo"},
    ("config", "set"): {"key": "cycle_days", "value": "60"},
    ("config", "unset"): {"key": "cycle_days"},
    ("job", "add"): {"title": "Data Engineer"},
    ("job", "close"): {"job_id": "1"},
    ("job", "edit"): {"job_id": "1", "title": "Data Engineer"},
    ("candidate", "add"): {"name": "Eve Adams"},
    ("candidate", "placed"): {"candidate_id": "1"},
    ("candidate", "show"): {"candidate": "1"},
    ("candidate", "edit"): {"candidate": "1", "headline": "Python lead"},
    ("candidate", "prospect"): {"candidate": "1", "company": "Acme"},
    ("submit",): {"candidate": "Dana", "job": "1"},
    ("interview",): {"candidate": "Dana", "job": "1", "at": "thu 10:00"},
    ("offer",): {"candidate": "Dana", "job": "1"},
    ("placed",): {"candidate": "Dana", "job": "1"},
    ("withdrawn",): {"candidate": "Dana", "job": "1"},
    ("event", "add"): {"title": "our briefing", "on": "2026-12-10"},
    ("event", "close"): {"event_id": "1"},
    ("backup",): {"path": "a-backup.sqlite3"},
    ("restore",): {"path": "store-not.sqlite3"},
    ("prune",): {"older_than": "2y"},
    ("dm", "export"): {"dm": "Ada"},
    ("dm", "forget"): {"dm": "Ada"},
    ("candidate", "export"): {"candidate": "1"},
    ("candidate", "forget"): {"candidate": "1"},
    ("call", "list"): {"dm": "Bob"},
    ("call", "edit"): {"call_id": "1", "summary": "Spoke again"},
    ("call", "delete"): {"call_id": "1"},
    ("loop", "open"): {"dm": "Bob"},
    ("loop", "close"): {"dm": "Ada"},
    ("loop", "reopen"): {"dm": "Ada"},
    ("team", "add"): {"name": "Kim"},
    ("team", "remove"): {"name": "Kim", "to": "Sam"},
    ("team", "log"): {},
}
# Where fuzzing one parameter needs a different working invocation.
INSTEAD: dict[tuple[Path_, str], dict[str, str]] = {
    (("log",), "advance"): {"dm": "Bob"},
    (("log",), "no_connect"): {"dm": "Bob"},
    (("log",), "successor"): {"dm": "Bob", "no_connect": "left-company"},
    (("log",), "job"): {"dm": "candidate:1", "advance": "interested"},
    (("log",), "tag"): {"dm": "Bob", "advance": "live-requirement", "job": "Data Engineer"},
    (("log",), "candidate_referral"): {"dm": "candidate:1", "advance": "referral-given"},
    (("dm", "assign"), "from_"): {"to": "Kim"},
}
STDIN: dict[Path_, str] = {("go",): "q\n"}
# The command run after a root option: one that uses it (--as records who logged a call).
ROOT_THEN: dict[str, list[str]] = {"--as": ["log", "Bob", "-c", "callback"]}

GROUPS: dict[str, list[Path_]] = {
    "root": [()],
    "plan": [("today",), ("sweep",), ("go",), ("goal",), ("forecast",), ("stats",)],
    "log": [
        ("log",),
        ("call", "list"),
        ("call", "edit"),
        ("call", "delete"),
        ("loop", "open"),
        ("loop", "close"),
        ("loop", "reopen"),
    ],
    "note": [("note",), ("hooks",), ("brief",)],
    "dm": [
        ("dm", c) for c in ("add", "list", "show", "edit", "archive", "dnc", "restore", "assign")
    ],
    "hooks": [("job", c) for c in ("add", "close", "edit")]
    + [("candidate", c) for c in ("add", "placed", "show", "edit", "prospect")]
    + [("event", c) for c in ("add", "close")],
    "delivery": [("submit",), ("interview",), ("offer",), ("placed",), ("withdrawn",)],
    "files": [("export",), ("import",)],
    "config": [("config", "set"), ("config", "unset")],
    "data": [
        ("backup",),
        ("restore",),
        ("prune",),
        ("dm", "export"),
        ("dm", "forget"),
        ("candidate", "export"),
        ("candidate", "forget"),
    ],
    # On SQLite the team commands refuse at once; on PostgreSQL the team isn't set up.
    "team": [("team", "add"), ("team", "remove"), ("team", "log")],
}
PATH_PARAMS = {"db", "ics", "out", "file", "path", "svg"}


def argv(param: Param, value: str, *, joined: bool, base_dir: Path) -> list[str]:
    """The command line with ``value`` in ``param``'s place, everything else working."""
    values = dict(INSTEAD.get((param.path, param.name), BASE.get(param.path, {})))
    if "file" in values:
        values["file"] = str(base_dir / values["file"])
    values[param.name] = value
    if param.path == ():
        opt = param.opt or "--db"
        then = ROOT_THEN.get(opt, ["dm", "list"])
        return [f"{opt}={value}" if joined else opt, *([] if joined else [value]), *then]
    args, positional = list(param.path), []
    for p in COMMANDS[param.path].params:
        if p.name not in values:
            continue
        if p.param_type_name == "argument":
            positional.append(values[p.name])
        elif joined:
            args.append(f"{max(p.opts, key=len)}={values[p.name]}")
        else:
            args += [max(p.opts, key=len), values[p.name]]
    return [*args, "--", *positional]


# --- hostile values -------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\r",
    "\x7f",
    "\u202eevil",
    "\u200f\u200e",
    "\ufeff",
    "🙂👩‍💻",
    "Zoë Ångström-Łukasiewicz",
    "山田太郎",
    "x" * 10_000,
    "'; DROP TABLE call;--",
    '" OR 1=1 --',
    "$(rm -rf ~)",
    "`id`",
    "%s%n%x",
    "{0}{name}",
    "[bold red]markup[/]",
    "../../etc/passwd",
    "\\",
    "%",
    "_",
    "-",
    "--",
    "--help",
    "-1",
    "0",
    "1",
    "1e309",
    "nan",
    "inf",
    "99999999999999999999999",
    "9223372036854775808",
    "²",
    "٣",
    "#",
    "#1",
    "job:²",
    "job:99999999999999999999",
    "candidate:0",
    "2026-02-30",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "+99999d",
    "+9999d",
    "+9999m",
    "-9999m",
    "+9999w",
    "29 feb",
    "31/31/2026",
    "٢٠٢٦-١١-٢٣",
    "callback",
    "left-company",
    "cycle_days",
    "delay.callback",
    "Ada",
    "a,b,c,d,e",
    "=cmd|' /C calc'!A0",
]
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
mixed = st.lists(st.sampled_from(NASTY) | text, max_size=4).map("".join)
hostile_values = st.sampled_from(NASTY) | text | mixed


def hostile_paths(base: Path) -> st.SearchStrategy[str]:
    """File names that can't be used, or that are odd but fine — all inside ``base``."""
    fixed = [
        "",
        " ",
        "-",
        ".",
        "..",
        str(base),
        str(base / "missing" / "x.csv"),
        str(base / "contacts.csv" / "x.csv"),  # under a file
        str(base / "a\nnew line.csv"),
        str(base / "nul\x00.csv"),
        str(base / ("x" * 300)),
        str(base / "contacts.csv"),
        str(base / "empty.csv"),
        str(base / "binary.csv"),
        str(base / "store-not.sqlite3"),
        "../../etc/passwd",
        "'; DROP TABLE call;--",
        "$(rm -rf ~)",
        "sqlite://",
        "nonsense://x",
        "postgresql://user@localhost:1/x",
        f"sqlite:///{base / 'via-url.sqlite3'}",
    ]
    if os.geteuid() != 0:
        fixed.append(str(base / "readonly" / "x.csv"))
    # Relative names only, without '/' or '~', so nothing lands outside the test folder.
    names = st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="/~"), min_size=1, max_size=30
    )
    return st.sampled_from(fixed) | names.map(lambda n: str(base / n))


# --- the store every example starts from ----------------------------------------------


class Seeded:
    """The seeded store (kept, to restore before each example), its rows, and the scratch
    folder (cwd)."""

    def __init__(self, store: Store, cwd: Path, config: Path) -> None:
        self.store, self.cwd, self.config = store, cwd, config
        store.keep()
        self.rows = store.snapshot()

    def __repr__(self) -> str:  # not the store's rows, in a failing example
        return f"Seeded({self.store.db})"

    def restore(self) -> None:
        self.store.restore()
        self.config.unlink(missing_ok=True)
        for extra in self.cwd.iterdir():  # files an example wrote, e.g. with --out
            if extra.name not in FIXTURE_FILES:
                _remove(extra)


FIXTURE_FILES = {"contacts.csv", "empty.csv", "binary.csv", "readonly", "store-not.sqlite3"}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            _remove(child)
        path.rmdir()
    else:
        path.unlink()


@pytest.fixture
def seeded(store: Store, ok: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    """A few DMs (one spoken to, one archived), a job, a candidate and an event; cwd is a scratch
    folder holding a few files to import."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "contacts.csv").write_text("name,company\nEve Import,Globex\n", encoding="utf-8")
    (cwd / "empty.csv").write_bytes(b"")
    (cwd / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (cwd / "store-not.sqlite3").write_text("not a database\n", encoding="utf-8")
    readonly = cwd / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    monkeypatch.chdir(cwd)
    ok("dm", "add", "Ada Lovelace", "--company", "Acme", "--tag", "python", "--phone", "020 1")
    ok("dm", "add", "Bob Byte", "--company", "Initech")
    ok("dm", "add", "Cleo Archer", "--company", "Acme")
    ok("dm", "archive", "Cleo")
    ok("log", "Ada", "-a", "cv-review", "-s", "Wants Python developers", "--on", "2026-11-20")
    ok("job", "add", "Python Developer", "--company", "Acme", "--tag", "python")
    ok("candidate", "add", "Dana Dev", "--tag", "python")
    ok("event", "add", "our Python breakfast", "--on", "2026-12-10", "--tag", "python")
    if store.backend == "sqlite":
        with closing(sqlite3.connect(store.path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Seeded(store, cwd, tmp_path / "config.toml")


def check(
    result: Result, seeded: Seeded, what: object, before: list[tuple[object, ...]] | None = None
) -> None:
    """The invariants every command keeps, whatever it was given; ``before`` is the
    store's rows before the command (default: as seeded)."""
    assert result.exit_code != 70, (what, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, what
    if result.exit_code != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, (what, result.stderr)
        assert lines[0].startswith("Error: ") and len(lines[0]) > len("Error: "), (what, lines)
        assert seeded.store.snapshot() == (before or seeded.rows), ("a failed command wrote", what)
        assert not seeded.config.exists(), ("a failed command wrote the config file", what)
        return
    seeded.store.check_sound(what)


def fuzz(group: str) -> st.SearchStrategy[Param]:
    return st.sampled_from([p for p in PARAMS if p.path in GROUPS[group]])


def run_one(cli: Run, seeded: Seeded, param: Param, data: st.DataObject) -> None:
    seeded.restore()
    if param.name in PATH_PARAMS:
        value = data.draw(hostile_paths(seeded.cwd), label="path")
    else:
        value = data.draw(hostile_values, label="value")
    joined = data.draw(st.booleans(), label="joined")
    args = argv(param, value, joined=joined, base_dir=seeded.cwd)
    result = cli(*args, input=STDIN.get(param.path, ""))
    check(result, seeded, args)


# --- every option, fed junk -----------------------------------------------------------


def _group_test(group: str, examples: int) -> Callable[..., None]:
    @pytest.mark.slow
    @settings(max_examples=examples)
    @given(data=st.data())
    def test(cli: Run, seeded: Seeded, data: st.DataObject) -> None:
        param = data.draw(fuzz(group), label="param")
        run_one(cli, seeded, param, data)

    test.__name__ = f"test_hostile_values_for_{group}"
    return test


test_hostile_values_for_root = _group_test("root", 20)
test_hostile_values_for_plan = _group_test("plan", 50)
test_hostile_values_for_log = _group_test("log", 60)
test_hostile_values_for_note = _group_test("note", 40)
test_hostile_values_for_dm = _group_test("dm", 60)
test_hostile_values_for_hooks = _group_test("hooks", 30)
test_hostile_values_for_delivery = _group_test("delivery", 40)
test_hostile_values_for_files = _group_test("files", 50)
test_hostile_values_for_config = _group_test("config", 30)
test_hostile_values_for_data = _group_test("data", 40)


@pytest.mark.slow
def test_every_parameter_survives_the_worst_values(cli: Run, seeded: Seeded) -> None:
    """Every parameter at least once, whatever hypothesis happens to draw."""
    for param in PARAMS:
        for value in ("\x00", "x" * 10_000):
            seeded.restore()
            if param.name in PATH_PARAMS:
                value = str(seeded.cwd / value[:300])
            args = argv(param, value, joined=True, base_dir=seeded.cwd)
            check(cli(*args, input=STDIN.get(param.path, "")), seeded, (param.id, value[:20]))


# --- what is stored comes back as typed -----------------------------------------------

# Text a recruiter could type: any Unicode but surrogates and control characters (which
# are refused, tested above), up to a long paragraph.
printable = [v for v in NASTY if not any(unicodedata.category(c) == "Cc" for c in v)]
typed = st.lists(
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=100)
    | st.sampled_from(printable),
    max_size=4,
).map("".join)


def one_line(value: str) -> str | None:
    """How a one-line field is stored: whitespace runs as one space, trimmed."""
    return " ".join(value.split()) or None


@pytest.mark.slow
@settings(max_examples=40)
@given(name=typed, company=typed, title=typed, note=typed, summary=typed, plans=typed)
@example(
    name="'; DROP TABLE call;--",
    company="\u202eevil\u200f",
    title="[bold red]markup[/]",
    note="$(rm -rf ~)\n`id`",
    summary="🙂👩‍💻 %s%n",
    plans="山田太郎 {0}",
)
def test_typed_text_comes_back_unchanged(
    cli: Run,
    seeded: Seeded,
    name: str,
    company: str,
    title: str,
    note: str,
    summary: str,
    plans: str,
) -> None:
    seeded.restore()
    added = cli(
        "dm", "add", f"--company={company}", f"--title={title}", f"--note={note}", "--", name
    )
    check(added, seeded, ("dm add", name))
    if added.exit_code != 0:  # only an empty name, or a field too long
        assert one_line(name) is None or "too long" in added.stderr, added.stderr
        return
    dm_id = added.stdout.split()[1].lstrip("#")
    before = seeded.store.snapshot()
    logged = cli("log", f"--summary={summary}", f"--plans={plans}", "-c", "callback", "--", dm_id)
    check(logged, seeded, ("log", summary, plans), before)
    if logged.exit_code != 0:
        assert "too long" in logged.stderr, logged.stderr
        summary = plans = ""
        assert cli("log", "-c", "callback", "--", dm_id).exit_code == 0
    shown = cli("dm", "show", "--json", "--", dm_id)
    assert shown.exit_code == 0, shown.stderr
    data: Any = shown.json
    assert data["dm"]["name"] == one_line(name)
    assert data["dm"]["company"] == one_line(company)
    assert data["dm"]["title"] == one_line(title)
    assert [n["text"] for n in data["notes"] if n["text"]] == (
        [note.strip()] if note.strip() else []
    )
    assert data["calls"][0]["summary"] == (summary.strip() or None)
    if one_line(plans):
        assert data["picture"]["plans"]["value"] == one_line(plans)


# --- hostile files to import ----------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=30)
@given(
    content=st.binary(max_size=2000)
    | typed.map(lambda t: "name,company,phone,email\n" + t)
    | st.lists(st.lists(hostile_values, max_size=5), max_size=5).map(
        lambda rows: "\n".join(",".join(r) for r in [["name", "company", "tags"], *rows])
    )
    | st.sampled_from(
        [
            "name\n" + "x" * 200_000 + "\n",  # past the csv module's field limit
            'name\n"unterminated\n',
            "{",
            '{"format": "callplan", "version": 999}',
            "[]",
            "BEGIN:VCARD\nFN:\x00\nEND:VCARD\n",
            "\ufeffFirst Name,Last Name\n\x00,\x00\n",
        ]
    ),
    suffix=st.sampled_from([".csv", ".json", ".vcf", ""]),
)
def test_a_hostile_file_to_import(
    cli: Run, seeded: Seeded, content: str | bytes, suffix: str
) -> None:
    seeded.restore()
    path = seeded.cwd / f"hostile{suffix}"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(content)
    result = cli("import", str(path))
    assert result.exit_code != 70, result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        # Rows it can't import are listed one per line before the error.
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines[-1].startswith("Error: "), result.stderr
        assert sum(line.startswith("Error: ") for line in lines) == 1, result.stderr
        assert seeded.store.snapshot() == seeded.rows
    else:
        check(result, seeded, content)


# --- a go session, answered with junk -------------------------------------------------


@pytest.mark.slow
@settings(max_examples=25)
@given(
    answers=st.lists(
        st.sampled_from(["a", "c", "n", "s", "1", "2", "99", "", "²", "hot"]) | hostile_values,
        max_size=14,
    )
)
def test_a_go_session_survives_any_answers(cli: Run, seeded: Seeded, answers: list[str]) -> None:
    """Each call is saved as it is answered, so a session cut short keeps what was done;
    input that runs out mid-prompt ends it with 'Aborted.'."""
    seeded.restore()
    result = cli("go", input="\n".join(answers) + "\n")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code == 1:
        assert result.stderr.rstrip().endswith("Aborted."), result.stderr
    seeded.store.check_sound()
