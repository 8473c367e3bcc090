"""One registry of reporters, by command and ``--format`` (issue 10)."""

from __future__ import annotations

import io

import pytest

from preserve.reports import REPORTERS, reporter
from preserve.reports.base import Reporter


@pytest.mark.parametrize("command", sorted(REPORTERS))
def test_every_command_has_text_and_json_reporters(command: str) -> None:
    assert {"text", "json"} <= set(REPORTERS[command])
    for output_format in REPORTERS[command]:
        made = reporter(command, output_format, io.StringIO(), verbosity=-1)
        assert isinstance(made, Reporter)
        assert made.verbosity == -1


def test_an_unknown_format_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        reporter("verify", "yaml", io.StringIO())
