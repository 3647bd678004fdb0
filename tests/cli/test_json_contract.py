"""The JSON each command prints has the shapes docs/json.md documents, key for key.

docs/json.md is a stable interface for scripts, and its examples are what a script writer
copies. This test reads every example JSON block of the document, runs the command it
documents on a store where every documented list has entries, and compares the *shape*:
the keys of every object (recursively), each list element against the documented
elements (the union of them when a list holds several shapes, e.g. a hook that is a job
or a candidate), and the type class of each value (string, number, boolean, object,
array; ``null`` on either side matches anything). It goes through the CLI only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

# The repository's docs/json.md, wherever under tests/ this file is.
DOC = next(
    p / "docs" / "json.md" for p in Path(__file__).resolve().parents if (p / "docs").is_dir()
)

# --- the documented examples ------------------------------------------------------------

# A ``## `today --json``` heading names the section; the example is its first fenced
# block that holds a JSON object (a ```json block, or a ```console block after its
# ``$ callplan ...`` line).
HEADING = re.compile(r"^## (.+)$", re.M)
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
# A cut in a long list: a line that is only ``…`` or ``...``, maybe with words after it
# (``… (2 more, cut here)``).
CUT = re.compile(r"^[ \t]*(…|\.\.\.)([ \t].*)?$", re.M)
TRAILING_COMMA = re.compile(r",(\s*[\]}])")


def parse_example(block: str) -> object | None:
    """The JSON of a fenced block, its cuts taken out; None if it holds no JSON object."""
    lines = block.splitlines()
    while lines and not lines[0].lstrip().startswith("{"):
        if not lines[0].startswith("$ ") and lines[0].strip():
            return None  # a table or text output, not JSON
        lines.pop(0)
    if not lines:
        return None
    text = CUT.sub("", "\n".join(lines))
    text = TRAILING_COMMA.sub(r"\1", text)  # the entry before a cut kept its comma
    return json.loads(text)


def documented() -> dict[str, object]:
    """Each section's title (``today --json``) and its example JSON."""
    doc = DOC.read_text(encoding="utf-8")
    heads = list(HEADING.finditer(doc))
    examples: dict[str, object] = {}
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = doc[head.end() : nxt.start() if nxt else len(doc)]
        for fence in FENCE.finditer(body):
            example = parse_example(fence.group(1))
            if example is not None:
                examples[head.group(1).strip("`")] = example
                break
    return examples


# Element shapes the document gives in prose only, where its example list is empty:
# {section: {JSON path of the list: the keys of each element}}.
IN_PROSE: dict[str, dict[str, set[str]]] = {
    # "outcomes.hooks | array | {"hook", "title", "conversations", "advances"} ..."
    "stats --json": {"outcomes.hooks": {"hook", "title", "conversations", "advances"}},
}

# --- comparing shapes -------------------------------------------------------------------


def kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def merged(elements: list[object]) -> object:
    """One documented element from several: objects merged key by key (a key is
    required only if every object has it, see ``required``), else the first non-null."""
    objects = [e for e in elements if isinstance(e, dict)]
    if not objects:
        return next((e for e in elements if e is not None), None)
    keys: dict[str, list[object]] = {}
    for obj in objects:
        for key, value in obj.items():
            keys.setdefault(key, []).append(value)
    out = {key: _merge_values(values) for key, values in keys.items()}
    return _Union(out, required={k for k in out if all(k in o for o in objects)})


def _merge_values(values: list[object]) -> object:
    if all(isinstance(v, list) for v in values if v is not None) and any(
        isinstance(v, list) for v in values
    ):
        return [e for v in values if isinstance(v, list) for e in v]
    if any(isinstance(v, dict) for v in values):
        return merged([v for v in values if isinstance(v, dict)])
    kinds = {kind(v) for v in values if v is not None}
    return _Kinds(kinds) if len(kinds) > 1 else next((v for v in values if v is not None), None)


class _Kinds(frozenset):
    """A documented value that is of several kinds in different examples (a setting's
    value: a number or a string)."""


class _Union(dict):
    """A documented object merged from several examples: some keys optional."""

    def __init__(self, keys: dict[str, object], required: set[str]) -> None:
        super().__init__(keys)
        self.required = required


