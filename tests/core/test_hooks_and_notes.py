"""Pure rules of notes, hooks and the brief: the current picture, matching, openings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from callplan.core import templates
from callplan.core.brief import compose
from callplan.core.hooks import CANDIDATE, JOB, Hook, match, normalise_tags, parse_ref
from callplan.core.notes import Current, current_picture, interest
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


def test_a_tag_match_outranks_a_mention_in_the_notes():
    found = match(
        [JOB_SP, MPC_DATA],
        dm_tags=["Data Engineer"],
        notes={"toughest role to fill": "SharePoint developers"},
        dm_company="Globex",
    )
    assert refs(found) == ["candidate:4", "job:1"]
    assert found[0].why == ["tagged data engineer"]
    assert found[1].why == ["toughest role to fill mentions sharepoint"]


def test_mentions_match_whole_words_and_plurals_only():
    assert refs(
        match([JOB_ACME], dm_tags=[], notes={"plans": "Hiring 3 testers"}, dm_company=None)
    ) == ["job:2"]
    assert match([JOB_ACME], dm_tags=[], notes={"plans": "attestation work"}, dm_company=None) == []


def test_exclusions_presented_candidates_and_jobs_at_their_own_company():
    found = match(
        [JOB_SP, MPC], dm_tags=["sharepoint"], notes={}, dm_company="INITECH", presented=[3]
    )
    assert found == []
    found = match([JOB_SP, MPC], dm_tags=["sharepoint"], notes={}, dm_company="Acme")
    assert refs(found) == ["job:1", "candidate:3"]  # equal scores: jobs first


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
        "and liked the technical testing we offer. I'm recruiting a Senior SharePoint "
        "Developer at the moment and thought of you."
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
