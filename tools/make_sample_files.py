"""Write the sample payload files under samples/files/ (run once; the output is committed).

The "scans" are tiny generated images (a grey page with dark text-like bars), so the
repository holds no real archival material. One file is deliberately mislabelled: an
HTML page saved as ``.pdf``, which the format policy reports (FMT-001, FMT-002).

    python tools/make_sample_files.py STEM [STEM ...]

The first stem gets a TIFF scan and a PNG scan of its two leaves, the second (if given)
a TIFF scan plus the mislabelled ``.pdf``.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

WIDTH, HEIGHT = 48, 64
ROOT = Path(__file__).resolve().parent.parent / "samples" / "files"


def _page(seed: int) -> bytes:
    """8-bit grey pixels: light paper with dark bars standing for lines of type."""
    rows = []
    for y in range(HEIGHT):
        line = bytearray([235] * WIDTH)
        if 6 <= y < HEIGHT - 6 and y % 4 in (0, 1):
            length = WIDTH - 12 - ((y * 7 + seed * 5) % 13)
            line[6 : 6 + length] = bytes([40] * length)
        rows.append(bytes(line))
    return b"".join(rows)


def png(seed: int) -> bytes:
    """A greyscale PNG of :func:`_page`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pixels = _page(seed)
    raw = b"".join(b"\x00" + pixels[y * WIDTH : (y + 1) * WIDTH] for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def tiff(seed: int) -> bytes:
    """An uncompressed little-endian greyscale TIFF of :func:`_page`."""
    pixels = _page(seed)
    entries = [  # (tag, type 3=SHORT 4=LONG, value)
        (256, 3, WIDTH),
        (257, 3, HEIGHT),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 8),
        (277, 3, 1),
        (278, 3, HEIGHT),
        (279, 4, len(pixels)),
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        packed = struct.pack("<I", value) if kind == 4 else struct.pack("<HH", value, 0)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8 + len(pixels)) + pixels + ifd


MISLABELLED = (
    b"<!DOCTYPE html>\n<html><head><title>Document viewer</title></head>\n"
    b"<body><p>Sign in to download this PDF.</p></body></html>\n"
)


def main(stems: list[str]) -> None:
    """Write the files for *stems* (see the module docs)."""
    plans = [
        {"leaf-001.tif": tiff(1), "leaf-002.png": png(2)},
        {"leaf-001.tif": tiff(3), "scan.pdf": MISLABELLED},
    ]
    for stem, files in zip(stems, plans, strict=False):
        folder = ROOT / stem
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1:])
