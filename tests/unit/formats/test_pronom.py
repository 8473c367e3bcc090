"""PRONOM identification with FIDO in-process, and the policy by PUID (issue 16).

Every case runs on real files of the ten formats made by ``tests.format_samples``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.errors import FormatIdentificationError, UsageError
from preserve.formats.identify import NOT_IDENTIFIED, FormatInfo
from preserve.formats.policy import DEFAULT_POLICY, check_formats, policy_from_mapping
from preserve.formats.pronom import PronomIdentifier, PronomMagicIdentifier, bundled_signatures
from tests import format_samples

EXPECTED = {
    "pdf": ("fmt/276", "1.7", "signature"),
    "png": ("fmt/11", "1.0", "signature"),
    "tiff": ("fmt/353", None, "signature"),
    "jpeg": ("fmt/43", "1.01", "signature"),
    "zip": ("x-fmt/263", None, "signature"),
    "docx": ("fmt/412", "2007 onwards", "container"),
    "xml": ("fmt/101", "1.0", "signature"),
    "txt": ("x-fmt/111", None, "extension"),
    "csv": ("x-fmt/18", None, "extension"),
    "wav": ("fmt/141", None, "signature"),
}

IDENTIFIER = PronomMagicIdentifier()  # loaded once for the module, as preserve does


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return format_samples.write_all(tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def identified(samples: dict[str, Path]) -> dict[str, FormatInfo]:
    return {key: IDENTIFIER.identify(path) for key, path in samples.items()}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_format_gets_its_puid(key: str, identified: dict[str, FormatInfo]) -> None:
    puid, version, basis = EXPECTED[key]
    pronom = identified[key].pronom
    assert pronom is not None
    assert (pronom.puid, pronom.version, pronom.basis) == (puid, version, basis)
    assert pronom.name


def test_docx_is_named_by_its_container_signature(identified: dict[str, FormatInfo]) -> None:
    pronom = identified["docx"].pronom
    assert pronom is not None
    # By its bytes alone it is a ZIP; the parts inside make it a Word document.
    assert pronom.basis == "container"
    assert pronom.name == "Microsoft Word for Windows"
    assert "docx" in pronom.extensions


def test_libmagic_identification_is_kept(identified: dict[str, FormatInfo]) -> None:
    assert identified["png"].mime == "image/png"
    assert identified["txt"].encoding == "us-ascii"


def test_unidentifiable_and_empty_files_say_so(tmp_path: Path) -> None:
    noise = tmp_path / "noise"
    noise.write_bytes(bytes(range(7, 250, 3)) * 20)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert IDENTIFIER.pronom.match(noise) == NOT_IDENTIFIED
    assert IDENTIFIER.pronom.match(empty) == NOT_IDENTIFIED
    info = IDENTIFIER.identify(noise)
    assert info.pronom == NOT_IDENTIFIED
    assert info.mime  # libmagic's answer stays


def test_unreadable_file_is_an_identification_error(tmp_path: Path) -> None:
    with pytest.raises(FormatIdentificationError, match=r"missing\.png"):
        IDENTIFIER.identify(tmp_path / "missing.png")


def test_tools_name_both_programs_and_the_signatures() -> None:
    names = {t.name: t for t in IDENTIFIER.tools()}
    assert set(names) == {"libmagic", "FIDO"}
    assert names["FIDO"].version == "1.6.1"
    assert "PRONOM signatures v109" in (names["FIDO"].note or "")
    assert "container signatures 20200121" in (names["FIDO"].note or "")
    assert names["libmagic"].version[0].isdigit()


def test_bundled_signatures_are_the_ones_fido_names() -> None:
    bundled = bundled_signatures()
    assert bundled.formats.name == "formats-v109.xml"
    assert bundled.version == "v109"
    assert bundled.formats.is_file()
    assert bundled.containers.is_file()


CUSTOM_FORMAT = """<?xml version="1.0" encoding="utf-8"?>
<formats version="0.3">
  <format>
    <puid>fmt/99999</puid>
    <mime>application/x-preserve-test</mime>
    <name>Preserve Test Format</name>
    <version>2</version>
    <extension>ptf</extension>
    <signature>
      <name>Preserve Test Format 2</name>
      <pattern><position>BOF</position><regex>(?s)\\APRESERVETEST2</regex></pattern>
    </signature>
  </format>
