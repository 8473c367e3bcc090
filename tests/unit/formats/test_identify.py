"""Format identification with libmagic, and the error when libmagic is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from preserve.errors import FormatIdentificationError
from preserve.formats import FormatInfo, MagicIdentifier, identify_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.mark.parametrize(
    ("name", "mime", "words"),
    [
        pytest.param("ok_scan.png", "image/png", "PNG image", id="png"),
        pytest.param("ok_scan.tif", "image/tiff", "TIFF image", id="tiff"),
        pytest.param("ok_document.pdf", "application/pdf", "PDF document", id="pdf"),
        pytest.param("FMT-001_page.html", "text/html", "HTML document", id="html"),
        pytest.param("FMT-001_FMT-002_page_saved_as.pdf", "text/html", "HTML", id="html-as-pdf"),
    ],
)
def test_identifies_by_content(name: str, mime: str, words: str) -> None:
    info = identify_file(FIXTURES / name)
    assert info.mime == mime
    assert words in info.description


def test_text_files_carry_their_encoding() -> None:
    info = identify_file(FIXTURES / "ok_note.txt")
    assert info == FormatInfo(mime="text/plain", description=info.description, encoding="utf-8")
    assert "UTF-8" in info.description


def test_binary_files_have_no_encoding() -> None:
    assert identify_file(FIXTURES / "ok_scan.png").encoding is None
    # libmagic reports us-ascii for this PDF; an encoding means nothing for a PDF.
    assert identify_file(FIXTURES / "ok_document.pdf").encoding is None


def test_one_identifier_serves_many_files() -> None:
    identifier = MagicIdentifier()
    mimes = [identifier.identify(FIXTURES / n).mime for n in ("ok_scan.png", "ok_scan.tif")]
    assert mimes == ["image/png", "image/tiff"]


def test_missing_libmagic_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "magic", None)  # import magic -> ImportError
    with pytest.raises(FormatIdentificationError, match=r"apt-get install libmagic1"):
        MagicIdentifier().identify(FIXTURES / "ok_scan.png")


def test_unreadable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "gone.tif"
    with pytest.raises(FormatIdentificationError, match=r"gone\.tif"):
        identify_file(missing)
