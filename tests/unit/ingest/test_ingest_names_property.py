"""Property: whatever the payload's names, ingest → bag → verify holds, and nothing escapes.

Names a scanning station or a user can produce: NFC and NFD forms, combining marks,
right-to-left text and marks, spaces, ``%``, carriage returns and line feeds, names
that look like ``..``, nested a few folders deep. For every such tree the bag that
ingest writes verifies, its manifests list exactly the files under ``data/``,
percent-encoding CR, LF and ``%`` as RFC 8493 §2.1.3 requires, and every file in the
deposit lies inside its bag.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import preserve
from preserve.bags.manifests import decode_path
from preserve.bags.verify.verify import verify_bag
from tests.conftest import REPO

STEM = "01-sorokin-arvelo-1962-03-02"
RECORD = REPO / "samples" / "records" / f"{STEM}.txt"

_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "é",  # NFC
        "e\u0301",  # NFD of the same
        "\u0301",  # a combining mark on its own
        "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
        "\u200f",  # right-to-left mark
        "\u202e",  # right-to-left override
        " ",
        "%",
        "%25",
        "%0A",
        "\n",
        "\r",
        ".",
        "..",
        "-",
        "Ж",
        "😀",
    ]
)
_NAME = (
    st.lists(_PIECES, min_size=1, max_size=5)
    .map("".join)
    .filter(lambda n: n not in {".", ".."} and len(n.encode()) < 200)
)
_PATH = st.lists(_NAME, min_size=1, max_size=4).map(tuple)


def _tree(paths: list[tuple[str, ...]]) -> dict[str, bytes]:
    """Files by relative path; a path that is a prefix of another (a file where a folder
    must be) and names equal after NFC (one file on macOS) are dropped."""
    files: dict[str, bytes] = {}
    folders: set[str] = set()
    seen: set[str] = set()
    for n, parts in enumerate(paths):
        rel = "/".join(parts)
        key = unicodedata.normalize("NFC", rel).casefold()
        prefixes = {"/".join(parts[:i]) for i in range(1, len(parts))}
        if key in seen or rel in folders or prefixes & set(files):
            continue
        seen.add(key)
        folders |= prefixes
        files[rel] = f"file {n}\n".encode()
    return files


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same names in every run: a failure is reproducible
)
@given(st.lists(_PATH, min_size=1, max_size=6))
@example(
    [
        ("..a", "b\nc", "100%.txt"),
        ("caf\u00e9 ", "\u05e9\u202e.txt"),
        ("cafe\u0301", "%0A%25\r"),
        (" ..", "\u0301"),
        ("a", "b", "c", "d", "deep.txt"),
    ]
)
def test_ingest_bag_verify_round_trip(paths: list[tuple[str, ...]]) -> None:
    files = _tree(paths)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        (source / "records").mkdir(parents=True)
        shutil.copy(RECORD, source / "records" / RECORD.name)
        scans = source / "files" / STEM
        for rel, content in files.items():
            (scans / rel).parent.mkdir(parents=True, exist_ok=True)
            (scans / rel).write_bytes(content)
        deposit = Path(tmp) / "deposit"
        result = preserve.ingest(
            source,
            deposit,
            options=preserve.IngestOptions(
                organisation="Example Archive", defaults={"rights": _RIGHTS}
            ),
        )
        (outcome,) = result.outcomes
        assert outcome.status == "packaged", [f.code for f in outcome.findings]
        assert outcome.bag is not None
        bag = deposit / outcome.bag
        assert verify_bag(bag).ok
        _manifest_matches_payload(bag, files)
        _nothing_escapes(deposit, bag)


_RIGHTS = {
    "statement": "Reproduced for research with the permission of the holder.",
    "uri": "http://rightsstatements.org/vocab/InC-EDU/1.0/",
}


def _manifest_matches_payload(bag: Path, files: dict[str, bytes]) -> None:
    raw = (bag / "manifest-sha256.txt").read_bytes().decode("utf-8")
    lines = raw.split("\n")
    assert lines[-1] == ""  # one entry a line, CR and LF inside names encoded
    listed = set()
    for line in lines[:-1]:
        assert "\r" not in line
        _, encoded = line.split("  ", 1) if "  " in line else line.split(" ", 1)
        # A literal '%' is always written as %25: decoding and re-reading agree.
        assert "%" not in encoded.replace("%25", "").replace("%0A", "").replace("%0D", "")
        listed.add(decode_path(encoded))
    on_disk = {p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file()}
    assert listed == on_disk
    ours = sorted(files.values())
    found = sorted(c for p in on_disk if (c := (bag / p).read_bytes()).startswith(b"file "))
    assert found == ours  # every file ingested, byte for byte, none twice


def _nothing_escapes(deposit: Path, bag: Path) -> None:
    root = bag.resolve()
    for p in deposit.rglob("*"):
        if p.is_relative_to(bag):
            assert p.resolve().is_relative_to(root), p
        else:
            assert p.parent == deposit, f"{p} was written outside the bag"
