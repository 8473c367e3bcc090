"""What in SOURCE no record uses: reported, never skipped in silence.

``files/`` holds one folder per record, ``files/<stem>/``. A folder whose name differs
from its record's stem only in Unicode form (NFD from macOS beside an NFC record name)
is that record's folder. Every other entry of ``files/`` that no record uses is an
error, because a record packaged without its scans looks complete:

- ING-013 on the record when the entry looks like its folder (a trailing space, another
  case, a typo) and the record has none: the record is not packaged;
- ING-012 for the run otherwise (``files/batch/`` beside a ``batch.jsonl`` of several
  records, a loose file, a folder for a record that is not there).

Beside a ``records/`` folder, other entries of SOURCE are not read; each is a warning
(ING-014), except dot files, README and LICENSE files and the deposit.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from preserve.findings import Finding
from preserve.ingestion.codes import INGEST_RULES

_SEPARATORS = re.compile(r"[\s_.\-]+")
_LIKE = 0.85
_NOT_RECORDS = ("readme", "license", "licence")


def listing(folder: Path) -> list[str]:
    """The names in *folder* without dot files ([] when it is absent or unreadable:
    reading a record's folder reports what cannot be read, ING-010)."""
    try:
        return sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return []


def folder_for(stem: str, names: Sequence[str]) -> str:
    """The name in *names* of the folder for *stem*: itself, else the one name equal to
    it in NFC (a folder named in NFD on macOS), else *stem*."""
    if stem in names:
        return stem
    nfc = unicodedata.normalize("NFC", stem)
    same = [n for n in names if unicodedata.normalize("NFC", n) == nfc]
    return same[0] if len(same) == 1 else stem


@dataclass(frozen=True, slots=True)
class Wanted:
    """A record's claim on ``files/``: its key, its stem, and the name of the folder it
    uses (None when it has none)."""

    key: str
    stem: str
    folder: str | None


def unused_entries(
    files_root: Path,
    names: Iterable[str],
    wanted: Sequence[Wanted],
    several: Mapping[str, int],
) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings about the *names* in *files_root* no record used.

    :param several: the stem of each record file holding several records → how many.
    :returns: ING-013 findings by record key, and ING-012 findings for the run.
    """
    used = {w.folder for w in wanted if w.folder is not None}
    mine: dict[str, list[Finding]] = {}
    rest: list[Finding] = []
    for name in names:
        if name in used:
            continue
        path = files_root / name
        owner, why = _owner(name, [w for w in wanted if w.folder is None])
        if owner is not None and path.is_dir():
            finding = INGEST_RULES.finding(
                "ING-013", source=f"{path}/", record=owner.key, stem=owner.stem, why=why
            )
            mine.setdefault(owner.key, []).append(finding)
            continue
        shown = f"{path}/" if path.is_dir() else str(path)
        why = _why_unused(name, path, used, several)
        rest.append(INGEST_RULES.finding("ING-012", source=shown, why=why))
    return mine, rest


def _loose(name: str) -> str:
    return _SEPARATORS.sub("-", unicodedata.normalize("NFC", name).casefold()).strip("-")


def _owner(name: str, candidates: Sequence[Wanted]) -> tuple[Wanted | None, str]:
    """The record whose folder *name* probably is, and how the names differ."""
    for w in candidates:
        if name.strip() == w.stem:
            return w, "it has a space at its start or end"
        if _loose(name) == _loose(w.stem):
            return w, "it differs only in upper and lower case, spaces, dashes or dots"
    by_loose = {_loose(w.stem): w for w in candidates}
    close = difflib.get_close_matches(_loose(name), list(by_loose), n=1, cutoff=_LIKE)
    if close:
        return by_loose[close[0]], "its name is a few characters away from the record's"
    return None, ""


def _why_unused(name: str, path: Path, used: set[str], several: Mapping[str, int]) -> str:
    if not path.is_dir():
        return "files/ holds one folder per record, not files"
    if name in several:
        count = several[name]
        return (
            f"the record file {name} holds {count} records, whose folders are "
            f"files/{name}-1/ to files/{name}-{count}/"
        )
    nfc = unicodedata.normalize("NFC", name)
    twins = [u for u in used if unicodedata.normalize("NFC", u) == nfc]
    if twins:
        return (
            f"files/{twins[0]}/ has the same name in another Unicode form (NFC/NFD) and "
            "was used; merge the two folders"
        )
    return f"no record file records/{name}.<ext> was read"


def strays(source: Path, *, records: Path, files: Path, exclude: Iterable[Path]) -> list[Finding]:
    """ING-014 for each entry of *source* beside *records* that is not read."""
    skip = {p.resolve() for p in (records, files, *exclude)}
    findings = []
    for name in listing(source):
        path = source / name
        if path.resolve() in skip or name.casefold().startswith(_NOT_RECORDS):
            continue
        shown = f"{path}/" if path.is_dir() else str(path)
        findings.append(INGEST_RULES.finding("ING-014", source=shown))
    return findings
