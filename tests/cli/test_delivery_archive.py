"""Delivery in the callplan JSON export, import and merge (issue 18): every field of
jobs and candidates added with 0016 and every call to a candidate, submission and
planned call goes out and comes back, a file from before 0016 still imports, a merge
remaps every link and adds nothing twice. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json

import pytest

from tests.cli._delivery_desk import TABLES, build, rows

SECTIONS = ("candidate_calls", "submissions", "delivery_calls")


@pytest.fixture
def desk(ok, store):
    build(ok, store.url)
    return store


def exported(ok, *prefix):
    return json.loads(ok(*prefix, "export", "-f", "json").stdout)


def test_an_export_imported_into_a_blank_store_is_the_same_store(ok, desk, blank_store, tmp_path):
    doc = exported(ok)
    assert [len(doc[k]) for k in SECTIONS] == [2, 5, 15]
    assert {s["stage"] for s in doc["submissions"]} == {
        "submitted", "interview", "offered", "placed", "withdrawn"
    }  # fmt: skip
    ola = doc["candidates"][0]
    assert (ola["phone"], ola["cycle_days"], ola["next_call_at"], ola["owner"]) == (
        "07700 900101", 21, "09:30", "Sam"
    )  # fmt: skip
    assert doc["jobs"][0]["client_dm_id"] == 1 and doc["candidates"][1]["referred_by_dm_id"] == 2
    path = tmp_path / "all.json"
    path.write_text(json.dumps(doc))
    out = ok("--db", blank_store.db, "import", str(path)).stderr
    assert "2 candidate calls, 5 submissions, 15 planned delivery calls" in out
    for table in TABLES:
        assert rows(blank_store, table) == rows(desk, table), table
    again = exported(ok, "--db", blank_store.db)
    assert {k: v for k, v in again.items() if k != "suppression_keys"} == {
        k: v for k, v in doc.items() if k != "suppression_keys"
    }
    # New rows are numbered after the file's.
    ok("--db", blank_store.db, "candidate", "add", "Kit Lowe")
    assert blank_store.query("SELECT MAX(id) FROM candidate") == [(6,)]


def test_the_imported_plan_still_plans_the_delivery_calls(ok, desk, blank_store, tmp_path):
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    ok("--db", blank_store.db, "import", str(path))
    q = "SELECT party, purpose, due_on FROM delivery_call WHERE closed_on IS NULL ORDER BY id"
    assert blank_store.query(q) == desk.query(q)
    assert ("client", "cv-feedback", "2026-11-23") in blank_store.query(q)


def before_0016(doc):
    """The document as callplan wrote it before delivery: no new fields nor sections."""
    new = {"client_dm_id"} | {
        "phone", "email", "job_search", "cycle_days", "next_call_on", "next_call_at",
        "due_reason", "last_conversation_on", "conversation_count", "owner",
        "referred_by_dm_id", "prospect_dm_id",
    }  # fmt: skip
    old = {k: v for k, v in doc.items() if k not in SECTIONS}
    old["jobs"] = [{k: v for k, v in j.items() if k not in new} for j in doc["jobs"]]
    old["candidates"] = [{k: v for k, v in c.items() if k not in new} for c in doc["candidates"]]
    return old


def test_a_file_from_before_delivery_still_imports(ok, desk, blank_store, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(before_0016(exported(ok))))
    ok("--db", blank_store.db, "import", str(path))
    assert blank_store.query(
        "SELECT DISTINCT job_search, conversation_count, owner, phone, next_call_on FROM candidate"
    ) == [("looking", 0, None, None, None)]
    assert blank_store.query("SELECT client_dm_id FROM job") == [(None,), (None,)]
    assert blank_store.query("SELECT COUNT(*) FROM submission") == [(0,)]


def test_a_merge_remaps_every_link(ok, desk, blank_store, tmp_path):
    other = ("--db", blank_store.db, "--as", "Kim")
    ok(*other, "dm", "add", "Lou Green", "--company", "Harbour", "--phone", "0113 496 0109")
    ok(*other, "dm", "add", "Ada Frost", "--company", "Harbour", "--phone", "0113 496 0108")
    ok(*other, "job", "add", "Tester", "--company", "Harbour")
    ok(*other, "candidate", "add", "Eve Stone")
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    ok(*other, "import", "--merge", str(path))
    q = blank_store.query
    # The file's DMs are 3 and 4 here, its jobs 2 and 3, its candidates 2 to 6.
    assert q("SELECT id, client_dm_id FROM job ORDER BY id") == [(1, None), (2, 3), (3, 4)]
    assert q("SELECT name, referred_by_dm_id FROM candidate WHERE referred_by_dm_id IS NOT NULL"
             " ORDER BY id") == [("Sam Reid", 4), ("Ben Cole", 4)]  # fmt: skip
    assert q("SELECT candidate_id, job_id FROM candidate_call ORDER BY id") == [(2, None), (2, 2)]
    assert q("SELECT candidate_id, job_id, stage FROM submission ORDER BY id") == [
        (2, 2, "submitted"), (3, 2, "interview"), (4, 3, "offered"), (5, 3, "placed"),
        (2, 3, "withdrawn"),
    ]  # fmt: skip
    assert q(
        "SELECT COUNT(*) FROM delivery_call d JOIN submission s ON s.id = d.submission_id"
    ) == [(15,)]
    assert ("sam", "Sam") in q("SELECT key, name FROM recruiter")
    assert q("SELECT DISTINCT recruiter FROM submission") == [("Sam",)]


def test_merging_the_same_file_twice_doubles_nothing(ok, desk, blank_store, tmp_path):
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    other = ("--db", blank_store.db, "--as", "Kim")
    ok(*other, "dm", "add", "Lou Green", "--company", "Harbour", "--phone", "0113 496 0109")
    ok(*other, "import", "--merge", str(path))
    once = {t: rows(blank_store, t) for t in TABLES}
    out = ok(*other, "import", "--merge", str(path)).stderr
    assert {t: rows(blank_store, t) for t in TABLES} == once
    said = "2 candidate calls, 5 submissions, 15 planned delivery calls already here, left out"
    assert said in " ".join(out.split())
    # And into the store it came from: all of it is there already.
    before = {t: rows(desk, t) for t in TABLES}
    ok("import", "--merge", str(path))
    assert {t: rows(desk, t) for t in TABLES} == before


def test_a_merge_into_a_store_with_the_candidate_adds_their_calls_and_fills_them_in(
    ok, desk, blank_store, tmp_path
):
    other = ("--db", blank_store.db, "--as", "Kim")
    ok(*other, "candidate", "add", "Ola Berg")
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    ok(*other, "import", "--merge", str(path))
    assert blank_store.query(
        "SELECT id, phone, email, owner, conversation_count, last_conversation_on, "
        "next_call_on, due_reason FROM candidate WHERE name = 'Ola Berg'"
    ) == [
        (1, "07700 900101", "ola@example.org", "Kim", 1, "2026-11-20", "2026-11-27", "update-given")
    ]  # fmt: skip  (Kim's candidate stays hers: only the empty is filled)
    assert blank_store.query("SELECT COUNT(*) FROM candidate_call WHERE candidate_id = 1") == [(2,)]


def test_a_merged_conversation_with_the_client_moves_their_chase(ok, desk, blank_store, tmp_path):
    """Kim called Megan about the CVs in her store: once merged, the chase that call
    answered is due later (core.delivery.progress), as if logged here."""
    other = ("--db", blank_store.db, "--as", "Kim")
    ok(*other, "dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101")
    ok(*other, "log", "megan", "-c", "callback", "--on", "2026-11-23")
    path = tmp_path / "kim.json"
    ok(*other, "export", "-f", "json", "-o", str(path))
    q = "SELECT due_on, chases FROM delivery_call WHERE purpose = 'cv-feedback' AND id = 1"
    assert desk.query(q) == [("2026-11-23", 0)]
    ok("import", "--merge", str(path))
    assert desk.query(q) == [("2026-11-25", 1)]


def bad(doc, section, i, **changes):
    doc = json.loads(json.dumps(doc))
    doc[section][i].update(changes)
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("submissions", 0, {"job_id": 9}), "submissions[0].job_id is 9, but jobs has no such id."),
        (
            ("delivery_calls", 0, {"submission_id": 99}),
            "delivery_calls[0].submission_id is 99, but submissions has no such id.",
        ),
        (("jobs", 0, {"client_dm_id": 7}), "jobs[0].client_dm_id is 7, but decision_makers has"),
        (("candidates", 1, {"referred_by_dm_id": 7}), "candidates[1].referred_by_dm_id is 7"),
        (("candidates", 1, {"prospect_dm_id": 7}), "candidates[1].prospect_dm_id is 7"),
        (("candidate_calls", 0, {"candidate_id": 70}), "candidate_calls[0].candidate_id is 70"),
        (
            ("candidate_calls", 0, {"outcome": "update-given"}),
            "candidate_calls[0].outcome is 'update-given'; a no-connect call's outcome is one of",
        ),
        (("candidate_calls", 0, {"outcome": "meeting"}), "candidate_calls[0].outcome is 'meeting'"),
        (("candidate_calls", 0, {"called_on": "2026-11-24"}), "after today (2026-11-23)"),
        (("candidate_calls", 1, {"summary": "a\x07b"}), "holds the control character U+0007"),
        (("submissions", 1, {"candidate_id": 1}), "puts candidate 1 forward for job 1 again"),
        (("submissions", 0, {"stage": "hired"}), "submissions[0].stage is 'hired'; it should be"),
        (
            ("delivery_calls", 0, {"purpose": "interview-prep"}),
            "delivery_calls[0].purpose is 'interview-prep'; no call to the client has that purpose",
        ),
        (("delivery_calls", 0, {"party": "boss"}), "delivery_calls[0].party is 'boss'"),
        (("candidates", 0, {"job_search": "retired"}), "candidates[0].job_search is 'retired'"),
        (("candidates", 0, {"owner": ""}), "candidates[0].owner is ''; it should be a recruiter"),
        (("submissions", 0, {"interview_at": "25:00"}), "submissions[0].interview_at is '25:00'"),
    ],
)
def test_a_file_with_bad_delivery_records_is_refused_whole(
    ok, cli, desk, blank_store, tmp_path, change, message
):
    section, i, changes = change
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad(exported(ok), section, i, **changes)))
    r = cli("--db", blank_store.db, "import", str(path))
    assert r.exit_code != 0 and message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not blank_store.path.exists() or blank_store.query("SELECT COUNT(*) FROM candidate") == [
        (0,)
    ]