</formats>
"""


def test_a_newer_signature_file_is_used_by_path(tmp_path: Path) -> None:
    signatures = tmp_path / "formats-v999.xml"
    signatures.write_text(CUSTOM_FORMAT, encoding="utf-8")
    sample = tmp_path / "thing.ptf"
    sample.write_bytes(b"PRESERVETEST2 and some content\n")
    newer = PronomIdentifier(signatures=signatures)
    match = newer.match(sample)
    assert (match.puid, match.name, match.version, match.basis) == (
        "fmt/99999",
        "Preserve Test Format",
        "2",
        "signature",
    )
    assert newer.signatures.version == "v999"
    assert "PRONOM signatures v999" in (newer.tools()[0].note or "")
    # The bundled signatures know nothing of it.
    assert IDENTIFIER.pronom.match(sample) == NOT_IDENTIFIED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("<formats><broken", "cannot read the PRONOM signature file", id="malformed"),
        pytest.param("<formats/>", "holds no <format> entries", id="empty"),
    ],
)
def test_bad_signature_file_is_reported(tmp_path: Path, content: str, message: str) -> None:
    signatures = tmp_path / "formats-v1.xml"
    signatures.write_text(content, encoding="utf-8")
    identifier = PronomIdentifier(signatures=signatures)
    with pytest.raises(FormatIdentificationError, match=message):
        identifier.load()


def test_missing_container_file_is_reported(tmp_path: Path) -> None:
    identifier = PronomIdentifier(container_signatures=tmp_path / "nope.xml")
    with pytest.raises(FormatIdentificationError, match=r"nope\.xml"):
        identifier.load()


# -- the policy by PUID, with the ten real files --------------------------------------

TEN_PUIDS = [puid for puid, _, _ in EXPECTED.values()]


def _check(
    identified: dict[str, FormatInfo], samples: dict[str, Path], policy_data: dict[str, object]
) -> dict[str, set[str]]:
    policy = policy_from_mapping(policy_data, name="test policy")
    out: dict[str, set[str]] = {}
    for key, info in identified.items():
        path = samples[key]
        found = check_formats([(path.name, info, path.stat().st_size)], policy)
        out[key] = {f.code for f in found}
    return out


def test_policy_accepts_warns_and_refuses_by_puid(
    identified: dict[str, FormatInfo], samples: dict[str, Path]
) -> None:
    accept = [p for p in TEN_PUIDS if p not in {"fmt/412", "x-fmt/263"}]
    codes = _check(
        identified,
        samples,
        {
            "allowed": ["text/plain"],
            "pronom": {"accept": accept, "warn": ["x-fmt/263"], "refuse": ["fmt/412"]},
        },
    )
    assert codes.pop("docx") == {"FMT-005"}
    assert codes.pop("zip") == {"FMT-006"}
    # Accepted by PUID although the MIME list allows only text/plain.
    assert codes == {key: set() for key in codes}


def test_unlisted_puid_falls_back_to_the_mime_list(
    identified: dict[str, FormatInfo], samples: dict[str, Path]
) -> None:
    codes = _check(identified, samples, {"allowed": sorted(DEFAULT_POLICY.allowed), "pronom": {}})
    outside = {key for key, found in codes.items() if found}
    assert outside == {"zip", "docx", "wav"}
    assert all(codes[key] == {"FMT-001"} for key in outside)


def test_png_named_like_a_tiff_is_caught_once(samples: dict[str, Path]) -> None:
    renamed = samples["png"].with_name("scan.tif")
    renamed.write_bytes(samples["png"].read_bytes())
    info = IDENTIFIER.identify(renamed)
    found = check_formats([("scan.tif", info, renamed.stat().st_size)])
    assert [f.code for f in found] == ["FMT-002"]  # the MIME check says it; no FMT-007 too


def test_extension_unknown_to_mime_but_not_pronoms_is_caught(samples: dict[str, Path]) -> None:
    renamed = samples["png"].with_name("scan.dat")
    renamed.write_bytes(samples["png"].read_bytes())
    info = IDENTIFIER.identify(renamed)
    (finding,) = check_formats([("scan.dat", info, renamed.stat().st_size)])
    assert finding.code == "FMT-007"
    assert finding.severity == "warning"
    assert "fmt/11" in finding.message
    assert ".png" in finding.message


def test_libmagic_and_pronom_disagreeing_is_reported(
    tmp_path: Path, samples: dict[str, Path]
) -> None:
    # A ZIP behind a JPEG start: libmagic reads a JPEG, PRONOM's ZIP signature allows
    # four bytes before "PK".
    odd = tmp_path / "odd.jpg"
    odd.write_bytes(b"\xff\xd8\xff\xe0" + samples["zip"].read_bytes())
    info = IDENTIFIER.identify(odd)
    assert info.mime == "image/jpeg"
    assert info.pronom is not None
    assert info.pronom.puid == "x-fmt/263"
    codes = [f.code for f in check_formats([("odd.jpg", info, odd.stat().st_size)])]
    assert "FMT-008" in codes


def test_file_pronom_cannot_name_is_reported(tmp_path: Path) -> None:
    text = tmp_path / "notes.zzq"
    text.write_text("plain words that no signature matches\n", encoding="utf-8")
    info = IDENTIFIER.identify(text)
    assert info.pronom == NOT_IDENTIFIED
    found = check_formats([("notes.zzq", info, text.stat().st_size)])
    assert [f.code for f in found] == ["FMT-009"]


@pytest.mark.parametrize(
    ("pronom", "message"),
    [
        pytest.param(["fmt/11"], "must map accept, warn and refuse", id="not-a-mapping"),
        pytest.param({"allow": ["fmt/11"]}, "must map accept", id="unknown-key"),
        pytest.param({"accept": "fmt/11"}, "lists of PUIDs", id="not-a-list"),
        pytest.param({"accept": ["png"]}, "lists of PUIDs", id="not-a-puid"),
        pytest.param(
            {"accept": ["fmt/11"], "refuse": ["fmt/11"]}, "under both accept and refuse", id="both"
        ),
    ],
)
def test_malformed_pronom_policy_is_a_usage_error(pronom: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        policy_from_mapping({"allowed": ["text/plain"], "pronom": pronom}, name="p.json")


def test_compiled_matcher_agrees_with_fidos_own(samples: dict[str, Path], tmp_path: Path) -> None:
    """preserve's matcher (regexes compiled once, formats indexed by first byte) gives
    exactly FIDO's ``match_formats`` answer, priorities included."""
    identifier = PronomIdentifier()
    identifier.load()
    fido, matcher = identifier._fido, identifier._matcher
    assert matcher is not None
    odd = tmp_path / "odd"
    odd.write_bytes(b"\xff\xd8\xff\xe0" + samples["zip"].read_bytes())
    files = [
        *samples.values(),
        odd,
        *(Path(__file__).parents[2] / "fixtures" / "formats").iterdir(),
    ]
    for path in files:
        data = path.read_bytes()
        size = len(data)
        with path.open("rb") as f:
            bof, eof, _ = fido.get_buffers(f, size, seekable=True)
        theirs = [(e.findtext("puid"), name) for e, name in fido.match_formats(bof, eof)]
        ours = [(e.findtext("puid"), name) for e, name in matcher.match(bof, eof)]
        assert ours == theirs, path.name
