"""Loading profiles: the shared examples load; a malformed profile names its field."""

from __future__ import annotations

import copy
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preserve.errors import ProfileError
from preserve.profiles import load_profile, parse_profile
from tests.conftest import CONFORMANCE

PROFILES = CONFORMANCE / "bagit-profiles"
FOO = PROFILES / "spec" / "bagProfileFoo.json"
BAR = PROFILES / "spec" / "bagProfileBar.json"
TAG_FILES_PROFILE = (
    PROFILES / "validator-fixtures" / "fixtures" / "test-tag-files-allowed" / "profile.json"
)

GOOD: dict[str, Any] = {
    "BagIt-Profile-Info": {
        "BagIt-Profile-Identifier": "https://example.org/p.json",
        "Source-Organization": "Example",
        "External-Description": "test",
        "Version": "1",
    },
    "Accept-BagIt-Version": ["1.0"],
}


def test_foo_declares_1_1_0() -> None:
    foo = load_profile(FOO)
    assert foo.info.spec_version == "1.1.0"
    assert foo.identifier == "http://www.library.yale.edu/mssa/bagitprofiles/disk_images.json"
    assert foo.serialization == "required"
    assert foo.accept_serialization == ("application/zip", "application/tar")
    assert foo.allow_fetch is False
    assert [r.label for r in foo.bag_info if r.required] == [
        "Bagging-Date",
        "Source-Organization",
        "Contact-Phone",
    ]


def test_bar_declares_1_2_0() -> None:
    bar = load_profile(BAR)
    assert bar.info.spec_version == "1.2.0"
    assert bar.tag_files_required == ("DPN/dpnFirstNode.txt", "DPN/dpnRegistry")
    assert bar.tag_files_allowed == ("DPN/*",)
    assert bar.tag_manifests_required == ("md5",)
    assert bar.info.contact_email == "tdr@canadiana.com"


def test_validator_fixture_profile_loads() -> None:
    profile = load_profile(TAG_FILES_PROFILE)
    assert profile.identifier == "TEST"
    assert profile.tag_files_allowed is None  # absent: everything allowed


def test_absent_profile_version_means_1_1_0() -> None:
    assert parse_profile(GOOD, source="t").info.spec_version == "1.1.0"


def test_defaults_follow_the_spec() -> None:
    p = parse_profile(GOOD, source="t")
    assert (p.allow_fetch, p.fetch_required, p.data_empty, p.serialization) == (
        True,
        False,
        False,
        "optional",
    )
    assert p.manifests_allowed is None
    assert p.payload_files_allowed is None


def test_bag_info_defaults_and_description() -> None:
    p = parse_profile(GOOD | {"Bag-Info": {"X": {"description": "why"}}}, source="t")
    (rule,) = p.bag_info
    assert (rule.required, rule.values, rule.repeatable, rule.description) == (
        False,
        (),
        True,
        "why",
    )


def test_shipped_profile_loads_by_name() -> None:
    p = load_profile("preserve-deposit-v1")
    assert p.identifier == "https://preserve.invalid/profiles/preserve-deposit-v1.json"
    assert p.source.endswith("preserve-deposit-v1.json")


