"""An import on a team store by a recruiter who is not a lead: a row that is a
colleague's DM changes nothing of theirs (the server keeps it theirs to fill in), is
listed, and is still that DM, not someone new (issue 20)."""

from __future__ import annotations

from callplan.core.contacts import Contact, Person, triage


def test_a_colleagues_dm_is_listed_and_left_as_it_is():
    kims = Person(name="Tom Hardy", company="Initech", id=1, owner="Kim")
    pool = Person(name="Bo Birch", company="Beta", id=2)
    rows = [
        Contact(line=2, name="Tom Hardy", company="Initech", email="tom@initech.test"),
        # The same person by the email the row above gave: still Kim's DM, not new.
        Contact(line=3, name="Thomas Hardy", company="Initech", email="tom@initech.test"),
        Contact(line=4, name="Bo Birch", company="Beta", phone="020 7946 0000 ext. 12"),
        Contact(line=5, name="Li Na", company="Globex"),
    ]
    result = triage(rows, [kims, pool], region="GB", hands_off=lambda p: p.owner == "Kim")
    assert result.theirs == [
        "line 2: Tom Hardy is #1 Tom Hardy (Initech), Kim's DM: ask Kim or a team lead",
        "line 3: Thomas Hardy is #1 Tom Hardy (Initech), Kim's DM: ask Kim or a team lead",
    ]
    assert kims.email is None and 1 not in result.updated
    assert [p.name for p in result.added] == ["Li Na"]
    assert list(result.updated) == [2]  # the pool's prospect is filled in
    assert result.moved == []


def test_without_hands_off_every_match_is_merged():
    kims = Person(name="Tom Hardy", company="Initech", id=1, owner="Kim")
    rows = [Contact(line=2, name="Tom Hardy", company="Initech", email="tom@initech.test")]
    result = triage(rows, [kims], region="GB")
    assert result.theirs == [] and kims.email == "tom@initech.test"
