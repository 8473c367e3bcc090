"""Write every rules reference page, docs/reference/rules-*.md, from the code catalogues.

One generator for all of them, run as one command after changing any catalogue::

    python -m preserve.rules_doc            # rewrite the pages in docs/reference/
    python -m preserve.rules_doc --check    # exit 1, naming the stale pages, if any

The tests compare each page with :func:`render`, so a stale page fails the suite.
Each page has its own layout (the bag rules carry their BagIt-version notes, records
a fix per rule, profiles and audit a table); the catalogues stay the only source of
codes, severities, titles, messages and examples.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from preserve.audit.codes import AUDIT_RULES
from preserve.bags.archive.codes import SERIALIZATION_RULES
from preserve.bags.codes import BAG, CONFORMANCE_WARNINGS
from preserve.findings import Catalog
from preserve.formats.codes import FORMAT_RULES
from preserve.ingestion.codes import INGEST_RULES
from preserve.profiles.codes import PROFILE_RULES
from preserve.records.validate.codes import CATALOG

# --- records (REC) ---------------------------------------------------------------

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
    ("REC-06", "The batch as a whole", "What could not be walked, held nothing to check, "
     "or was given more than once."),
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


def _records() -> str:
    """The catalogue as Markdown: per rule its code, severity, meaning, example and fix."""
    out = [
        "# Record rules (REC)",
        "",
        "Every finding of `preserve validate` (and of the record checks in `preserve ingest`)",
        "has one of these stable codes. Tests assert codes, never wording; a code is never",
        "reused for another meaning. Generated from `preserve/records/validate/codes.py` by",
        "`python -m preserve.rules_doc`; a test keeps it current.",
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


# --- bags (BAG) ------------------------------------------------------------------

_STRICT = " (an error with `--strict`)"

_BAGS_INTRO = """\
# Bag rules (BAG)

Findings of `preserve verify` (and of building a bag, which verifies what it wrote).
Codes are stable: scripts should test codes, not wording. An **error** makes a bag
invalid (exit status 1); a **warning** is worth a look but the bag stays valid.
Each message says what is wrong and what to do; `{name}` stands for the detail filled
in (a path, an algorithm, a line). The JSON output carries the same details under
`details`, and the location under `path`, `source` (the tag file) and `line`.

## Rules by BagIt version

A bag is checked by the rules of the BagIt version its bagit.txt declares; a rule
applies from the version that introduced it, with a warning where a later version
forbids what an older one allowed:

- **Before 1.0** (0.93-0.97): manifest and fetch.txt paths are read literally, decoding
  only `%0D` and `%0A` (CR and LF), as the writers of those bags encode them:
  bagit-python 1.9 and bagit-java write `%` as it is, so `data/100%25.txt` names a file
  called `100%25.txt`. A path listed twice with the same checksum (BAG-025), a payload
  manifest missing from a tag manifest (BAG-051) and bag-info padding are tolerated.
- **Before 0.97**: a payload manifest may also list tag files; they are verified as tag
  files, with the warning BAG-029.
- **1.0** (RFC 8493) and unknown versions: `%25`, `%0D` and `%0A` are decoded, and
  every rule below is applied as written.

## --strict

`preserve verify --strict` and `preserve audit --strict` ask for a bag that is exactly
RFC 8493, not merely intact: the warnings about conformance become errors (exit status
1). They are BAG-005, BAG-007, BAG-021, BAG-022, BAG-025, BAG-029, BAG-044, BAG-051,
BAG-052, BAG-053, BAG-082 and SER-014 (marked below). The other warnings (links, names
other systems cannot store, algorithms preserve cannot compute, operating-system files)
are about portability or about what could be checked, and stay warnings.

Generated from `preserve/bags/codes.py` by `python -m preserve.rules_doc`.
"""


def _template(text: str) -> str:
    # {path!r} and {path} read the same to a person.
    return re.sub(r"\{(\w+)(![rsa])?\}", r"{\1}", text)


def _bags() -> str:
    out = [_BAGS_INTRO]
    for code in BAG:
        rule = BAG[code]
        out += [
            f"## {code}: {rule.title}",
            "",
            f"**{rule.severity}**{_STRICT if code in CONFORMANCE_WARNINGS else ''}. "
            f"{_template(rule.template)}",
            "",
        ]
        if rule.example:
            out += [f"Example: {rule.example}", ""]
    return "\n".join(out)


# --- profiles (PRO) and serialized bags (SER) ------------------------------------


def _table(catalog: Catalog) -> list[str]:
    out = ["| code | severity | rule | message | example |", "|---|---|---|---|---|"]
    for code, rule in catalog.items():
        cells = [code, rule.severity, rule.title, rule.template, rule.example or ""]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return out


def _profiles() -> str:
    """The PRO and SER rules as Markdown tables."""
    return "\n".join(
        [
            "# Rules: profiles (PRO) and serialized bags (SER)",
            "",
            "Generated from `preserve/profiles/codes.py` and `preserve/bags/archive/codes.py` by",
            "`python -m preserve.rules_doc`; a test keeps it current. Codes are",
            "stable: a code is never reused for another meaning. `{name}` in a message is",
            "filled in from the bag or archive.",
            "",
            "## PRO: a bag does not conform to a BagIt profile",
            "",
            "Reported by `preserve verify BAG --profile PROFILE` (exit status 1) and by",
            "`preserve bag --profile PROFILE`, which refuses to finish such a bag.",
            "",
            *_table(PROFILE_RULES),
            "",
            "## SER: a serialized bag is refused",
            "",
            "A refusal stops unpacking before anything of the offending member is written,",
            "and the temporary folder is removed. `preserve verify` reports it as a finding",
            "of that bag (exit status 1) and goes on with the other bags of the batch.",
            "SER-014 is a warning (an error with `--strict`) and stops nothing.",
            "",
            *_table(SERIALIZATION_RULES),
            "",
        ]
    )


# --- ingest (ING) and formats (FMT) ----------------------------------------------

_INGEST_INTRO = """\
# Ingest and format rules (ING, FMT)

