"""Pure rules of notes, hooks and the brief: the current picture, matching, openings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from callplan.core import templates
from callplan.core.brief import compose
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
    assert [m.rank for m in found] == [0, 1, 2]
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
        "The last time we spoke you mentioned you'd struggled to find SharePoint developers "
        "and liked the technical testing we offer. I'm looking for a Senior SharePoint "
        "Developer: who's the best you've worked with?"
    )
    assert b.loops == ["CVs sent on Thu 19 Nov are waiting for feedback."]
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
    assert b.loops == ["CVs sent yesterday are waiting for feedback."]
    assert b.opening == (
        "When we spoke yesterday: Sent 2 CVs. I'm representing Priya Rao, SharePoint "
        "architect, who I think you'd want to meet."
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
