"""Score ``preserve extract`` against a hand-read answer key (run by hand, and by the tests).

    .venv/bin/python bench/score_extraction.py [CORPUS] [--json] [--all-fields] [-v]

CORPUS is a folder with ``docs/*.txt`` and ``expected.json`` (default
``../shared/real-documents`` beside the project). The key holds, per document,
``fields``: JSON Pointers without the leading slash, ``null`` where the text does
not state the field. Each field of each document is scored as

- **right**: the extracted value equals the expected one, or any of the key's
  ``_candidates`` for a field listed in ``_ambiguous`` (a correct absence is right);
- **missing**: a value was expected (or every candidate is a value) and none was extracted;
- **wrong**: a value was extracted and it is not an acceptable one (including a value
  where the key says the text states none: an invented value). Wrong is the dangerous
  kind and is counted apart.

The core fields are those issue 12 measures: the archive reference and its parts,
leaves, classification level, outgoing number, document and conversation dates,
translators and rights URI. ``--all-fields`` scores every key of the answer key.
A document that gives no record scores every expected value as missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preserve.records.extract.run import extract_file

CORE_FIELDS = (
    "archive_reference/citation",
    "archive_reference/repository",
    "archive_reference/fond",
    "archive_reference/opis",
    "archive_reference/papka",
    "archive_reference/delo",
    "archive_reference/leaves",
    "classification/level",
    "outgoing_number",
    "dates/document_date",
    "dates/conversation_date",
    "translators",
    "rights/uri",
)
DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "real-documents"
_ABSENT = object()


@dataclass
class Tally:
    """Right, missing and wrong counts, with the wrong and missing cases named."""

    right: int = 0
    missing: int = 0
    wrong: int = 0
    wrong_cases: list[dict[str, Any]] = field(default_factory=list)
    missing_cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.missing + self.wrong

    def as_dict(self) -> dict[str, Any]:
        total = self.total or 1
        return {
            "right": self.right,
            "missing": self.missing,
            "wrong": self.wrong,
            "total": self.total,
            "right_rate": round(self.right / total, 4),
            "wrong_rate": round(self.wrong / total, 4),
        }


def lookup(record: dict[str, Any] | None, pointer: str) -> Any:
    """The value at *pointer* (slash-separated keys), or None when absent."""
    value: Any = record
    for key in pointer.split("/"):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def verdict(got: Any, acceptable: list[Any]) -> str:
    """``right``, ``missing`` or ``wrong`` for one extracted value."""
    if any(got == a for a in acceptable):
        return "right"
    return "missing" if got is None else "wrong"


def score(corpus: Path, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Score every document of *corpus*; *fields* None scores every key of the answer key."""
    key = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))["records"]
    overall = Tally()
    per_field: dict[str, Tally] = {}
    documents: dict[str, dict[str, Any]] = {}
    for name in sorted(key):
        entry = key[name]
        result = extract_file(corpus / "docs" / name)
        doc = Tally()
        for pointer in fields or tuple(entry["fields"]):
            acceptable = _acceptable(entry, pointer)
            got = lookup(result.record, pointer)
            outcome = verdict(got, acceptable)
            case = {"document": name, "field": pointer, "expected": acceptable[0], "got": got}
            for tally in (overall, doc, per_field.setdefault(pointer, Tally())):
                setattr(tally, outcome, getattr(tally, outcome) + 1)
                if outcome == "wrong":
                    tally.wrong_cases.append(case)
                elif outcome == "missing":
                    tally.missing_cases.append(case)
        documents[name] = {
            **doc.as_dict(),
            "record": result.record is not None,
            "findings": [f.code for f in result.findings],
        }
    return {
        "corpus": str(corpus),
        "fields": "core" if fields else "all",
        "overall": overall.as_dict(),
        "per_field": {k: v.as_dict() for k, v in per_field.items()},
        "documents": documents,
        "wrong": overall.wrong_cases,
        "missing": overall.missing_cases,
    }


def _acceptable(entry: dict[str, Any], pointer: str) -> list[Any]:
    expected = entry["fields"].get(pointer)
    if pointer in entry.get("_ambiguous", ()):
        candidates = entry.get("_candidates", {}).get(pointer)
        if candidates:
            return list(candidates)
    return [expected]


def _print(report: dict[str, Any], verbose: bool) -> None:
    o = report["overall"]
    print(f"{report['corpus']} ({report['fields']} fields)")
    print(
        f"overall: {o['right']}/{o['total']} right ({o['right_rate']:.1%}), "
        f"{o['missing']} missing, {o['wrong']} wrong ({o['wrong_rate']:.1%})"
    )
    print(f"{'field':32} {'right':>6} {'missing':>8} {'wrong':>6}")
    for name, t in report["per_field"].items():
        print(f"{name:32} {t['right']:>6} {t['missing']:>8} {t['wrong']:>6}")
    no_record = [n for n, d in report["documents"].items() if not d["record"]]
    if no_record:
        print("no record:", ", ".join(no_record))
    print("wrong:")
    for case in report["wrong"]:
        print(f"  {case['document']} {case['field']}: expected {case['expected']!r}, "
              f"got {case['got']!r}")  # fmt: skip
    if verbose:
        print("missing:")
        for case in report["missing"]:
            print(f"  {case['document']} {case['field']}: expected {case['expected']!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--all-fields", action="store_true", help="score every key")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missing values")
    args = parser.parse_args(argv)
    if not (args.corpus / "expected.json").is_file():
        print(f"no expected.json in {args.corpus}; name the corpus folder", file=sys.stderr)
        return 2
    report = score(args.corpus, None if args.all_fields else CORE_FIELDS)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        _print(report, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