class Check:
    """One comparison: the element shapes given in prose, and the lists that had entries
    in the documentation and in the output (by path, indices left out: ``dms[].tags``)."""

    def __init__(self, extra: dict[str, set[str]]) -> None:
        self.extra = extra
        self.documented: set[str] = set()
        self.filled: set[str] = set()

    def run(self, doc: object, out: object) -> list[str]:
        errors = compare(doc, out, "", self)
        errors += [
            f"{path}: documented with entries, always empty in the output (so unchecked)"
            for path in sorted(self.documented - self.filled)
        ]
        return errors


def compare(doc: object, out: object, path: str, check: Check) -> list[str]:
    """What differs between the documented shape and the output's, as messages."""
    if doc is None or out is None:
        return []
    if isinstance(doc, _Kinds):
        if kind(out) in doc:
            return []
        return [f"{path}: documented as {' or '.join(sorted(doc))}, printed as {kind(out)}"]
    if kind(doc) != kind(out):
        return [f"{path or '(top)'}: documented as {kind(doc)}, printed as {kind(out)}"]
    if isinstance(doc, dict):
        assert isinstance(out, dict)
        required = doc.required if isinstance(doc, _Union) else set(doc)
        errors = [
            f"{join(path, k)}: documented, missing from the output"
            for k in sorted(required - set(out))
        ]
        errors += [
            f"{join(path, k)}: in the output, not documented" for k in sorted(set(out) - set(doc))
        ]
        for key in sorted(set(doc) & set(out)):
            errors += compare(doc[key], out[key], join(path, key), check)
        return errors
    if isinstance(doc, list):
        assert isinstance(out, list)
        where = re.sub(r"\[\d+\]", "[]", path)
        if not doc and where in check.extra:
            doc = [dict.fromkeys(check.extra[where])]
        if not doc:
            return []  # an empty example says nothing of its elements
        check.documented.add(where)
        if out:
            check.filled.add(where)
        element = merged(doc)
        errors: list[str] = []
        said: set[str] = set()  # one message for all the elements a difference is in
        for i, item in enumerate(out):
            for error in compare(element, item, f"{path}[{i}]", check):
                if re.sub(r"\[\d+\]", "[]", error) not in said:
                    said.add(re.sub(r"\[\d+\]", "[]", error))
                    errors.append(error)
        return errors
    return []


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- the store and the commands ---------------------------------------------------------

# Each documented section and the command line that prints it. A section of docs/json.md
# missing from this table fails test_every_documented_json_output_is_run.
COMMANDS: dict[str, tuple[str, ...]] = {
    "today --json": ("today", "--json"),
    "dm list --json": ("dm", "list", "--json"),
    "dm show --json": ("dm", "show", "mark", "--json"),
    "call list --json": ("call", "list", "mark", "--json"),
    "brief --json": ("brief", "mark", "--json"),
    "hooks --json": ("hooks", "raj", "--json"),
    "hooks job:ID --json": ("hooks", "job:1", "--json"),
    "job list --json": ("job", "list", "--all", "--json"),
    "candidate list --json": ("candidate", "list", "--json"),
    "candidate show --json": ("candidate", "show", "1", "--json"),
    "event list --json": ("event", "list", "--json"),
    "goal --json": ("goal", "--json"),
    "loop list --json": ("loop", "list", "--json"),
    "sweep --json": ("sweep", "--dry-run", "--json"),
    "forecast --json": ("forecast", "--days", "5", "--rebalance", "--json"),
    "dm export": ("dm", "export", "mark"),
    "candidate export": ("candidate", "export", "1"),
    "prune --json": ("prune", "--older-than", "1y", "--dry-run", "--json"),
    "config show --json": ("config", "show", "--json"),
    "stats --json": ("stats", "--json"),
    "stats --team --json": ("stats", "--team", "--json"),
    "stats --explain FIGURE --json": ("stats", "--explain", "overdue", "--json"),
}


