"""Pure rules of notes, hooks and the brief: the current picture, matching, openings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from callplan.core import templates, wording
from callplan.core.brief import OpenLoopFacts, compose
from callplan.core.hooks import CANDIDATE, JOB, Hook, match, normalise_tags, parse_ref
from callplan.core.notes import Current, current_picture, interest
from callplan.core.planner import AIM_CANDIDATE, AIM_JOB_ORDER, AIM_MEETING, Aim
from callplan.errors import ConfigError, UsageError

TODAY = date(2026, 11, 23)


@dataclass
class N:  # a note as the store returns it
    noted_on: date
    competitor: str | None = None
    toughest_role: str | None = None
    plans: str | None = None
    liked: str | None = None


def test_the_current_picture_keeps_the_latest_value_of_each_field():
    notes = [  # newest first
        N(date(2026, 11, 20), competitor="Reed"),
        N(date(2026, 10, 1), competitor="Hays", toughest_role="SharePoint developers"),
        N(date(2026, 9, 1), plans="Grow the data team"),
    ]
    picture = current_picture(notes)
    assert picture["competitor"] == Current("Reed", date(2026, 11, 20))
    assert picture["toughest_role"] == Current("SharePoint developers", date(2026, 10, 1))
    assert picture["plans"].noted_on == date(2026, 9, 1)
    assert "liked" not in picture


def test_interest_is_hot_warm_or_cold():
    assert interest(" Warm ") == "warm"
    with pytest.raises(UsageError):
        interest("lukewarm")


JOB_SP = Hook(
    JOB, 1, "Senior SharePoint Developer", "Initech", ("sharepoint", ".net"), company="Initech"
)
JOB_ACME = Hook(JOB, 2, "Test Lead", "Acme", ("tester",), company="Acme")
MPC = Hook(CANDIDATE, 3, "Priya Rao", "SharePoint architect", ("sharepoint", "architect"))
MPC_DATA = Hook(CANDIDATE, 4, "Dan Data", None, ("data engineer",))


def refs(found):
    return [m.hook.ref for m in found]


MPC_TEST = Hook(CANDIDATE, 5, "Tom Test", None, ("tester",))


def test_a_tag_match_outranks_a_mention_in_the_notes():
    found = match(
        [MPC, MPC_DATA],
        dm_tags=["Data Engineer"],
        notes={"toughest role to fill": "SharePoint developers"},
        dm_company="Globex",
    )
    assert refs(found) == ["candidate:4", "candidate:3"]
    assert found[0].why == ["tagged data engineer"]
    assert found[1].why == ["toughest role to fill mentions sharepoint"]


def test_mentions_match_whole_words_and_plurals_only():
    assert refs(
        match([MPC_TEST], dm_tags=[], notes={"plans": "Hiring 3 testers"}, dm_company=None)
    ) == ["candidate:5"]
    assert match([MPC_TEST], dm_tags=[], notes={"plans": "attestation work"}, dm_company=None) == []


def test_exclusions_presented_candidates_and_jobs_at_their_own_company():
    found = match(
        [JOB_SP, MPC], dm_tags=["sharepoint"], notes={}, dm_company="INITECH", presented=[3]
    )
    assert found == []
    found = match([JOB_SP, MPC], dm_tags=["sharepoint"], notes={}, dm_company="Acme")
    assert refs(found) == ["candidate:3", "job:1"]  # equal scores: the candidate first


def test_a_candidate_for_their_toughest_role_comes_first_then_candidates_then_jobs():
    hooks = [JOB_SP, JOB_ACME, MPC, MPC_DATA]
    # The data engineer fits best by score (a tag), the job at another company by tag
    # too: the SharePoint architect for the role they can't fill still comes first.
    found = match(
        hooks,
        dm_tags=["data engineer", "tester"],
        notes={"toughest role to fill": "SharePoint developers"},
        dm_company="Globex",
        toughest_role="SharePoint developers",
    )
    assert refs(found) == ["candidate:3", "candidate:4", "job:2"]
    assert [m.rank for m in found] == [0, 1, 3]
    assert found[0].for_toughest_role and not found[1].for_toughest_role
    # Without the toughest role, the same candidate is one of the others, ranked by score.
    found = match(hooks, dm_tags=["data engineer", "tester"], notes={}, dm_company="Globex")
    assert refs(found) == ["candidate:4", "job:2"]


def test_a_job_is_offered_only_where_the_dm_is_a_source_of_names():
    # Their notes say they need SharePoint developers: a SharePoint job elsewhere is a
    # job they'd fill themselves, not one to pitch them.
    notes = {"toughest role to fill": "SharePoint developers"}
    assert match([JOB_SP], dm_tags=[], notes=notes, dm_company="Globex") == []
    # Tagged sharepoint (their field): they know people, so they are asked for names.
    found = match([JOB_SP], dm_tags=["SharePoint"], notes=notes, dm_company="Globex")
    assert refs(found) == ["job:1"]


def test_tags_are_case_and_accent_insensitive_and_refs_parse():
    assert normalise_tags([" SharePoint", "sharepoint", "Café"]) == ["cafe", "sharepoint"]
    assert parse_ref("job:3") == (JOB, 3)
    assert parse_ref("Candidate:12") == (CANDIDATE, 12)
    for bad in ("job", "job:x", "person:1", "job:²", "job:-1"):
        with pytest.raises(UsageError):
            parse_ref(bad)


def brief(**kw):
    base = dict(
        contact={
            "id": 1,
            "name": "Jane Smith",
            "company": "Acme",
            "title": None,
            "phone": None,
            "email": None,
        },
        conversation_count=2,
        last_spoke_on=date(2026, 11, 19),
        last_outcome="cv-review",
        last_summary="Sent 2 CVs",
        next_call_on=date(2026, 11, 23),
        referrer=None,
        reason="chase CV feedback",
        picture={},
        hooks=[],
        today=TODAY,
        words=templates.DEFAULTS,
        open_loops=[
            OpenLoopFacts("cv-review", day, 0)
            for day in [kw.get("last_spoke_on", date(2026, 11, 19))]
            if day is not None
        ],
    )
    base.update(kw)
    return compose(**base)


def test_a_brief_with_rich_notes_opens_with_them_and_the_hook():
    picture = {
        "toughest_role": Current("SharePoint developers", date(2026, 11, 19)),
        "liked": Current("the technical testing we offer", date(2026, 11, 19)),
    }
    b = brief(
        picture=picture, hooks=match([JOB_SP], dm_tags=["sharepoint"], notes={}, dm_company="Acme")
    )
    assert b.opening == (
        "The reason for my call is we spoke last Thursday and you mentioned you had struggled "
        "to find SharePoint developers and were particularly interested in the technical "
        "testing we offer. I'm looking for a Senior SharePoint Developer: who's the best "
        "you've worked with?"
    )
    assert [x.text for x in b.loops] == ["CVs sent on Thu 19 Nov are waiting for feedback."]
    assert b.conversation_number == 3
    assert b.ask == "Still to find out: agency they use, how they recruit, hiring plans."


def test_a_brief_with_no_notes_says_what_to_ask():
    b = brief(picture={}, last_summary=None)
    assert b.ask is not None and b.ask.startswith("No notes yet. Ask this time")
    assert b.opening is None


def test_a_referred_prospect_opens_with_the_referrer():
    b = brief(
        conversation_count=0,
        last_spoke_on=None,
        last_outcome=None,
        last_summary=None,
        referrer="Mark Ellis",
    )
    assert b.opening == "Mark Ellis suggested I give you a call."
    assert b.conversation_number == 1


def test_templates_are_editable(tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text('[opening]\ntoughest_role = "Still short of {toughest_role}?"\n')
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})
    b = brief(picture={"toughest_role": Current("testers", TODAY)}, words=words)
    assert b.opening == "Still short of testers?"
    path.write_text('[opening]\nnonsense = "x"\n')
    with pytest.raises(ConfigError):
        templates.load({"CALLPLAN_TEMPLATES": str(path)})
    path.write_text('[opening]\ntoughest_role = "Short of {toughest_role"\n')
    with pytest.raises(ConfigError):
        brief(
            picture={"toughest_role": Current("testers", TODAY)},
            words=templates.load({"CALLPLAN_TEMPLATES": str(path)}),
        )


def test_relative_days_read_naturally_and_sentences_are_kept_apart():
    b = brief(
        last_spoke_on=date(2026, 11, 22),
        picture={},
        hooks=match([MPC], dm_tags=["sharepoint"], notes={}, dm_company=None),
    )
    assert [x.text for x in b.loops] == ["CVs sent yesterday are waiting for feedback."]
    # The summary ("Sent 2 CVs") is the recruiter's note: context, not words to say.
    assert b.last_summary == "Sent 2 CVs"
    assert b.opening == (
        "I'm representing Priya Rao, SharePoint architect, who I think you'd want to meet."
    )


def test_a_job_is_worded_as_a_request_for_names_and_the_old_wording_can_be_kept(tmp_path):
    hooks = match([JOB_SP], dm_tags=["sharepoint"], notes={}, dm_company="Acme")
    b = brief(picture={}, last_summary=None, hooks=hooks)
    assert b.opening == (
        "I'm looking for a Senior SharePoint Developer: who's the best you've worked with?"
    )
    path = tmp_path / "templates.toml"
    path.write_text('[hook]\njob = "I\'m recruiting a {hook_title} at the moment."\n')
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})
    b = brief(picture={}, last_summary=None, hooks=hooks, words=words)
    assert b.opening == "I'm recruiting a Senior SharePoint Developer at the moment."


def test_the_brief_pushes_for_the_advance_to_aim_for(tmp_path):
    assert brief().push is None
    b = brief(push=(3, Aim(AIM_CANDIDATE, MPC)))
    assert b.push == (
        "3 continuations in a row: aim for an advance. Offer Priya Rao and ask to send the CV."
    )
    assert brief(push=(4, Aim(AIM_MEETING))).push == (
        "4 continuations in a row: aim for an advance. Ask for a meeting."
    )
    assert brief(push=(3, Aim(AIM_JOB_ORDER))).push == (
        "3 continuations in a row: aim for an advance. Ask for the job order."
    )
    path = tmp_path / "templates.toml"
    path.write_text('[push]\nmeeting = "Round in circles ({continuations}): book a meeting."\n')
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})
    assert brief(push=(3, Aim(AIM_MEETING)), words=words).push == (
        "Round in circles (3): book a meeting."
    )


# --- openings: the latest conversation first, dated; words to say; closing lines (issue 17)

SHAREPOINT = "SharePoint developers"
TESTING = "the technical testing and referencing services"


@pytest.mark.parametrize(
    ("said_on", "words"),
    [
        (date(2026, 12, 2), "today"),
        (date(2026, 12, 1), "yesterday"),
        (date(2026, 11, 30), "on Monday"),  # this week (Wed 2 Dec)
        (date(2026, 11, 27), "last Friday"),  # the week before, within six days
        (date(2026, 11, 25), "in November"),  # this year
        (date(2026, 8, 10), "in August"),
        (date(2026, 1, 5), "in January"),
        (date(2025, 12, 31), "in December 2025"),  # another year
        (date(2024, 8, 1), "in August 2024"),
    ],
)
def test_when_something_was_said_is_worded_relative_to_today(said_on, words):
    assert wording.said_when(said_on, date(2026, 12, 2)) == words


def test_a_monday_is_this_week_and_last_week_on_a_sunday():
    sunday = date(2026, 12, 6)
    assert wording.said_when(date(2026, 11, 30), sunday) == "on Monday"
    assert wording.said_when(date(2026, 11, 29), sunday) == "in November"  # a week ago


@pytest.mark.parametrize(
    ("days", "working", "words"),
    [
        (30, False, "a month"),
        (60, False, "two months"),
        (90, False, "three months"),
        (14, False, "two weeks"),
        (7, False, "a week"),
        (10, False, "10 days"),
        (1, False, "a day"),
        (3, True, "3 working days"),
    ],
)
def test_an_interval_in_words(days, working, words):
    assert wording.interval(days, working=working) == words


def mark(**kw):
    """Mark's sixth call: two days after "Still reviewing the CVs" (Mon 30 Nov); his
    first, in August, gave the SharePoint note."""
    base = dict(
        conversation_count=5,
        last_spoke_on=date(2026, 11, 30),
        last_outcome="cv-review",
        last_summary="Still reviewing the CVs",
        picture={
            "toughest_role": Current(SHAREPOINT, date(2026, 8, 10)),
            "liked": Current(TESTING, date(2026, 8, 10)),
        },
        today=date(2026, 12, 2),
    )
    base.update(kw)
    return brief(**base)


def test_the_worked_example_opens_with_the_last_conversations_facts():
    """The article's good opening, from the note fields toughest_role and liked noted on
    the last conversation (Monday)."""
    b = mark(
        picture={
            "toughest_role": Current(SHAREPOINT, date(2026, 11, 30)),
            "liked": Current(TESTING, date(2026, 11, 30)),
        }
    )
    assert b.opening == (
        "The reason for my call is we spoke on Monday and you mentioned you had struggled to "
        "find SharePoint developers and were particularly interested in the technical testing "
        "and referencing services."
    )


def test_the_worked_example_word_for_word_with_an_edited_template(tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text(
        '[opening]\ntoughest_role_liked = "The reason for my call is we spoke recently and '
        "you mentioned you had struggled to find {toughest_role} and were particularly "
        'interested in {liked}…"\n'
    )
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})
    b = mark(
        words=words,
        picture={
            "toughest_role": Current(SHAREPOINT, date(2026, 11, 30)),
            "liked": Current(TESTING, date(2026, 11, 30)),
        },
    )
    assert b.opening == (
        "The reason for my call is we spoke recently and you mentioned you had struggled to "
        "find SharePoint developers and were particularly interested in the technical testing "
        "and referencing services…"
    )


def test_a_fact_from_the_first_of_six_conversations_is_dated_not_called_the_last_time():
    b = mark()
    assert b.opening == (
        "In August you mentioned you had struggled to find SharePoint developers and were "
        "particularly interested in the technical testing and referencing services."
    )
    assert "last time" not in b.opening.lower()
    assert "Still reviewing" not in b.opening  # the summary is context only
    assert b.last_summary == "Still reviewing the CVs"


def test_the_latest_conversations_facts_come_first_then_an_older_one_still_open():
    b = mark(
        picture={
            "toughest_role": Current(SHAREPOINT, date(2026, 8, 10)),
            "plans": Current("a new data team in spring", date(2026, 11, 30)),
        }
    )
    assert b.opening == (
        "The reason for my call is we spoke on Monday and you were planning a new data team "
        "in spring: how is that going? In August you mentioned you had struggled to find "
        "SharePoint developers."
    )


def test_older_facts_are_dated_each_by_their_own_conversation():
    b = mark(
        last_spoke_on=date(2026, 12, 1),
        picture={
            "toughest_role": Current(SHAREPOINT, date(2025, 10, 1)),
            "plans": Current("a new data team", date(2026, 11, 30)),
        },
    )
    assert b.opening == (
        "On Monday you were planning a new data team: how is that going? In October 2025 "
        "you mentioned you had struggled to find SharePoint developers."
    )


def test_the_summary_never_goes_into_the_opening_even_with_no_notes():
    """After `log megan -c callback -s "Curt; asked me to ring Thursday afternoon"`."""
    b = brief(
        last_summary="Curt; asked me to ring Thursday afternoon",
        last_outcome="callback",
        last_spoke_on=TODAY,
        picture={},
    )
    assert b.opening is None
    assert b.last_summary == "Curt; asked me to ring Thursday afternoon"


def test_no_template_can_read_the_summary_out(tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text('[opening]\ntoughest_role = "{summary} {toughest_role}"\nsummary = "x"\n')
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})  # opening.summary: ignored
    b = brief(picture={"toughest_role": Current("testers", TODAY)}, words=words)
    assert b.opening is None


def test_words_marked_to_say_open_the_call_before_the_notes():
    b = mark(say="you asked me to ring about the Leeds role", said_on=date(2026, 11, 30))
    assert b.say == "you asked me to ring about the Leeds role"
    assert b.opening == (
        "When we spoke on Monday you asked me to ring about the Leeds role. In August you "
        "mentioned you had struggled to find SharePoint developers and were particularly "
        "interested in the technical testing and referencing services."
    )


def test_words_to_say_are_not_used_for_a_prospect():
    b = brief(
        conversation_count=0,
        last_spoke_on=None,
        say="I left a message about the Leeds role",
        said_on=TODAY,
        contact={"id": 1, "name": "Jane Smith", "company": "Acme"},
    )
    assert b.say is None
    assert b.opening == "Hello Jane, I'm calling because I work with companies like Acme."


def test_closing_lines_from_the_method():
    b = brief(due_reason="cv-review", interval="a month")
    assert [(c.when, c.line) for c in b.closing] == [
        (
            "curt",
            "I can sense now may not be a great time: when would be better, as your feedback "
            "on the CVs is something you'll want time for?",
        ),
        ("not-interested", "I'll call you in a month — how does that sound?"),
        (
            "wrong-time",
            "When would be the right time to follow up? Meanwhile let's keep in touch by email.",
        ),
    ]


def test_closing_lines_take_a_default_purpose_and_an_edited_channel(tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text('[closing]\nchannel = "LinkedIn"\n[purpose]\ndefault = "the market"\n')
    words = templates.load({"CALLPLAN_TEMPLATES": str(path)})
    b = brief(due_reason="cycle", interval="two weeks", words=words)
    lines = {c.when: c.line for c in b.closing}
    assert lines["curt"].endswith("as the market is something you'll want time for?")
    assert lines["not-interested"] == "I'll call you in two weeks — how does that sound?"
    assert lines["wrong-time"].endswith("keep in touch by LinkedIn.")
    # No interval (the delay is 'none'): that line is left out, the others stay.
    assert [c.when for c in brief(interval=None).closing] == ["curt", "wrong-time"]