Findings of `preserve ingest` about packaging records (ING) and about the formats of
their payload files (FMT). Codes are stable: scripts should test codes, not wording. A
record with an **error** is not packaged (unless `--force`); a **warning** does not stop
it. Each message says what is wrong and what to do; `{name}` stands for the detail filled
in. The findings of each record are in `ingest-report.json`, and, for a packaged record,
in the outcome notes of its PREMIS events (see [premis.md](premis.md)).

Generated from `preserve/ingestion/codes.py` and `preserve/formats/codes.py` by
`python -m preserve.rules_doc`.
"""


def _sections(catalog: Catalog) -> list[str]:
    out: list[str] = []
    for code in catalog:
        rule = catalog[code]
        out += [f"## {code}: {rule.title}", "", f"**{rule.severity}**. {rule.template}", ""]
        if rule.example:
            out += [f"Example: {rule.example}", ""]
    return out


def _ingest() -> str:
    return "\n".join([_INGEST_INTRO, *_sections(INGEST_RULES), *_sections(FORMAT_RULES)])


# --- audit (AUD) -----------------------------------------------------------------

_AUDIT_INTRO = """\
# Audit and ledger rules (AUD)

Findings of `preserve audit` and `preserve ledger verify`. Codes are stable; scripts
should test codes, not wording. Messages say what is wrong and what to do. Generated
from `preserve/audit/codes.py` by `python -m preserve.rules_doc`; a test keeps it current.
"""

_AUDIT_OUTRO = """\
## Outcomes

Each bag in a run ends in one outcome:

- **passed**: every file read and matched; manifests as at the last passed check.
- **failed**: at least one of AUD-001…006 or AUD-009.
- **inaccessible**: something could not be read (AUD-007, AUD-008) and nothing definitely
  changed. An unmounted or unreadable root never turns into missing files.
- **not run**: the budget was spent before the bag's turn (never recorded in the ledger).

Passed, failed and inaccessible checks are recorded in the ledger; `not run` is not.

## Limits

- Bags with a `fetch.txt` (holey bags) are audited as they are on disk: files still to be
  fetched are reported missing (AUD-002).
- A serialized bag is unpacked into a private temporary folder for the check (bomb limits
  apply); it needs as much free space as the bag. A corrupt or refused archive fails the
  check with its SER reason (AUD-009).
"""


def _audit() -> str:
    rows = [
        f"| {code} | {r.severity} | {r.title} | {r.example} |" for code, r in AUDIT_RULES.items()
    ]
    table = ["| code | severity | title | when |", "|---|---|---|---|", *rows]
    return "\n".join([_AUDIT_INTRO, *table, "", _AUDIT_OUTRO])


# --- all pages -------------------------------------------------------------------

PAGES: dict[str, Callable[[], str]] = {
    "rules-records.md": _records,
    "rules-bags.md": _bags,
    "rules-profiles.md": _profiles,
    "rules-ingest.md": _ingest,
    "rules-audit.md": _audit,
}
"""Each page under docs/reference/ and the function that writes it."""


def render(page: str) -> str:
    """The Markdown of one page (a key of :data:`PAGES`, such as ``rules-bags.md``)."""
    return PAGES[page]()


def stale(folder: Path) -> list[Path]:
    """The pages in *folder* that differ from what :func:`render` writes (or are missing)."""
    out = []
    for page in PAGES:
        path = folder / page
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current != render(page):
            out.append(path)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m preserve.rules_doc [--check] [FOLDER]`` (FOLDER: docs/reference)."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    folder = Path(rest[0]) if rest else Path("docs") / "reference"
    pages = stale(folder)
    if check:
        for path in pages:
            sys.stderr.write(f"{path} is stale: run python -m preserve.rules_doc\n")
        return 1 if pages else 0
    for path in pages:
        path.write_text(render(path.name), encoding="utf-8", newline="\n")
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
