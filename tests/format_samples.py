"""Small, real files of ten formats, made with the standard library only.

Used by the format tests (every format the PRONOM policy is tested with) and by
``bench/bench_pronom.py`` (the mixed batch). Each maker takes a seed so a batch holds
files that differ in content, yet every run makes identical bytes.
"""

from __future__ import annotations

import io
import random
import struct
import wave
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _text(seed: int) -> str:
    words = ["archive", "record", "fonds", "series", "item", "scan", "page", "letter"]
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(40 + seed % 50))


def pdf(seed: int = 0) -> bytes:
    """A one-page PDF 1.7 with a correct cross-reference table."""
    text = _text(seed)[:60]
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(seed: int = 0) -> bytes:
    """An 8x8 greyscale PNG."""
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(8)) for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


def tiff(seed: int = 0) -> bytes:
    """An 8x8 greyscale baseline TIFF (little-endian, uncompressed)."""
    rng = random.Random(seed)
    pixels = bytes(rng.randrange(256) for _ in range(64))
    entries = [
        (256, 3, 1, 8),  # ImageWidth
        (257, 3, 1, 8),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # PhotometricInterpretation: black is zero
        (273, 4, 1, 8),  # StripOffsets: right after the header
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 3, 1, 8),  # RowsPerStrip
        (279, 4, 1, len(pixels)),  # StripByteCounts
    ]
    ifd_offset = 8 + len(pixels)
    out = b"II*\x00" + struct.pack("<I", ifd_offset) + pixels
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    return out + struct.pack("<I", 0)


def jpeg(seed: int = 0) -> bytes:
    """A decodable 8x8 greyscale baseline JPEG (JFIF 1.01): one flat block."""
    quality = 1 + seed % 50
    soi, eoi = b"\xff\xd8", b"\xff\xd9"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([quality] * 64)
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    # One Huffman code each: DC category 0 and AC end-of-block, both the code "0".
    dht_dc = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"
    dht_ac = b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    scan = b"\x3f"  # "00" then padding ones
    return soi + app0 + dqt + sof0 + dht_dc + dht_ac + sos + scan + eoi


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data)
    return out.getvalue()


def zip_archive(seed: int = 0) -> bytes:
    """A ZIP of two text files."""
    return _zip([("notes/a.txt", _text(seed).encode()), ("notes/b.txt", _text(seed + 1).encode())])


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(seed: int = 0) -> bytes:
    """A minimal Word (OOXML) document: the parts Word itself needs."""
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{_text(seed)}</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip(
        [
            ("[Content_Types].xml", _CONTENT_TYPES.encode()),
            ("_rels/.rels", _RELS.encode()),
            ("word/document.xml", body.encode()),
        ]
    )


def xml(seed: int = 0) -> bytes:
    """An XML 1.0 document with a declaration."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<record id="{seed}">'
        f"<title>{_text(seed)}</title></record>\n"
    ).encode()


def txt(seed: int = 0) -> bytes:
    """Plain UTF-8 text."""
    return (_text(seed) + "\n").encode()


def csv(seed: int = 0) -> bytes:
    """A small CSV table with a header row."""
    rng = random.Random(seed)
    rows = ["id,title,year"] + [
        f"{i},{_text(seed + i)[:20]},{rng.randrange(1800, 2000)}" for i in range(5 + seed % 10)
    ]
    return ("\n".join(rows) + "\n").encode()


def wav(seed: int = 0) -> bytes:
    """A short 8 kHz mono 16-bit PCM WAVE file."""
    rng = random.Random(seed)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", rng.randrange(-3000, 3000)) for _ in range(400)))
    return out.getvalue()


MAKERS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "pdf": (".pdf", pdf),
    "png": (".png", png),
    "tiff": (".tif", tiff),
    "jpeg": (".jpg", jpeg),
    "zip": (".zip", zip_archive),
    "docx": (".docx", docx),
    "xml": (".xml", xml),
    "txt": (".txt", txt),
    "csv": (".csv", csv),
    "wav": (".wav", wav),
}
"""Format key: (extension, maker)."""


def write_all(folder: Path, *, seed: int = 0) -> dict[str, Path]:
    """One file of each of the ten formats in *folder*, by format key."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, (suffix, make) in MAKERS.items():
        path = folder / f"sample-{key}{suffix}"
        path.write_bytes(make(seed))
        paths[key] = path
    return paths