def fill(ok, db) -> None:
    """A small desk where every list the document shows has entries."""
    ok("job", "add", "Senior .NET Developer", "--company", "Kestrel Energy", "--tag", "dotnet")
    ok("job", "add", "Head of Data", "--company", "Lumen Insurance", "--tag", "data")
    ok("job", "close", "2")
    ok(
        "event", "add", "our breakfast briefing on hiring .NET teams", "--on", "2026-12-10",
        "--venue", "The Calls, Leeds", "--tag", "dotnet",
    )  # fmt: skip
    ok(
        "candidate",
        "add",
        "Ola Berg",
        "--headline",
        "Engineering manager, free from December",
        "--tag",
        "engineering",
        "--tag",
        "dotnet",
        "--available",
        "2026-12-01",
        "--phone",
        "0113 496 0150",
        "--email",
        "ola.berg@example.com",
    )
    ok(
        "log", "candidate:1", "-a", "interested", "--job", "1", "--on", "2026-11-20",
        "-s", "Keen on the Kestrel role",
    )  # fmt: skip
    ok(
        "dm",
        "add",
        "Helen Marsh",
        "--company",
        "Ashby Engineering",
        "--title",
        "Engineering Manager",
        "--phone",
        "01332 496 210",
        "--tag",
        "engineering",
    )
    ok(
        "dm",
        "add",
        "Mark Ellis",
        "--company",
        "Oakridge Retail",
        "--title",
        "IT Director",
        "--phone",
        "0115 496 0321",
        "--email",
        "mark.ellis@oakridge.example",
        "--tag",
        "dotnet",
    )
    ok("dm", "add", "Anna Kowalski", "--company", "Brightwater Hotels", "--phone", "01202 496 333")
    ok("dm", "add", "Raj Gupta", "--company", "Corvid Software", "--tag", "dotnet")
    ok("dm", "add", "Zoe Cold", "--company", "Frost Ltd", "--phone", "020 7946 0555")  # new today
    ok("dm", "add", "Old Leaver", "--company", "Gone Ltd")
    # Helen: out of cycle (a rejection in August), a candidate used as a hook.
    ok(
        "log", "helen", "-c", "rejection", "--on", "2026-08-03", "-s", "No budget this year",
        "--hook", "candidate:1",
    )  # fmt: skip
    # Mark: an advance with notes, a referral and a job as a hook; a note of text only.
    ok(
        "log", "mark", "-a", "live-requirement", "--on", "2026-11-19", "--next", "2026-11-23",
        "-s", "Needs a .NET lead by January", "--competitor", "Hays",
        "--toughest-role", ".NET developers", "--interest", "hot",
        "--referral", "Tomasz Nowak, CTO, Greyfield Bank",
        "--hook", "job:1", "--hook", "candidate:1",
    )  # fmt: skip
    ok("goal", "2 CV reviews agreed")
    # Ola put forward for Mark's own job: the CV feedback chase is due (the delivery list).
    ok("job", "add", "Platform Engineer", "--client", "mark", "--tag", "platform")
    ok("submit", "ola", "Platform Engineer", "--on", "2026-11-18")
    ok("candidate", "add", "Kit Moss", "--tag", "platform")  # placed, with a fee
    ok("submit", "kit", "Platform Engineer", "--on", "2026-11-16")
    ok("placed", "kit", "Platform Engineer", "--fee", "£12,000")
    ok("candidate", "add", "Sara Lind", "--tag", "dotnet")  # to ask about job:1 (hooks job:ID)
    ok("note", "mark", "Prefers calls before 9am", "--on", "2026-11-20")
    ok("log", "tomasz", "-n", "no-answer", "--on", "2026-11-20")
    ok("note", "tomasz", "Mark Ellis says he's the one to ask")
    ok("log", "anna", "-a", "future-requirement", "--on", "2026-11-19", "--next", "2027-01-11")
    # Raj: a try that gave the next one a purpose (stats by purpose), then the call.
    ok(
        "log", "raj", "-n", "no-answer", "--on", "2026-11-18", "--next", "2026-11-20",
        "--purpose", "book a meeting",
    )  # fmt: skip
    ok(
        "log", "raj", "-c", "callback", "--on", "2026-11-20", "--next", "2027-01-07",
        "-s", "Rang mark.ellis@oakridge.example about it",
    )  # fmt: skip
    # Two cycle calls on one day, for forecast --rebalance to move one (see FORECAST).
    for name in ("Cy One", "Cy Two"):
        ok("dm", "add", name, "--company", "Cyclic Ltd")
        ok("log", name, "-c", "rejection", "--on", "2026-08-28")  # next call Thu 26 Nov
    # Someone archived long ago, for prune (which goes by when a DM was added, too).
    ok("log", "leaver", "-c", "rejection", "--on", "2024-03-01")
    ok("log", "leaver", "-n", "left-company", "--on", "2024-03-04")
    db("UPDATE decision_maker SET created_at = '2024-01-02 09:00:00' WHERE name = ?", "Old Leaver")
    # Delivery (the candidate commands are another change's): Mark gave job 1 and
    # referred Ola, who was called, put forward and is mentioned in a note; a second
    # candidate became Mark.
    mark = db("SELECT id FROM decision_maker WHERE name = 'Mark Ellis'")[0][0]
    db("UPDATE job SET client_dm_id = ? WHERE id = 1", mark)
    db("UPDATE candidate SET referred_by_dm_id = ?, phone = '07700 900101' WHERE id = 1", mark)
    ok("candidate", "add", "Mark Ellis")
    db("UPDATE candidate SET prospect_dm_id = ? WHERE id = 2", mark)
    db(
        "INSERT INTO candidate_call (candidate_id, called_on, logged_at, kind, outcome, summary,"
        " job_id, recruiter) VALUES (1, '2026-11-20', '2026-11-20 09:00:00', 'continuation',"
        " 'update-given', 'Wants hybrid', 1, 'Sam')"
    )
    db(
        "INSERT INTO submission (candidate_id, job_id, stage, stage_on, submitted_on,"
        " interviews, no_show, created_at) VALUES (1, 1, 'submitted', '2026-11-18',"
        " '2026-11-18', 0, false, '2026-11-18 09:00:00')"
    )
    db(
        "INSERT INTO delivery_call (submission_id, party, purpose, planned_on, due_on, chases)"
        " VALUES (1, 'client', 'cv-feedback', '2026-11-20', '2026-11-20', 0)"
    )
    ok("note", "helen", "Ola Berg could lead their team")


