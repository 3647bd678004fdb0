"""Privacy: lawful basis and CTPS, do-not-call, subject access export, erasure with
suppression, retention pruning (issue 5)."""

from __future__ import annotations

import sqlite3

from tests.conftest import snapshot  # noqa: F401  (used below)


def test_upgrading_a_0002_store_keeps_every_row_and_sets_the_defaults(tmp_path, ok):
    from callplan.db import make_engine, upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0002")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO decision_maker (id, name, name_key, company, phone, email, status,"
            " needs_number, created_at, conversation_count, attempts_in_row,"
            " last_conversation_on, next_call_on, due_reason, last_outcome) VALUES"
            " (1, 'Jane Smith', 'jane smith', 'Acme', '020 7946 0000', 'jane@acme.test',"
            " 'active', 0, '2026-10-01 09:00:00', 1, 0, '2026-10-01', '2026-10-05',"
            " 'callback', 'callback'), (2, 'Bob Jones', 'bob jones', NULL, NULL, NULL, 'dnc',"
            " 0, '2026-10-02 09:00:00', 0, 0, NULL, NULL, NULL, NULL)"
        )
        conn.execute(
            "INSERT INTO call (id, dm_id, called_on, logged_at, kind, outcome, summary,"
            " conversation_number) VALUES (1, 1, '2026-10-01', '2026-10-01 09:05:00',"
            " 'continuation', 'callback', 'Call Monday', 1)"
        )
        conn.execute(
            "INSERT INTO note (id, dm_id, call_id, noted_on, text, competitor, created_at)"
            " VALUES (1, 1, 1, '2026-10-01', 'Prefers mornings', 'Hays',"
            " '2026-10-01 09:06:00')"
        )
        conn.execute("INSERT INTO dm_tag (dm_id, tag) VALUES (1, 'sharepoint')")
    r = ok("--db", str(path), "dm", "show", "jane", "--json")
    assert "upgraded the store from schema 0002 to 0003" in r.stderr
    data = r.json
    assert data["dm"]["lawful_basis"] == "legitimate-interest"
    assert data["dm"]["ctps"] is False
    assert data["dm"]["email"] == "jane@acme.test" and data["dm"]["tags"] == ["sharepoint"]
    assert data["dm"]["due_on"] == "2026-10-05"
    assert data["calls"][0]["summary"] == "Call Monday"
    assert data["notes"][0]["competitor"] == "Hays"
    bob = ok("--db", str(path), "dm", "show", "bob", "--json").json["dm"]
    assert bob["status"] == "dnc" and bob["lawful_basis"] == "legitimate-interest"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM suppression").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM erasure").fetchone() == (0,)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    assert list(tmp_path.glob("old.sqlite3.before-0003-*.bak"))
