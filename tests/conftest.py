"""Every test gets its own store, config file and a fixed 'today' through the environment.

CLI tests run ``callplan.cli.main`` — the console script itself, with its one-line error
handling — inside Typer's CliRunner isolation, so they see exactly what a user sees.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

TODAY = "2026-11-23"  # a Monday
USER = "Sam"  # the recruiter every test runs as, unless it says otherwise

# Property tests: enough examples to find date edges, no per-example deadline on a shared
# machine; the autouse store fixture below is harmless to them.
settings.register_profile(
    "callplan",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("callplan")


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty store, made once and copied for each test (migrations are slow-ish)."""
    from callplan.db import ensure_schema, make_engine

    path = tmp_path_factory.mktemp("template") / "store.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of worked-out public holidays for the whole run (never the user's)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, template_store: Path, holiday_cache: Path
) -> Path:
    store = tmp_path / "store.sqlite3"
    shutil.copy(template_store, store)
    for var in (
        "CALLPLAN_DB",
        "CALLPLAN_CONFIG",
        "CALLPLAN_CACHE",
        "CALLPLAN_TODAY",
        "CALLPLAN_DEBUG",
        "LC_ALL",
        "LC_TIME",
    ):
        monkeypatch.delenv(var, raising=False)
    from callplan.config import KEYS

    for key in KEYS.values():
        monkeypatch.delenv(key.env, raising=False)
    monkeypatch.setenv("CALLPLAN_DB", str(store))
    monkeypatch.setenv("CALLPLAN_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("CALLPLAN_CACHE", str(holiday_cache))
    monkeypatch.setenv("CALLPLAN_TODAY", TODAY)
    monkeypatch.setenv("CALLPLAN_COUNTRY", "GB-ENG")
    monkeypatch.setenv("CALLPLAN_USER", USER)  # never the login name of whoever runs the tests
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    return store


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> object:
        import json

        return json.loads(self.stdout)


Run = Callable[..., Result]


@pytest.fixture
def cli() -> Run:
    """Run callplan as the console script would: ``cli("dm", "add", "Jane")``."""
    from callplan.cli import main

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        code = 0
        with runner.isolation(input=input, env=env) as (out, err, _):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            stdout = out.getvalue().decode()
            stderr = err.getvalue().decode()
        return Result(code, stdout, stderr)

    return run


@pytest.fixture
def ok(cli: Run) -> Run:
    """Like ``cli`` but asserts success."""

    def run(*args: str, **kw: object) -> Result:
        result = cli(*args, **kw)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return run


@pytest.fixture
def db(env: Path) -> Callable[[str], list[tuple[object, ...]]]:
    """Read the test's store directly with sqlite3: ``db("select count(*) from call")``."""

    def query(sql: str, *params: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(env) as conn:
            return conn.execute(sql, params).fetchall()

    return query


def snapshot(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table: to check a failed command wrote nothing."""
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute("select name from sqlite_master where type='table' order by name")
        ]
        rows: list[tuple[object, ...]] = []
        for t in tables:
            rows.extend((t, *r) for r in conn.execute(f'select * from "{t}" order by 1'))
        return rows
