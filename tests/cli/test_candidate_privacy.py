"""Candidates are people too (issue 18): `candidate forget` erases one at their request
(their calls, submissions and planned calls go; their name, email and phone leave
others' records; an old export doesn't bring them back), `candidate export` gives
everything held about them, and erasing a DM clears the jobs and candidates linked to
them. Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json

import pytest

from tests.cli._delivery_desk import build


@pytest.fixture
def desk(ok, store):
    build(ok, store.url)
    return store


def count(store, table, where="1=1"):
    return store.query(f"SELECT COUNT(*) FROM {table} WHERE {where}")[0][0]


def test_forget_erases_the_candidate_with_their_calls_submissions_and_planned_calls(ok, desk):
    ok("note", "megan", "Sam Reid interviews well; call 07700 900102 after six")
    desk.query("UPDATE candidate_call SET summary = 'Told Sam Reid about it' WHERE id = 2")
    r = ok("candidate", "forget", "2", "--yes")
    assert "Erased candidate:2 Sam Reid: 0 calls and 1 submission deleted; mentions of them " \
        "are now [erased] in 2 other records. An import won't add them back." in " ".join(
        r.stdout.split())  # fmt: skip
    assert count(desk, "candidate", "id = 2") == 0
    assert count(desk, "submission", "candidate_id = 2") == 0
    assert count(desk, "submission") == 4
    assert count(desk, "delivery_call") == 11  # the 4 planned calls of Sam's submission went
    assert desk.query("SELECT text FROM note") == [
        ("[erased] interviews well; call [erased] after six",)
    ]
    assert desk.query("SELECT summary FROM candidate_call WHERE id = 2") == [
        ("Told [erased] about it",)
    ]
    assert desk.query("SELECT reason, calls, conversations FROM erasure") == [("request", 0, 0)]
    assert count(desk, "suppression") == 2  # the phone, and the name as a candidate's
    assert "backup" in r.stderr  # what erasure doesn't reach


def test_forget_takes_the_hooks_that_named_them_and_counts_their_calls(ok, desk):
    ok("log", "raj", "-c", "callback", "--hook", "candidate:1")
    assert count(desk, "call_hook", "candidate_id = 1") == 1
    ok("candidate", "forget", "candidate:1", "--yes")
    assert count(desk, "call_hook") == 0 and count(desk, "call") == 3  # the call stays
    assert count(desk, "candidate_call") == 0
    assert desk.query("SELECT calls, conversations FROM erasure") == [(2, 1)]


def test_a_name_another_person_still_here_has_is_left(ok, desk):
    ok("candidate", "add", "Ben Cole")  # a namesake, another candidate
    ok("note", "raj", "Ben Cole starts on the 1st")
    r = ok("candidate", "forget", "4", "--yes")
    assert desk.query("SELECT text FROM note") == [("Ben Cole starts on the 1st",)]
    assert "Left in others' records, as people still here share them: the name Ben Cole" in (
        " ".join(r.stderr.split())
    )


def test_a_dm_erased_keeps_the_name_a_candidate_still_has(ok, desk):
    ok("dm", "add", "Tia Moss", "--company", "Harbour")
    ok("note", "megan", "Tia Moss is strong")
    ok("dm", "forget", "tia", "--yes")
    assert desk.query("SELECT text FROM note") == [("Tia Moss is strong",)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("9",), "No candidate has id 9."),
        (("candidate:x",), "Give the candidate's id, not 'candidate:x'"),
        (("0",), "No candidate has id 0."),
    ],
)
def test_forget_and_export_refuse_an_unknown_candidate(cli, desk, args, message):
    before = desk.snapshot()
    for command in ("forget", "export"):
        r = cli("candidate", command, *args, "--yes" if command == "forget" else "--force")
        assert r.exit_code != 0 and message in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert desk.snapshot() == before


def test_forget_off_a_terminal_needs_yes(cli, desk):
    before = desk.snapshot()
    r = cli("candidate", "forget", "1")
    assert r.exit_code != 0
    assert r.stderr.strip() == (
        "Error: Erasing a candidate can't be undone: confirm it at a terminal, or add --yes."
    )
    assert desk.snapshot() == before


def test_forget_asks_at_a_terminal(cli, desk, monkeypatch):
    from callplan.cli import options

    monkeypatch.setattr(options, "interactive", lambda: True)
    before = desk.snapshot()
    r = cli("candidate", "forget", "1", input="n\n")
    assert r.exit_code != 0 and "Erase candidate:1 Ola Berg with 2 calls and 2 submissions" in (
        r.stderr
    )
    assert desk.snapshot() == before
    cli("candidate", "forget", "1", input="y\n")
    assert count(desk, "candidate", "id = 1") == 0


def test_an_old_export_doesnt_bring_an_erased_candidate_back(ok, desk, tmp_path, blank_store):
    path = tmp_path / "before.json"
    ok("export", "-f", "json", "-o", str(path))
    doc = json.loads(path.read_text())
    ok("candidate", "forget", "1", "--yes")
    ok("candidate", "forget", "5", "--yes")  # no phone, no email: by name
    r = ok("import", "--merge", str(path))
    assert "2 candidates erased at their request left out" in " ".join(r.stderr.split())
    assert desk.query("SELECT name FROM candidate ORDER BY id") == [
        ("Sam Reid",),
        ("Tia Moss",),
        ("Ben Cole",),
    ]
    assert count(desk, "candidate_call") == 0
    # A file from before delivery holds candidates by name only: still left out.
    old = {k: v for k, v in doc.items() if k not in ("candidate_calls", "submissions",
                                                       "delivery_calls")}  # fmt: skip
    kept = ("id", "name", "headline", "tags", "available_on", "status", "created_at", "closed_on")
    old["candidates"] = [{k: c[k] for k in kept} for c in doc["candidates"]]
    path.write_text(json.dumps(old))
    ok("import", "--merge", str(path))
    assert count(desk, "candidate", "name IN ('Ola Berg', 'Nia Hale')") == 0
    # And the entries travel: a store the export goes into keeps them out too.
    ok("export", "-f", "json", "-o", str(tmp_path / "after.json"))
    ok("--db", blank_store.db, "import", str(tmp_path / "after.json"))
    r = ok("--db", blank_store.db, "import", "--merge", str(path))
    assert count(blank_store, "candidate", "name = 'Ola Berg'") == 0


def test_the_email_of_an_erased_candidate_keeps_a_dm_out_too(ok, cli, desk):
    ok("candidate", "forget", "3", "--yes")  # Tia Moss, by her email
    r = cli("dm", "add", "T. Moss", "--company", "Harbour", "--email", "tia.moss@example.net")
    assert r.exit_code != 0 and "matches someone erased at their request" in r.stderr


def test_candidate_export_holds_everything_about_them(ok, desk, tmp_path):
    ok("note", "megan", "Ola Berg is our best .NET candidate")
    ok("log", "raj", "-c", "callback", "--hook", "candidate:1")
    doc = ok("candidate", "export", "1").json
    assert (doc["format"], doc["version"], doc["exported_on"]) == (
        "callplan-subject-access", 1, "2026-11-23"
    )  # fmt: skip
    person = doc["candidate"]
    assert (person["name"], person["phone"], person["email"], person["due_at"]) == (
        "Ola Berg", "07700 900101", "ola@example.org", "09:30"
    )  # fmt: skip
    assert [c["outcome"] for c in doc["calls"]] == ["voicemail", "update-given"]
    assert doc["calls"][1]["summary"] == "Wants hybrid,\nnot London"
    assert [(s["job"]["title"], s["stage"]) for s in doc["submissions"]] == [
        ("Senior .NET Developer", "submitted"), ("Data Engineer", "withdrawn")
    ]  # fmt: skip
    assert [p["purpose"] for p in doc["submissions"][0]["planned_calls"]] == ["cv-feedback"]
    assert doc["marketed_on"] == [
        {"call_id": 3, "called_on": "2026-11-23", "company": "Kestrel Energy"}
    ]
    assert [(m["dm_id"], m["field"]) for m in doc["mentions"]] == [(1, "text")]
    assert doc["referred_by"] is None and doc["as_dm"] is None
    assert ok("candidate", "export", "2").json["referred_by"] == {"id": 2, "name": "Raj Patel"}
    path = tmp_path / "ola.json"
    r = ok("candidate", "export", "1", "-o", str(path))
    assert json.loads(path.read_text()) == doc
    assert "2 calls, 2 submissions, 1 mention in others' records" in r.stderr


def test_erasing_a_dm_clears_the_jobs_and_candidates_linked_to_them(ok, desk):
    desk.query("UPDATE candidate SET prospect_dm_id = 2 WHERE id = 4")
    r = ok("dm", "forget", "raj", "--yes")
    assert desk.query("SELECT id, client_dm_id FROM job ORDER BY id") == [(1, 1), (2, None)]
    assert desk.query(
        "SELECT COUNT(*) FROM candidate WHERE referred_by_dm_id IS NOT NULL"
        " OR prospect_dm_id IS NOT NULL"
    ) == [(0,)]
    assert count(desk, "submission") == 5  # the job and its submissions stay
    desk.check_sound()
    if desk.backend == "pg":  # the tables whose old rows the server's files still hold
        assert "open_loop, candidate, job;" in r.stderr


def test_dm_export_lists_the_jobs_they_gave_and_the_candidates_they_referred(ok, desk):
    desk.query("UPDATE candidate SET prospect_dm_id = 2 WHERE id = 4")
    doc = ok("dm", "export", "raj").json
    assert [(j["id"], j["title"], j["status"]) for j in doc["jobs"]] == [
        (2, "Data Engineer", "open")
    ]
    assert doc["candidates_referred"] == [
        {"id": 2, "name": "Sam Reid"}, {"id": 4, "name": "Ben Cole"}
    ]  # fmt: skip
    assert doc["as_candidate"] == [{"id": 4, "name": "Ben Cole"}]
    assert ok("dm", "export", "megan").json["candidates_referred"] == []


def test_an_erased_candidate_is_not_added_again_unless_they_asked(ok, cli, desk):
    ok("candidate", "forget", "2", "--yes")  # Sam Reid
    r = cli("candidate", "add", "Sam Reid")
    assert r.exit_code == 2 and "matches someone erased at their request" in r.stderr
    assert count(desk, "candidate", "name = 'Sam Reid'") == 0
    r = ok("log", "megan", "-c", "callback", "--candidate-referral", "Sam Reid")
    assert "Sam Reid was erased at their request: not added." in r.stderr
    assert count(desk, "candidate", "name = 'Sam Reid'") == 0
    ok("candidate", "add", "Sam Reid", "--force")  # they asked to be back
    ok("log", "megan", "-c", "callback", "--candidate-referral", "Sam Reid", "--again")
    assert count(desk, "candidate", "name = 'Sam Reid'") == 2  # the suppression was lifted