def patched(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the field at *path* (``a/b``) set to *value* (``...`` deletes it)."""
    data = copy.deepcopy(GOOD)
    *parents, last = path.split("/")
    target = data
    for key in parents:
        target = target.setdefault(key, {})
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return data


P = pytest.param
MALFORMED = [
    P(
        patched("Manifests-Required", ["sha512"]) | {"Manifests-Allowed": ["sha256"]},
        "Manifests-Allowed",
        id="manifests-allowed-not-superset",
    ),
    P(
        patched("Tag-Manifests-Required", ["md5"]) | {"Tag-Manifests-Allowed": ["sha512"]},
        "Tag-Manifests-Allowed",
        id="tag-manifests-allowed-not-superset",
    ),
    P(patched("Serialization", "sometimes"), "Serialization", id="unknown-serialization"),
    P(patched("Serialization", "required"), "Accept-Serialization", id="required-without-types"),
    P(patched("Accept-Serialization", ["zip"]), "Accept-Serialization", id="not-a-mime-type"),
    P(patched("Tag-Files-Allowed", ["metadata/[x"]), "Tag-Files-Allowed/0", id="bad-glob"),
    P(
        patched("Payload-Files-Allowed", ["data/[x"]),
        "Payload-Files-Allowed/0",
        id="bad-payload-glob",
    ),
    P(patched("Allow-Fetch.txt", "false"), "Allow-Fetch.txt", id="boolean-as-string"),
    P(patched("Data-Empty", 1), "Data-Empty", id="data-empty-not-boolean"),
    P(
        patched("Fetch.txt-Required", True) | {"Allow-Fetch.txt": False},
        "Fetch.txt-Required",
        id="fetch-required-but-forbidden",
    ),
    P(patched("Bag-Info/X", {"required": "yes"}), "Bag-Info/X/required", id="required-not-boolean"),
    P(patched("Bag-Info/X", {"values": "a"}), "Bag-Info/X/values", id="values-not-list"),
    P(patched("Bag-Info/X", {"repeatable": None}), "Bag-Info/X/repeatable", id="repeatable-null"),
    P(
        patched("Bag-Info/X", {"description": 3}),
        "Bag-Info/X/description",
        id="description-not-string",
    ),
    P(
        patched("Bag-Info", {"Contact-Name": {}, "contact-name": {}}),
        "Bag-Info/contact-name",
        id="labels-differ-only-in-case",
    ),
    P(patched("Bag-Info", {"Bad:Label": {}}), "Bag-Info", id="label-with-colon"),
    P(patched("Manifests-Required", "sha512"), "Manifests-Required", id="manifests-not-list"),
    P(patched("Accept-BagIt-Version", ...), "Accept-BagIt-Version", id="no-accept-bagit-version"),
    P(patched("Accept-BagIt-Version", []), "Accept-BagIt-Version", id="empty-accept-bagit-version"),
    P(patched("BagIt-Profile-Info", ...), "BagIt-Profile-Info", id="no-profile-info"),
    P(
        patched("BagIt-Profile-Info/Source-Organization", ...),
        "Source-Organization",
        id="no-source-organization",
    ),
    P(
        patched("BagIt-Profile-Info/External-Description", ...),
        "External-Description",
        id="no-external-description",
    ),
    P(patched("BagIt-Profile-Info/Version", ...), "Version", id="no-version"),
    P(
        patched("BagIt-Profile-Info/BagIt-Profile-Identifier", ...),
        "BagIt-Profile-Identifier",
        id="no-identifier",
    ),
    P(
        patched("BagIt-Profile-Info/BagIt-Profile-Identifier", ""),
        "BagIt-Profile-Identifier",
        id="empty-identifier",
    ),
    P(
        patched("BagIt-Profile-Info/BagIt-Profile-Version", "2.0.0"),
        "BagIt-Profile-Version",
        id="unknown-spec-version",
    ),
    P(
        patched("Tag-Files-Required", ["../etc/passwd"]),
        "Tag-Files-Required/0",
        id="tag-file-dotdot",
    ),
    P(
        patched("Tag-Files-Required", ["/etc/passwd"]),
        "Tag-Files-Required/0",
        id="tag-file-absolute",
    ),
    P(patched("Tag-Files-Required", ["data/x"]), "Tag-Files-Required/0", id="tag-file-in-payload"),
    P(
        patched("Tag-Files-Required", ["metadata/"]),
        "Tag-Files-Required/0",
        id="tag-file-is-folder",
    ),
    P(
        patched("Tag-Files-Required", ["a.txt"]) | {"Tag-Files-Allowed": ["meta/*"]},
        "Tag-Files-Required/0",
        id="required-tag-file-not-allowed",
    ),
    P(
        patched("Payload-Files-Required", ["LICENSE"]),
        "Payload-Files-Required/0",
        id="payload-outside-data",
    ),
    P(
        patched("Payload-Files-Required", ["data/a.txt"])
        | {"Payload-Files-Allowed": ["data/*.tif"]},
        "Payload-Files-Required/0",
        id="required-payload-not-allowed",
    ),
    P(
        patched("Payload-Files-Allowed", ["meta/*"]),
        "Payload-Files-Allowed/0",
        id="payload-pattern-outside-data",
    ),
    P([], "(the document)", id="not-an-object"),
]


@pytest.mark.parametrize(("data", "field"), MALFORMED)
def test_malformed_profile_names_the_field(data: Any, field: str) -> None:
    with pytest.raises(
        ProfileError, match=r"profile t\.json.*" + field.replace("(", r"\(").replace(")", r"\)")
    ):
        parse_profile(data, source="t.json")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        P(b"{not json", "is not JSON", id="not-json"),
        P(b'{"Version": 1, "Version": 2}', "appears twice", id="duplicate-key"),
        P(b"\xff\xfe", "is not JSON", id="not-utf8"),
        P(b" " * (1 << 20) + b"{}", "larger than", id="too-large"),
    ],
)
def test_unreadable_profile_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    with pytest.raises(ProfileError, match=match):
        load_profile(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="is neither a file nor a shipped profile"):
        load_profile(tmp_path / "nope.json")


def test_an_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match=r"one of the shipped names: preserve-deposit-v1"):
        load_profile("preserve-deposit-v9")


@pytest.fixture
def served_profile() -> Iterator[str]:
    """Serve GOOD at http://127.0.0.1:<port>/p.json (loopback only)."""
    body = json.dumps(GOOD).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code = 200 if self.path == "/p.json" else 404
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body if code == 200 else b"")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_url_needs_allow_network(served_profile: str) -> None:
    with pytest.raises(ProfileError, match="--allow-network"):
        load_profile(f"{served_profile}/p.json")


def test_url_loads_with_allow_network(served_profile: str) -> None:
    profile = load_profile(f"{served_profile}/p.json", allow_network=True)
    assert profile.identifier == "https://example.org/p.json"
    assert profile.source == f"{served_profile}/p.json"


def test_url_that_fails_is_a_profile_error(served_profile: str) -> None:
    with pytest.raises(ProfileError, match="cannot fetch profile"):
        load_profile(f"{served_profile}/missing.json", allow_network=True)
