"""Merging a callplan JSON export into a store that isn't empty (`import --merge`): a
second recruiter's personal store moving into the team store.

The personal stores are SQLite files of their own (as on a recruiter's laptop); the store
they merge into is the test's store, on each backend."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Result, Run, snapshot

KIM_EMAIL = "jane@acme.test"


def personal(ok: Run, path: Path, who: str, *args: str) -> Result:
    """A command on a recruiter's personal store."""
    return ok("--as", who, "--db", str(path), *args)


@pytest.fixture
def sams_desk(ok: Run, tmp_path: Path) -> Path:
    """Sam's personal store, exported: Jane (spoken to twice, an early call), a prospect,
    a referral, a job used as a hook on a call."""
    p = tmp_path / "sam.sqlite3"
    personal(ok, p, "Sam", "dm", "add", "Jane Smith", "--company", "Acme", "--email",
             "jane@acme.test", "--tag", "dotnet")  # fmt: skip
    personal(ok, p, "Sam", "dm", "add", "Ken Adams", "--company", "Initech")
    personal(ok, p, "Sam", "job", "add", "Python Developer", "--company", "Acme", "--tag", "py")
    personal(ok, p, "Sam", "log", "jane", "-a", "cv-review", "--on", "2026-11-02", "-s",
             "Wants CVs", "--hook", "job:1", "-r", "Ola Berg, CTO")  # fmt: skip
    personal(ok, p, "Sam", "log", "jane", "-c", "callback", "--on", "2026-11-16", "-s", "Friday")
    personal(ok, p, "Sam", "note", "jane", "Prefers mornings", "--on", "2026-11-16")
    out = tmp_path / "sam.json"
    personal(ok, p, "Sam", "export", "-f", "json", "-o", str(out))
    return out


@pytest.fixture
def kims_desk(ok: Run, tmp_path: Path) -> Path:
    """Kim's personal store, exported: the same Jane (her email in capitals, another
    company spelling, a phone number Sam didn't have, referred by Mo) called in between
    Sam's calls and after; Lou, whom Kim erased at his request; Mo, a do-not-call; Ken,
    due for a callback; the same job; a candidate."""
    p = tmp_path / "kim.sqlite3"
    personal(ok, p, "Kim", "dm", "add", "Jane Smith", "--company", "Acme Ltd", "--email",
             KIM_EMAIL.upper(), "--phone", "020 7946 0000", "--tag", "sharepoint")  # fmt: skip
    personal(ok, p, "Kim", "dm", "add", "Lou Reed", "--company", "Globex", "--email",
             "lou@globex.test")  # fmt: skip
    personal(ok, p, "Kim", "dm", "add", "Mo Farah", "--company", "Hooli")
    personal(ok, p, "Kim", "dm", "add", "Ken Adams", "--company", "Initech")
    personal(ok, p, "Kim", "dm", "edit", "jane", "--referred-by", "mo")
    personal(ok, p, "Kim", "job", "add", "python developer", "--company", "ACME")
    personal(ok, p, "Kim", "candidate", "add", "Priya Rao", "--tag", "py")
    personal(ok, p, "Kim", "log", "jane", "-c", "rejection", "--on", "2026-11-09", "-s", "No")
    personal(ok, p, "Kim", "log", "jane", "-a", "meeting", "--on", "2026-11-20", "-s", "Meet",
             "--hook", "job:1", "--hook", "candidate:1", "--next", "2026-12-01")  # fmt: skip
    personal(ok, p, "Kim", "log", "mo", "-c", "callback", "--on", "2026-11-19")
    personal(ok, p, "Kim", "log", "ken", "-c", "callback", "--on", "2026-11-21")
    personal(ok, p, "Kim", "dm", "dnc", "mo")
    personal(ok, p, "Kim", "dm", "forget", "lou", "--yes")
    out = tmp_path / "kim.json"
    personal(ok, p, "Kim", "export", "-f", "json", "-o", str(out))
    return out


@pytest.fixture
def team(ok: Run, sams_desk: Path) -> None:
    """The team store (the test's store) with Sam's desk copied in, Mo already there as
    someone Sam may call, and Ken asked not to be called (after Kim's last call)."""
    ok("import", str(sams_desk))
    ok("dm", "add", "Mo Farah", "--company", "Hooli")
    ok("dm", "dnc", "ken")


