"""Reporters: render results as text for people or JSON for scripts.

One registry, :data:`REPORTERS`, says which reporter each command uses for each
``--format``; commands ask :func:`reporter` and never pick a class themselves. Every
JSON reporter prints the result's ``to_dict()`` (a test holds the two equal for every
command), and every text reporter shows a finding with
:func:`~preserve.reports.base.finding_line`.

- ``base.py``: the :class:`~preserve.reports.base.Reporter` class, printable text,
  the one text shape of a finding, JSON writing.
- ``records.py`` (validate), ``bags.py`` (verify), ``build.py`` (bag),
  ``ingest.py`` (ingest), ``replicas.py`` (compare, repair, ledger verify),
  ``audit.py`` (audit runs as text, JSON lines and HTML, and ``audit status``),
  ``audit_html.py`` (the audit's self-contained HTML page and its chart).
"""

from __future__ import annotations

import importlib
from typing import Any, TextIO

from preserve.reports.base import Reporter

REPORTERS: dict[str, dict[str, str]] = {
    "validate": {
        "text": "preserve.reports.records:TextValidationReporter",
        "json": "preserve.reports.records:JsonValidationReporter",
        "table": "preserve.reports.records:RichValidationReporter",  # text on a terminal
    },
    "verify": {
        "text": "preserve.reports.bags:VerifyTextReporter",
        "json": "preserve.reports.bags:VerifyJsonReporter",
    },
    "bag": {
        "text": "preserve.reports.build:BuildTextReporter",
        "json": "preserve.reports.build:BuildJsonReporter",
    },
    "ingest": {
        "text": "preserve.reports.ingest:IngestTextReporter",
        "json": "preserve.reports.ingest:IngestJsonReporter",
    },
    "audit": {
        "text": "preserve.reports.audit:TextAuditReporter",
        "json": "preserve.reports.audit:JsonAuditReporter",
        "html": "preserve.reports.audit:HtmlAuditReporter",
    },
    "audit status": {
        "text": "preserve.reports.audit:StatusTextReporter",
        "json": "preserve.reports.base:JsonReporter",
    },
    "compare": {
        "text": "preserve.reports.replicas:CompareTextReporter",
        "json": "preserve.reports.base:JsonReporter",
    },
    "repair": {
        "text": "preserve.reports.replicas:RepairTextReporter",
        "json": "preserve.reports.base:JsonReporter",
    },
    "ledger verify": {
        "text": "preserve.reports.replicas:ChainTextReporter",
        "json": "preserve.reports.base:JsonReporter",
    },
}
"""Command, then ``--format`` value, then ``module:Class`` (imported on first use, so
that ``preserve verify`` does not load what ``preserve audit`` renders with)."""


def reporter(command: str, output_format: str, stream: TextIO, *, verbosity: int = 0) -> Any:
    """The reporter *command* uses for *output_format*, writing to *stream*.

    :param verbosity: -1 quiet (summary only), 0 normal, 1 more (``--show-passed``).
    :raises KeyError: a command or format the registry does not have (a bug in the CLI).
    """
    module, name = REPORTERS[command][output_format].split(":")
    cls: type[Reporter[Any]] = getattr(importlib.import_module(module), name)
    return cls(stream, verbosity=verbosity)