# Every command's JSON, by backend: the store is filled and the commands run once, by the
# first test that asks (each test has a store of its own, and filling one takes seconds).
RUN: dict[str, dict[str, object]] = {}


# forecast: a capacity of one call and no new DMs, so the two cycle calls of Thursday
# are one too many and one moves.
ENV = {"forecast --json": {"CALLPLAN_CAPACITY": "1", "CALLPLAN_NEW_PER_DAY": "0"}}


@pytest.fixture
def outputs(ok, db, backend: str) -> dict[str, object]:
    if backend not in RUN:
        fill(ok, db)
        RUN[backend] = {name: ok(*args, env=ENV.get(name)).json for name, args in COMMANDS.items()}
    return RUN[backend]


EXAMPLES = documented()


# Outputs only a team store on PostgreSQL prints: tests/store/test_team_roles.py checks
# them against the same examples.
TEAM_ONLY = {"team list --json", "team log --json"}


def test_every_documented_json_output_is_run() -> None:
    assert set(EXAMPLES) - TEAM_ONLY == set(COMMANDS), (
        "docs/json.md and this test's COMMANDS name different outputs: "
        f"only documented {sorted(set(EXAMPLES) - set(COMMANDS))}, "
        f"only run {sorted(set(COMMANDS) - set(EXAMPLES))}"
    )


@pytest.mark.slow  # filling the store and running every command: about 3.5 s
@pytest.mark.parametrize("section", sorted(COMMANDS))
def test_output_has_the_documented_shape(section: str, outputs: dict[str, object]) -> None:
    errors = Check(IN_PROSE.get(section, {})).run(EXAMPLES[section], outputs[section])
    command = "callplan " + " ".join(COMMANDS[section])
    assert not errors, f"{command}: its JSON differs from docs/json.md:\n" + "\n".join(
        f"  {e}" for e in errors
    )