def dm_json(ok: Run, ref: str) -> dict:
    return ok("dm", "show", ref, "--json").json  # type: ignore[return-value]


def test_a_second_desk_merges_into_the_team_store(ok: Run, team: None, kims_desk: Path, store):
    r = ok("import", "--merge", str(kims_desk))
    assert "Already here: Jane Smith (#1 in the file) is #1 Jane Smith (Acme) (same email)." in (
        r.stderr
    )
    assert "Owner kept: Jane Smith stays Sam's (in the file: Kim)." in r.stderr
    assert r.stderr.endswith(
        f"Merged {kims_desk} into the store: 0 new decision makers, 3 already here; 4 calls, "
        "0 notes, 0 jobs, 1 candidate, 2 call hooks, 1 erasure, 2 suppression entries added "
        "(1 job already here, left out).\n"
    )
    jane = dm_json(ok, "jane")
    # Both histories, numbered again in date order; the latest call (Kim's) sets the diary.
    calls = sorted(jane["calls"], key=lambda c: c["called_on"])
    assert [(c["called_on"], c["recruiter"], c["conversation_number"]) for c in calls] == [
        ("2026-11-02", "Sam", 1),
        ("2026-11-09", "Kim", 2),
        ("2026-11-16", "Sam", 3),
        ("2026-11-20", "Kim", 4),
    ]
    dm = jane["dm"]
    assert dm["conversations"] == 4 and dm["last_spoke_on"] == "2026-11-20"
    assert dm["last_outcome"] == "meeting" and dm["due_on"] == "2026-12-01"
    assert dm["owner"] == "Sam"  # the store's owner stays
    assert dm["phone"] == "+442079460000" and dm["company"] == "Acme"  # blanks filled only
    assert dm["tags"] == ["dotnet", "sharepoint"]
    assert [n["text"] for n in jane["notes"]] == ["Prefers mornings"]
    # Kim's hooks point at the store's job (the same title at the same company) and at the
    # candidate, added.
    jobs = ok("job", "list", "--all", "--json").json["jobs"]
    assert [(j["id"], j["title"]) for j in jobs] == [(1, "Python Developer")]
    kims_call = next(c for c in calls if c["called_on"] == "2026-11-20")
    assert sorted(kims_call["hooks"]) == ["candidate:1", "job:1"]
    # Mo: do-not-call in Kim's store stays so here, and is no longer due.
    mo = dm_json(ok, "mo")["dm"]
    assert mo["status"] == "dnc" and mo["due_on"] is None
    assert mo["owner"] == "Kim"  # nobody owned him here
    assert dm["referred_by_id"] == mo["id"]  # Jane had no referrer here: Kim's link is kept
    # Ken asked the team not to call him: Kim's later callback doesn't bring him back.
    ken = dm_json(ok, "ken")["dm"]
    assert ken["status"] == "dnc" and ken["due_on"] is None and ken["conversations"] == 1
    store.check_sound()


def test_an_erasure_in_one_store_holds_in_the_other(ok: Run, cli, team, kims_desk, tmp_path):
    ok("import", "--merge", str(kims_desk))
    r = cli("dm", "add", "Lou Reed", "--email", "LOU@globex.test")
    assert r.exit_code == 2 and "erased at their request" in r.stderr
    contacts = tmp_path / "old.csv"
    contacts.write_text("Name,Company,Email\nLou Reed,Globex,\nNew Person,Initech,\n")
    r = ok("import", str(contacts))
    assert "1 added as prospects" in r.stderr and "1 suppressed" in r.stderr
    # The team store now matches under two keys, its own and Kim's: both travel on.
    doc = json.loads(ok("export", "-f", "json").stdout)
    kims_key = json.loads(kims_desk.read_text())["suppression_keys"]
    assert len(doc["suppression_keys"]) == 1 and doc["suppression_keys"] == kims_key
    assert [e["reason"] for e in doc["erasures"]] == ["request"]
    ok("dm", "forget", "ken", "--yes")  # an erasure in the team store itself
    doc = json.loads(ok("export", "-f", "json").stdout)
    assert doc["suppression_keys"] == kims_key  # the first key became the store's own
    assert len(doc["suppressions"]) == 2 + 1  # Lou's email and name; Ken's name
    assert cli("dm", "add", "Ken Adams", "--company", "Initech").exit_code == 2


