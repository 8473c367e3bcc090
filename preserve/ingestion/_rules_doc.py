"""Generate docs/reference/rules-ingest.md from the ING and FMT catalogs (a test keeps it
current).

Run ``python -m preserve.ingestion._rules_doc > docs/reference/rules-ingest.md`` after
changing :mod:`preserve.ingestion.codes` or :mod:`preserve.formats.codes`.
"""

from __future__ import annotations

from preserve.findings import Catalog
from preserve.formats.codes import FORMAT_RULES
from preserve.ingestion.codes import INGEST_RULES

_INTRO = """\
# Ingest and format rules (ING, FMT)

Findings of `preserve ingest` about packaging records (ING) and about the formats of
their payload files (FMT). Codes are stable: scripts should test codes, not wording. A
record with an **error** is not packaged (unless `--force`); a **warning** does not stop
it. Each message says what is wrong and what to do; `{name}` stands for the detail filled
in. The findings of each record are in `ingest-report.json`, and, for a packaged record,
in the outcome notes of its PREMIS events (see [premis.md](premis.md)).

Generated from `preserve/ingestion/codes.py` and `preserve/formats/codes.py` by
`python -m preserve.ingestion._rules_doc`.
"""


def _section(catalog: Catalog) -> list[str]:
    out: list[str] = []
    for code in catalog:
        rule = catalog[code]
        out += [f"## {code}: {rule.title}", "", f"**{rule.severity}**. {rule.template}", ""]
        if rule.example:
            out += [f"Example: {rule.example}", ""]
    return out


def render() -> str:
    """The rules reference as Markdown, one section per code."""
    return "\n".join([_INTRO, *_section(INGEST_RULES), *_section(FORMAT_RULES)])


if __name__ == "__main__":
    print(render(), end="")
