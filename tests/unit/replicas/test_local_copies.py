"""compare and repair on folder copies, in-process (the S3 mixes are in tests/s3/)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from preserve.audit.ledger import Ledger
from preserve.errors import PreserveError
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.base import ObjectMissingError
from preserve.storage.local import LocalStore
from preserve.storage.location import check_endpoint, parse_s3, redact
from tests.s3.conftest import make_local_bag

PAYLOAD = "data/src/b.txt"


def _copies(tmp_path: Path, count: int) -> list[Path]:
    bag = make_local_bag(tmp_path, {"a.txt": b"alpha", "b.txt": b"beta"})
    out = [bag]
    for n in range(1, count):
        shutil.copytree(bag, tmp_path / f"copy{n}")
        out.append(tmp_path / f"copy{n}")
    return out


def test_compare_names_the_odd_copy(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    copies = _copies(tmp_path, 3)
    (copies[1] / PAYLOAD).write_bytes(b"bota")
    result = run_cli(["compare", "--format", "json", *map(str, copies)])
    assert result.exit_code == 1
    (row,) = json.loads(result.output)["files"]
    assert row["odd_one_out"] == [str(copies[1])]
    text = run_cli(["compare", *map(str, copies)])
    assert "odd one out" in text.output
    assert run_cli(["compare", str(copies[0]), str(copies[2])]).exit_code == 0
    assert run_cli(["compare", str(copies[0])]).exit_code == 2


def test_a_file_only_one_copy_holds_is_a_disagreement(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    copies = _copies(tmp_path, 2)
    (copies[1] / "data" / "src" / "extra.txt").write_bytes(b"only here")
    result = run_cli(["compare", "--format", "json", *map(str, copies)])
    assert result.exit_code == 1
    (row,) = json.loads(result.output)["files"]
    assert row["path"] == "data/src/extra.txt"
    assert row["agree"] is False
    assert row["states"] == {str(copies[0]): "absent", str(copies[1]): "added"}
    assert "copies differ" in run_cli(["compare", *map(str, copies)]).output


def test_a_copy_given_twice_is_refused(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    (bag,) = _copies(tmp_path, 1)
    result = run_cli(["compare", str(bag), str(tmp_path / "." / bag.name)])
    assert result.exit_code == 2
    assert "the same copy" in result.output


def test_repair_from_a_folder_copy(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    damaged, good = _copies(tmp_path, 2)
    (damaged / PAYLOAD).write_bytes(b"bota")
    (damaged / "data/src/a.txt").unlink()
    ledger = tmp_path / "l.sqlite"
    result = run_cli(["repair", str(damaged), "--from", str(good), "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    assert f"repaired {PAYLOAD}" in result.output
    assert verify_stored_bag(LocalStore(damaged)).ok
    premis = etree.parse(str(damaged / "metadata/premis.xml"))
    ns = "{http://www.loc.gov/premis/v3}"
    assert [e.text for e in premis.iter(f"{ns}eventType")] == ["replication", "fixity check"]
    with Ledger.open(ledger, create=False) as book:
        (row,) = book.records()
    assert row.check.outcome == "passed"
    # A second damage: the events are appended to the existing document.
    (damaged / PAYLOAD).write_bytes(b"bota")
    again = run_cli(["repair", str(damaged), "--from", str(good), "--format", "json"])
    assert json.loads(again.output)["repaired"] == [PAYLOAD]
    premis = etree.parse(str(damaged / "metadata/premis.xml"))
    assert len(list(premis.iter(f"{ns}event"))) == 4
    assert len(list(premis.iter(f"{ns}agent"))) == 1


def test_repair_refuses_a_bad_source(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    damaged, good = _copies(tmp_path, 2)
    (damaged / PAYLOAD).write_bytes(b"bota")
    (good / PAYLOAD).write_bytes(b"bXta")
    result = run_cli(["repair", str(damaged), "--from", str(good), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["refused"][0]["path"] == PAYLOAD
    assert (damaged / PAYLOAD).read_bytes() == b"bota"
    text = run_cli(["repair", str(damaged), "--from", str(good)]).output
    assert "still damaged after the repair" in text
    why = [line for line in text.splitlines() if "error BAG-040" in line]
    assert why  # and why
    assert all(PAYLOAD in line for line in why)


def test_local_store_reads_and_fails_by_kind(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    (tmp_path / "x").write_bytes(b"0123456789")
    assert store.read_range("x", 2, 3) == b"234"
    assert store.size("x") == 10
    store.delete("x")
    with pytest.raises(ObjectMissingError):
        store.read("x")
    with pytest.raises(ObjectMissingError):
        list(LocalStore(tmp_path / "nowhere").list())


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("s3://KEY:hunter2@bucket/p", id="credentials"),
        pytest.param("s3://No_Such/p", id="bad-bucket"),
    ],
)
def test_bad_s3_urls_are_refused_without_secrets(url: str) -> None:
    with pytest.raises(PreserveError) as info:
        parse_s3(url)
    assert "hunter2" not in str(info.value)


def test_endpoint_checks() -> None:
    assert redact("https://u:pw@host/x") == "https://***@host/x"
    with pytest.raises(PreserveError, match=r"\*\*\*@"):
        check_endpoint("https://u:pw@host")
    with pytest.raises(PreserveError, match="http"):
        check_endpoint("ftp://host")
    assert check_endpoint("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
    assert parse_s3("s3://bucket/a/b/").url == "s3://bucket/a/b"


def test_a_stored_bag_without_payload_oxum_says_fast_mode_checked_no_sizes(
    tmp_path: Path,
) -> None:
    """The same BAG-046 as a folder bag: fast mode never implies sizes it did not check."""
    bag = make_local_bag(tmp_path, {"a.txt": b"alpha"})
    for tagmanifest in bag.glob("tagmanifest-*.txt"):
        tagmanifest.unlink()
    info = bag / "bag-info.txt"
    kept = [x for x in info.read_text("utf-8").splitlines(True) if "Payload-Oxum" not in x]
    info.write_text("".join(kept), "utf-8")
    fast = verify_stored_bag(LocalStore(bag), mode="fast")
    assert [(f.code, f.severity) for f in fast.findings] == [("BAG-046", "warning")]
    assert verify_stored_bag(LocalStore(bag)).findings == ()  # full mode needs no Oxum


def test_copies_that_are_not_there_are_odd_but_never_the_majority(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    (good,) = _copies(tmp_path, 1)
    gone = [str(tmp_path / "gone1"), str(tmp_path / "gone2")]
    alone = json.loads(run_cli(["compare", "--format", "json", str(good), *gone]).output)
    assert alone["files"]
    assert all(f["odd_one_out"] == [] for f in alone["files"])  # not the intact copy
    copy = shutil.copytree(good, tmp_path / "copy")
    two = json.loads(run_cli(["compare", "--format", "json", str(good), str(copy), gone[0]]).output)
    assert all(f["odd_one_out"] == [gone[0]] for f in two["files"])


def test_a_stored_bag_with_a_lying_payload_oxum_fails_and_says_why(tmp_path: Path) -> None:
    from preserve.replicas.audit import to_check

    (bag,) = _copies(tmp_path, 1)
    info = bag / "bag-info.txt"
    kept = [line for line in info.read_text().splitlines() if not line.startswith("Payload-Oxum")]
    info.write_text("\n".join([*kept, "Payload-Oxum: 9999.4", ""]))
    for tagmanifest in bag.glob("tagmanifest-*.txt"):
        tagmanifest.unlink()
    store = LocalStore(bag)
    check = to_check(str(bag), verify_stored_bag(store), store)
    assert check.outcome == "failed"  # not "inaccessible": nothing was unreadable
    assert "BAG-042" in check.note