def test_someone_erased_in_the_other_store_but_still_here_is_pointed_out(ok: Run, team, kims_desk):
    """Kim erased Lou at his request; Sam has him too. The merge says so (whether the
    request covers the team's store is for the agency to judge), and erases no one."""
    ok("dm", "add", "Lou Reed", "--company", "Globex")
    lou = dm_json(ok, "lou")["dm"]["id"]
    r = ok("import", "--merge", "--dry-run", str(kims_desk))
    warning = (
        f"Erased at their request in {kims_desk}, still here: #{lou} Lou Reed (Globex). If "
        f"they asked the agency, erase them here too (callplan dm forget {lou}).\n"
    )
    assert warning in r.stderr
    r = ok("import", "--merge", str(kims_desk))
    assert warning in r.stderr
    assert dm_json(ok, "lou")["dm"]["id"] == lou
    r = ok("import", "--merge", str(kims_desk))  # the entries are here now: said once
    assert "still here" not in r.stderr


def test_merging_the_same_file_again_adds_nothing(ok: Run, team, kims_desk, store):
    ok("import", "--merge", str(kims_desk))
    before = snapshot(store)
    r = ok("import", "--merge", str(kims_desk))
    assert "0 new decision makers, 3 already here; 0 calls, 0 notes, 0 jobs, 0 candidates, " \
        "0 call hooks added (" in r.stderr  # fmt: skip
    assert snapshot(store) == before


def test_a_store_merged_with_its_own_export_is_unchanged(ok: Run, team, store, tmp_path):
    ok("log", "jane", "-c", "callback", "--on", "2026-11-20")
    ok("export", "-f", "json", "-o", str(tmp_path / "self.json"))
    before = snapshot(store)
    ok("import", "--merge", str(tmp_path / "self.json"))
    assert snapshot(store) == before


def test_dry_run_says_what_a_merge_would_do_and_writes_nothing(ok: Run, team, kims_desk, store):
    before = snapshot(store)
    dry = ok("import", "--merge", "--dry-run", str(kims_desk))
    assert snapshot(store) == before
    assert dry.stderr.endswith("Nothing was written (--dry-run).\n")
    real = ok("import", "--merge", str(kims_desk))
    said = dry.stderr.replace("Would merge", "Merged").replace(" would be added", " added")
    assert said.replace(" Nothing was written (--dry-run).", "") == real.stderr


def test_a_store_that_is_not_empty_needs_merge(cli: Run, ok, team, kims_desk, store, tmp_path):
    before = snapshot(store)
    for args in (("import", str(kims_desk)), ("import", "--dry-run", str(kims_desk))):
        r = cli(*args)
        assert r.exit_code == 7 and len(r.stderr.strip().splitlines()) == 1
        assert "The store isn't empty (it has decision makers): to add" in r.stderr
        assert "use --merge" in r.stderr
    (tmp_path / "c.csv").write_text("Name\nAnn\n")
    r = cli("import", "--merge", str(tmp_path / "c.csv"))
    assert r.exit_code == 2 and "--merge goes with a callplan JSON export" in r.stderr
    assert snapshot(store) == before


def test_new_records_get_new_ids_and_their_links_follow(ok: Run, store, tmp_path):
    """Into a store whose ids overlap the file's: a referral, a note on a call and the
    hooks on a call point at the records they pointed at in the file."""
    p = tmp_path / "kim.sqlite3"
    personal(ok, p, "Kim", "dm", "add", "Ann Ash", "--company", "A")
    personal(ok, p, "Kim", "job", "add", "Tester")
    personal(ok, p, "Kim", "log", "ann", "-a", "cv-review", "--on", "2026-11-18", "-r",
             "Bea Birch, CIO", "--hook", "job:1", "--competitor", "Hays")  # fmt: skip
    personal(ok, p, "Kim", "export", "-f", "json", "-o", str(tmp_path / "kim.json"))
    for name in ("Zed One", "Zed Two", "Zed Three"):
        ok("dm", "add", name)
    ok("job", "add", "Another Role")
    ok("import", "--merge", str(tmp_path / "kim.json"))
    bea = dm_json(ok, "bea")["dm"]
    ann = dm_json(ok, "ann")
    assert ann["dm"]["id"] == 4 and bea["id"] == 5
    assert bea["referred_by_id"] == 4
    assert ann["calls"][0]["hooks"] == ["job:2"]
    assert ann["notes"][0]["call_id"] == ann["calls"][0]["id"]
    assert ann["dm"]["owner"] == "Kim" and ann["calls"][0]["recruiter"] == "Kim"
    store.check_sound()


