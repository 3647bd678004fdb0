"""The benchmark harness (benchmarks/): its generator builds a sound, realistic store, and
the runner runs end to end. A smoke test at 1,000 DMs, not timed: timing belongs to the
harness itself, run on purpose (docs/performance.md)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

# The harness builds and times SQLite stores of its own; the [pg] variant would only
# repeat the same run.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only("the benchmark harness generates SQLite stores"),
]

ROOT = Path(__file__).resolve().parents[2]


def test_the_generator_builds_a_sound_store_with_the_mix_asked_for(tmp_path):
    from benchmarks.generate import build

    from callplan.store.health import check

    store = tmp_path / "bench.sqlite3"
    counts = build(store, 1000, seed=7)
    assert counts["DMs"] == 1000 and 7_000 <= counts["calls"] <= 13_000
    with closing(sqlite3.connect(store)) as conn:
        findings = check(store, "", conn)
        assert all(f.ok for f in findings), [f for f in findings if not f.ok]
        prospects, out_of_cycle, dnc = conn.execute(
            "SELECT sum(conversation_count = 0), "
            "sum(status = 'active' AND conversation_count > 0 AND next_call_on IS NULL "
            "    AND last_conversation_on <= '2026-08-25'), "
            "sum(status = 'dnc') FROM decision_maker"
        ).fetchone()
    assert 150 <= prospects <= 250 and 200 <= out_of_cycle <= 300 and 10 <= dnc <= 60
    again = tmp_path / "again.sqlite3"
    assert build(again, 1000, seed=7) == counts  # a fixed seed: the same store


def test_the_runner_runs_every_command_at_the_smallest_size(tmp_path):
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "1000", "--runs", "1",
         "--no-check", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    for label in (
        "today",
        "log",
        "dm show",
        "brief",
        "sweep (25% out of cycle)",
        "stats",
        "stats --month 2026-10",
        "import 10,000-row CSV",
        "cockpit: first screen",
        "cockpit: day planned",
    ):
        assert f"| {label} | 1,000 |" in r.stdout
    assert "| cockpit: first screen | 1,000 | import typer, rich, sqlmodel |" in r.stdout
    for action in ("log", "skip", "undo", "open"):  # judged against 50 ms
        assert re.search(rf"\| {action} \| 1,000 \| [\d.]+ \| [\d.]+–[\d.]+ \| 50 \|", r.stdout)
    assert re.search(r"\| search \| 1,000 \| [\d.]+ \| [\d.]+–[\d.]+ \|  \|", r.stdout)
    for label in ("callplan --help", "completion: a command", "completion: a DM's name"):
        assert f"| {label} |  | bare Typer app --help |" in r.stdout
