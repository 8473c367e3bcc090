"""Generate docs/reference/rules-records.md from the REC catalog (a test keeps it current).

Run ``python -m preserve.records.ruledoc > docs/reference/rules-records.md`` after
changing a rule in :mod:`preserve.records.codes`.
"""

from __future__ import annotations

import sys

from preserve.records.codes import CATALOG

_GROUPS = (
    ("REC-00", "Input problems", "A file, line or row that cannot be read as records. "
     "The rest of the batch is still checked."),
    ("REC-01", "", ""),
    ("REC-02", "Schema", "The record does not satisfy `schemas/record.schema.json` "
     "(see [record-schema.md](record-schema.md)). Every error is reported, not only the first."),
    ("REC-03", "Checks of one record", "Rules beyond the schema (records.md, "
     "\"Checks beyond the schema\")."),
    ("REC-04", "", ""),
    ("REC-05", "Checks across records", "Rules over all the records given together "
     "(every file of one `preserve validate` run)."),
)  # fmt: skip


_FIXES = {
    "REC-008": "write the value in the form the column takes (the message names it)",
    "REC-010": "write a big batch as .jsonl (one record per line), not as one .json document",
    "REC-015": "give every column a distinct dotted field name such as archive_reference.fond",
    "REC-021": "write the value with the type the schema gives (numbers without quotes)",
    "REC-025": "copies and leaves are numbered from 1",
    "REC-042": "use the canonical http://rightsstatements.org/vocab/XX/1.0/ form of one of "
    "the 12 statements (InC, InC-OW-EU, InC-EDU, InC-NC, InC-RUU, NoC-CR, NoC-NC, NoC-OKLR, "
    "NoC-US, CNE, UND, NKC)",
}


def _fix(code: str, template: str) -> str:
    """What to do: the part of the message after its last semicolon, or a note."""
    text = template.rsplit(";", 1)[-1].strip().replace("{{", "{").replace("}}", "}")
    return _FIXES.get(code, text)


def render() -> str:
    """The catalogue as Markdown: per rule its code, severity, meaning, example and fix."""
    out = [
        "# Record rules (REC)",
        "",
        "Every finding of `preserve validate` (and of the record checks in `preserve ingest`)",
        "has one of these stable codes. Tests assert codes, never wording; a code is never",
        "reused for another meaning. Generated from `preserve/records/codes.py` by",
        "`python -m preserve.records.ruledoc`; a test keeps it current.",
        "",
        "Severity `error` makes the record invalid (exit status 1); `warning` asks for a look.",
        "Fields are JSON Pointers into the record; `{name}` in a message stands for a value",
        "filled in from the record.",
        "",
    ]
    for prefix, heading, intro in _GROUPS:
        if heading:
            out += [f"## {heading}", "", intro, ""]
        for code, rule in CATALOG.items():
            if not code.startswith(prefix):
                continue
            out += [
                f"### {code}: {rule.title}",
                "",
                f"- **Severity:** {rule.severity}",
                f"- **Message:** {rule.template.replace('{{', '{').replace('}}', '}')}",
                f"- **Example:** {rule.example}",
                f"- **Fix:** {_fix(code, rule.template)}",
                "",
            ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