# --- any two desks --------------------------------------------------------------------

PEOPLE = [  # (name, company, email): one person each, whichever desk has them
    ("Ann Ash", "Acme", "ann@acme.test"),
    ("Bo Birch", "Brill", "bo@brill.test"),
    ("Cy Cedar", "Cobalt", "cy@cobalt.test"),
    ("Di Dogwood", "Dyno", None),
]
OUTCOMES = [("-n", "no-answer"), ("-c", "callback"), ("-a", "cv-review"), ("-c", "rejection")]
call_st = st.tuples(
    st.integers(0, len(PEOPLE) - 1), st.integers(0, len(OUTCOMES) - 1), st.integers(1, 20)
)
desk_st = st.tuples(
    st.sets(st.integers(0, len(PEOPLE) - 1), min_size=1), st.lists(call_st, max_size=6)
)


def _build(
    ok: Run, path: Path, who: str, desk: tuple[set[int], list[tuple[int, int, int]]]
) -> None:
    people, calls = desk
    for i in sorted(people):
        name, company, email = PEOPLE[i]
        personal(ok, path, who, "dm", "add", name, "--company", company,
                 *(("--email", email) if email else ()))  # fmt: skip
    for person, outcome, day in calls:
        if person in people:
            flag, type_ = OUTCOMES[outcome]
            personal(
                ok, path, who, "log", PEOPLE[person][0], flag, type_, "--on", f"2026-11-{day:02d}",
                "--again",  # the same outcome twice in a day is drawn on purpose
            )  # fmt: skip


def _calls(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT d.name, c.called_on, c.kind, c.outcome, c.logged_at, c.recruiter "
            "FROM call c JOIN decision_maker d ON d.id = c.dm_id ORDER BY 1, 2, 5"
        ).fetchall()


@pytest.mark.slow
@pytest.mark.sqlite_only("the desks are SQLite files; merges into a server store are tested above")
@settings(max_examples=12)
@given(a=desk_st, b=desk_st)
def test_any_two_desks_merge_into_one_consistent_history(ok: Run, a, b) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        team, kims = folder / "team.sqlite3", folder / "kim.sqlite3"
        _build(ok, team, "Sam", a)
        _build(ok, kims, "Kim", b)
        personal(ok, kims, "Kim", "export", "-f", "json", "-o", str(folder / "kim.json"))
        before = _calls(team) + _calls(kims)
        personal(ok, team, "Sam", "import", "--merge", str(folder / "kim.json"))
        # Every call of both desks, once, on the same person.
        assert sorted(_calls(team)) == sorted(before)
        dms = personal(ok, team, "Sam", "dm", "list", "--status", "all", "--json").json["dms"]
        assert sorted(d["name"] for d in dms) == sorted(PEOPLE[i][0] for i in a[0] | b[0])
        for d in dms:
            shown = personal(ok, team, "Sam", "dm", "show", str(d["id"]), "--json").json
            calls = sorted(shown["calls"], key=lambda c: (c["called_on"], c["logged_at"]))
            numbers = [c["conversation_number"] for c in calls if c["kind"] != "no-connect"]
            assert numbers == list(range(1, len(numbers) + 1))
            assert shown["dm"]["conversations"] == len(numbers)
            spoken = [c for c in calls if c["kind"] != "no-connect"]
            assert shown["dm"]["last_spoke_on"] == (spoken[-1]["called_on"] if spoken else None)
            if calls:  # the diary of whichever history has the latest call
                assert shown["dm"]["due_on"] == calls[-1]["next_call_on"]
        with closing(sqlite3.connect(team)) as conn:
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # And again: nothing more.
        rows = snapshot(team)
        personal(ok, team, "Sam", "import", "--merge", str(folder / "kim.json"))
        assert snapshot(team) == rows
