"""Shared fixtures: where ../shared is, a CLI runner, a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared folder beside the checkout (CI puts it at ../shared).

    ``PRESERVE_SHARED`` overrides it, for a checkout that lives elsewhere.
    """
    return Path(os.environ.get("PRESERVE_SHARED", REPO.parent / "shared")).resolve()


SHARED = shared_dir()
SEEDS = SHARED / "seeds"
SPEC = SHARED / "spec"
CONFORMANCE = SHARED / "conformance"


@pytest.fixture(autouse=True)
def _depositing_organisation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The organisation preserve ingest names as Source-Organization, as a user configures it.

    The default profile requires one and preserve never guesses it; tests of its
    absence remove the variable.
    """
    monkeypatch.setenv("PRESERVE_ORGANISATION", "Test Deposit Service")


@pytest.fixture(autouse=True)
def _own_state_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The default ledger ($XDG_STATE_HOME/preserve/ledger.sqlite) of a test is its own,
    never that of whoever runs the suite (nor of another checkout's suite)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; its absence is a broken test setup, not a skip."""
    assert SHARED.is_dir(), f"../shared is missing: expected it at {SHARED}"
    return SHARED


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Run the ``preserve`` CLI in-process and return click's Result."""
    from preserve.cli import main

    def run(args: Sequence[str], *, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """A clock that always says 2026-01-02T03:04:05Z, for deterministic output."""
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return lambda: moment
