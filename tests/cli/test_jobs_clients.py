"""Jobs belong to clients (issue 18): `job add --client`, `job edit`, a job from a live
requirement (`log … --job`), where each job stands in `job list`, `dm show`, the brief and
today's reason, never offered to its client as a hook, and the candidates to ask for
referrals (`job add`, `hooks job:ID`). Today is Mon 23 Nov 2026."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def desk(ok):
    """Megan Price (#1, Leeds Digital) and Raj Gupta (#2, Corvid Software), both dotnet;
    Ann Lee (candidate:1, dotnet and azure), Bo Chen (candidate:2, azure), Cy Dee
    (candidate:3, sales)."""
    ok("config", "set", "country", "GB-ENG")
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital", "--phone", "0113 496 0101",
       "--tag", "dotnet")  # fmt: skip
    ok("dm", "add", "Raj Gupta", "--company", "Corvid Software", "--tag", "dotnet")
    ok("candidate", "add", "Ann Lee", "--tag", "dotnet", "--tag", "azure")
    ok("candidate", "add", "Bo Chen", "--tag", "azure")
    ok("candidate", "add", "Cy Dee", "--tag", "sales")


def jobs(ok, *args):
    return ok("job", "list", "--json", *args).json["jobs"]


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- job add --client ---------------------------------------------------------------


def test_job_add_links_the_client_and_takes_their_company(ok, desk, db):
    out = ok("job", "add", "Senior .NET Developer", "--client", "megan").stdout
    assert out.splitlines()[0] == "Added job:1 Senior .NET Developer for Megan Price."
    [job] = jobs(ok)
    assert job["client"] == {"id": 1, "name": "Megan Price"}
    assert job["company"] == "Leeds Digital"
    assert db("SELECT client_dm_id FROM job") == [(1,)]


def test_a_company_given_wins_over_the_clients(ok, desk):
    out = ok("job", "add", "Tester", "--client", "megan", "--company", "Leeds Digital Labs").stdout
    assert out.startswith("Added job:1 Tester (Leeds Digital Labs) for Megan Price.")
    assert jobs(ok)[0]["company"] == "Leeds Digital Labs"


def test_a_job_without_a_client_has_none(ok, desk):
    ok("job", "add", "Tester", "--company", "Acme")
    [job] = jobs(ok)
    assert job["client"] is None and job["standing"] == "no CVs sent yet"


def test_an_unknown_client_is_refused_and_nothing_is_written(cli, desk, db):
    result = cli("job", "add", "Tester", "--client", "nobody")
    assert result.exit_code != 0
    assert "nobody" in result.stderr.lower() and len(result.stderr.strip().splitlines()) == 1
    assert db("SELECT COUNT(*) FROM job") == [(0,)]


@pytest.mark.parametrize(
    ("command", "said"),
    [("archive", "is archived"), ("dnc", "is marked do-not-call")],
)
def test_a_job_from_a_client_not_called_is_added_with_a_warning(ok, desk, command, said):
    ok("dm", command, "raj")
    result = ok("job", "add", "Tester", "--client", "raj")
    assert "Added job:1 Tester for Raj Gupta." in result.stdout
    assert f"Raj Gupta {said}" in one_line(result.stderr)
    assert jobs(ok)[0]["client"]["id"] == 2


# --- asking candidates for referrals ----------------------------------------------------


def test_a_new_job_lists_the_matching_candidates_to_ask_for_referrals(ok, desk):
    out = ok("job", "add", "Cloud Dev", "--client", "megan", "--tag", "azure", "--tag", "dotnet")
    assert out.stdout.splitlines()[1] == (
        "Ask them for referrals: candidate:1 Ann Lee (azure, dotnet), candidate:2 Bo Chen (azure)."
    )


def test_no_candidate_to_ask_when_none_shares_a_tag(ok, desk):
    out = ok("job", "add", "Nurse", "--tag", "nursing").stdout
    assert "referrals" not in out


def test_at_most_five_candidates_are_listed_the_most_tags_in_common_first(ok, desk):
    for i in range(6):
        ok("candidate", "add", f"Extra {i}", "--tag", "azure")
    line = ok("job", "add", "Cloud Dev", "--tag", "azure", "--tag", "dotnet").stdout.splitlines()[1]
    assert line.count("candidate:") == 5
    assert line.startswith("Ask them for referrals: candidate:1 Ann Lee (azure, dotnet), ")


def test_placed_candidates_are_not_asked(ok, desk):
    ok("candidate", "placed", "1")
    line = ok("job", "add", "Cloud Dev", "--tag", "dotnet", "--tag", "azure").stdout
    assert "Ann Lee" not in line and "Bo Chen" in line


def test_hooks_job_lists_the_matching_candidates(ok, desk):
    ok("job", "add", "Cloud Dev", "--client", "megan", "--tag", "azure")
    data = ok("hooks", "job:1", "--json").json
    assert data["job"]["ref"] == "job:1"
    assert [(c["ref"], c["shared_tags"]) for c in data["candidates"]] == [
        ("candidate:2", ["azure"]),
        ("candidate:1", ["azure"]),
    ]
    assert "Ann Lee" in ok("hooks", "job:1").stdout


def test_hooks_job_leaves_out_candidates_already_put_forward(ok, desk):
    ok("job", "add", "Cloud Dev", "--client", "megan", "--tag", "azure")
    ok("submit", "ann", "1")
    refs = [c["ref"] for c in ok("hooks", "job:1", "--json").json["candidates"]]
    assert refs == ["candidate:2"]


def test_hooks_job_with_no_match_says_so(ok, desk):
    ok("job", "add", "Nurse", "--tag", "nursing")
    result = ok("hooks", "job:1")
    assert "No open candidate shares a tag with job:1 Nurse (nursing)." in one_line(result.stderr)


def test_hooks_dm_still_works_and_other_refs_are_refused(ok, cli, desk):
    ok("job", "add", "Cloud Dev", "--client", "megan", "--tag", "dotnet")
    assert ok("hooks", "raj", "--json").json["dm"]["id"] == 2
    for ref in ("candidate:1", "job:x"):
        result = cli("hooks", ref)
        assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1
    assert cli("hooks", "job:99").exit_code != 0


# --- a client's own job is never their hook -------------------------------------------


def test_a_clients_own_job_is_not_their_hook_even_at_another_company(ok, desk):
    ok("job", "add", "Cloud Dev", "--client", "megan", "--company", "Elsewhere", "--tag", "dotnet")
    megan = [h["ref"] for h in ok("hooks", "megan", "--json").json["hooks"]]
    raj = [h["ref"] for h in ok("hooks", "raj", "--json").json["hooks"]]
    assert "job:1" not in megan
    assert "job:1" in raj  # another DM in the field: a source of names


# --- job edit --------------------------------------------------------------------------


def test_job_edit_corrects_the_client_and_the_company_follows(ok, desk):
    ok("job", "add", "Tester", "--client", "megan")
    out = ok("job", "edit", "1", "--client", "raj").stdout
    assert out.strip() == "Updated job:1 Tester (Corvid Software) for Raj Gupta: client, company."
    [job] = jobs(ok)
    assert job["client"]["id"] == 2 and job["company"] == "Corvid Software"


def test_job_edit_keeps_a_company_that_was_not_the_clients(ok, desk):
    ok("job", "add", "Tester", "--client", "megan", "--company", "Leeds Labs")
    ok("job", "edit", "1", "--client", "raj")
    assert jobs(ok)[0]["company"] == "Leeds Labs"


def test_job_edit_client_none_unlinks(ok, desk):
    ok("job", "add", "Tester", "--client", "megan")
    out = ok("job", "edit", "1", "--client", "none").stdout
    assert "no client: client." in out
    assert jobs(ok)[0]["client"] is None


def test_job_edit_title_company_fee_and_tags(ok, desk):
    ok("job", "add", "Tstr", "--client", "megan", "--tag", "dotnte", "--fee", "20%")
    ok("job", "edit", "1", "--title", "Tester", "--company", "", "--fee", "18%",
       "--tag", "dotnet", "--untag", "dotnte")  # fmt: skip
    [job] = jobs(ok)
    assert (job["title"], job["company"], job["fee"], job["tags"]) == (
        "Tester",
        None,
        "18%",
        ["dotnet"],
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("1",), "Nothing to change on job:1"),
        (("1", "--title", " "), "title can't be empty"),
        (("9", "--title", "X"), "No job has id 9"),
        (("1", "--client", "nobody"), "nobody"),
    ],
)
def test_job_edit_errors_are_one_line_and_write_nothing(ok, cli, desk, db, args, said):
    ok("job", "add", "Tester", "--client", "megan")
    result = cli("job", "edit", *args)
    assert result.exit_code != 0
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert db("SELECT title, client_dm_id FROM job") == [("Tester", 1)]


def test_a_new_client_archived_is_warned_about(ok, desk):
    ok("job", "add", "Tester")
    ok("dm", "archive", "raj")
    assert "Raj Gupta is archived" in one_line(ok("job", "edit", "1", "--client", "raj").stderr)


# --- log … -a live-requirement --job ---------------------------------------------------


def test_a_live_requirement_adds_the_job_for_the_dm(ok, desk, db):
    out = ok("log", "megan", "-a", "live-requirement", "--job", "Senior .NET Developer",
             "--tag", "dotnet").stdout.splitlines()  # fmt: skip
    assert out[0].startswith("Logged advance (live-requirement) with Megan Price")
    assert out[1] == "Added job:1 Senior .NET Developer for Megan Price."
    assert out[2] == "Ask them for referrals: candidate:1 Ann Lee (dotnet)."
    [job] = jobs(ok)
    assert (job["client"]["id"], job["company"], job["tags"]) == (1, "Leeds Digital", ["dotnet"])
    # in the call's transaction: marked by the moment it was logged
    assert db("SELECT COUNT(*) FROM job JOIN call ON job.from_call_id = call.id") == [(1,)]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("-c", "callback", "--job", "Tester"), "or with --advance live-requirement"),
        (("-a", "cv-review", "--job", "Tester"), "or with --advance live-requirement"),
        (("-n", "no-answer", "--job", "Tester"), "or with --advance live-requirement"),
        (("-a", "live-requirement", "--job", "7"), "is an id"),
        (("-a", "live-requirement", "--job", " "), "job title is empty"),
        (("-a", "live-requirement", "--tag", "x"), "--tag goes with --job"),
    ],
)
def test_job_with_a_dm_errors_are_one_line_and_write_nothing(cli, desk, db, args, said):
    result = cli("log", "megan", *args)
    assert result.exit_code != 0
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert db("SELECT COUNT(*) FROM job") == [(0,)]
    assert db("SELECT COUNT(*) FROM call") == [(0,)]


def test_tag_with_a_candidate_call_is_refused(cli, desk):
    result = cli("log", "candidate:1", "-a", "interested", "--tag", "x")
    assert result.exit_code != 0 and "--tag" in result.stderr


def test_undo_removes_the_job_the_call_added_when_nothing_refers_to_it(ok, desk, db):
    ok("log", "megan", "-a", "live-requirement", "--job", "Tester")
    result = ok("undo", "--yes")
    assert "Removed the job it added: job:1 Tester." in one_line(result.stderr)
    assert db("SELECT COUNT(*) FROM job") == [(0,)]


def test_undo_keeps_the_job_once_a_candidate_is_put_forward(ok, desk, db):
    ok("job", "add", "Older", "--client", "megan")  # not the call's: never touched
    ok("log", "megan", "-a", "live-requirement", "--job", "Tester")
    ok("submit", "ann", "Tester")
    # undo would take the submission back first (the newest): delete the call itself
    [call] = ok("call", "list", "megan", "--json").json["calls"][:1]
    result = ok("call", "delete", str(call["id"]), "--yes")
    assert "Kept the job it added, job:2 Tester" in one_line(result.stderr)
    assert db("SELECT id, client_dm_id FROM job ORDER BY id") == [(1, 1), (2, 1)]


def test_call_delete_takes_the_job_back_too_and_leaves_other_jobs(ok, desk, db):
    ok("log", "megan", "-a", "live-requirement", "--job", "Tester", "--on", "2026-11-16")
    ok("log", "megan", "-a", "live-requirement", "--job", "Analyst")
    ok("call", "delete", "1", "--yes")
    assert db("SELECT title FROM job") == [("Analyst",)]


# --- where a job stands ----------------------------------------------------------------


@pytest.fixture
def progress(ok, desk):
    """job:1 Senior .NET Developer, Megan's, tagged dotnet: three CVs sent, one interview on
    Thu 26 Nov, one offer."""
    ok("log", "megan", "-a", "live-requirement", "--job", "Senior .NET Developer",
       "--tag", "dotnet", "--on", "2026-11-16")  # fmt: skip
    for name in ("ann", "bo", "cy"):
        ok("submit", name, "1", "--on", "2026-11-17")
    ok("interview", "bo", "1", "--at", "thu 10:00")
    ok("offer", "cy", "1")


STANDING = "job:1 Senior .NET Developer: 3 CVs sent, 1 interview Thu 26 Nov, 1 offer"


def test_job_list_shows_the_client_and_where_the_job_stands(ok, progress):
    [job] = jobs(ok)
    assert job["standing"] == "3 CVs sent, 1 interview Thu 26 Nov, 1 offer"
    text = one_line(ok("job", "list").stdout)
    assert "Client" in text and "Megan" in text and "1 offer" in text


def test_dm_show_lists_their_open_jobs(ok, progress):
    data = ok("dm", "show", "megan", "--json").json
    assert data["jobs"] == [
        {
            "id": 1,
            "ref": "job:1",
            "title": "Senior .NET Developer",
            "standing": "3 CVs sent, 1 interview Thu 26 Nov, 1 offer",
        }
    ]
    assert f"Their jobs {STANDING}" in one_line(ok("dm", "show", "megan").stdout)
    assert ok("dm", "show", "raj", "--json").json["jobs"] == []


def test_a_closed_job_is_no_longer_listed_as_theirs(ok, progress):
    ok("job", "close", "1")
    assert ok("dm", "show", "megan", "--json").json["jobs"] == []
    assert ok("brief", "megan", "--json").json["jobs"] == []


def test_the_brief_lists_their_jobs_and_gives_the_update_as_a_reason(ok, progress):
    data = ok("brief", "megan", "--json").json
    assert [j["standing"] for j in data["jobs"]] == ["3 CVs sent, 1 interview Thu 26 Nov, 1 offer"]
    assert data["reason"].endswith(f"; update on {STANDING}")
    assert f"Their jobs • {STANDING}" in one_line(ok("brief", "megan").stdout)


def test_today_gives_the_jobs_progress_as_part_of_the_reason(ok, progress):
    [row] = ok("today", "--json").json["due"]
    assert row["id"] == 1
    assert row["reason"].endswith(f"; update on {STANDING}")


def test_today_loads_the_standings_of_every_due_dm(ok, progress):
    ok("log", "raj", "-a", "live-requirement", "--job", "Analyst", "--on", "2026-11-16")
    reasons = {r["id"]: r["reason"] for r in ok("today", "--json").json["due"]}
    assert reasons[1].endswith(f"; update on {STANDING}")
    assert reasons[2].endswith("; update on job:2 Analyst: no CVs sent yet")


def test_the_call_a_job_came_on_survives_an_export_and_a_merge(ok, tmp_path, blank_store):
    ok("dm", "add", "Megan Price", "--company", "Leeds Digital")
    ok("log", "megan", "-a", "live-requirement", "--job", "Data Engineer")
    path = tmp_path / "all.json"
    ok("export", "-f", "json", "-o", str(path))
    doc = json.loads(path.read_text())
    assert [(j["title"], j["from_call_id"]) for j in doc["jobs"]] == [("Data Engineer", 1)]
    other = ("--db", blank_store.db, "--as", "Kim")
    ok(*other, "dm", "add", "Zoe Cold", "--company", "Frost Ltd")
    ok(*other, "log", "zoe", "-c", "callback")  # call 1 here: Megan's becomes call 2
    ok(*other, "import", "--merge", str(path))
    assert blank_store.query("SELECT title, from_call_id FROM job") == [("Data Engineer", 2)]
    ok(*other, "call", "delete", "2", "--yes")  # the call taken back takes the job back
    assert blank_store.query("SELECT COUNT(*) FROM job") == [(0,)]
