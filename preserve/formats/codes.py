"""The FMT catalogue: findings about payload files' formats."""

from __future__ import annotations

from preserve.findings import Catalog, Rule

FORMAT_RULES = Catalog(
    "formats",
    [
        Rule(
            "FMT-001",
            "error",
            "format outside the policy",
            "{path} is {mime} ({description}), which the format policy {policy} does not "
            "allow; convert it to one of {allowed}, or leave it out of the package",
            example="a Word document in a policy of text, PDF and TIFF",
        ),
        Rule(
            "FMT-002",
            "error",
            "content contradicts the extension",
            "{path} is named like {expected} but its content is {mime} ({description}); "
            "check the file and rename it to match its content or replace it with the "
            "right file",
            example="an HTML page saved as scan.pdf",
        ),
        Rule(
            "FMT-003",
            "warning",
            "format not identified",
            "{path}: libmagic cannot tell what format this is ({description}); check that the "
            "file is what you expect before depositing it",
            example="random bytes",
        ),
        Rule(
            "FMT-004",
            "warning",
            "empty file",
            "{path} is empty; check that the file was copied completely, or leave it out",
            example="a zero-byte scan.tif",
        ),
        Rule(
            "FMT-005",
            "error",
            "PRONOM format refused by the policy",
            "{path} is {puid} ({pronom_name}) in PRONOM, which the format policy {policy} "
            "refuses; convert it to an accepted format, or leave it out of the package",
            example="a Word document (fmt/412) in a policy that refuses fmt/412",
        ),
        Rule(
            "FMT-006",
            "warning",
            "PRONOM format accepted with a warning",
            "{path} is {puid} ({pronom_name}) in PRONOM, which the format policy {policy} "
            "accepts with a warning; convert it to a preservation format when you can",
            example="a ZIP archive (x-fmt/263) in a policy that warns on x-fmt/263",
        ),
        Rule(
            "FMT-007",
            "warning",
            "extension disagrees with the PRONOM format",
            "{path} is {puid} ({pronom_name}) by its {basis}, whose extensions are "
            "{extensions}; check the file and rename it to match its content",
            example="a PNG (fmt/11) saved as scan.tif",
        ),
        Rule(
            "FMT-008",
            "warning",
            "libmagic and PRONOM disagree",
            "{path}: libmagic says {mime} ({description}) but PRONOM says {puid} "
            "({pronom_name}, {pronom_mime}) by its {basis}; check what the file really is "
            "before depositing it",
            example="a ZIP archive behind a JPEG header: JPEG to libmagic, ZIP to PRONOM",
        ),
        Rule(
            "FMT-009",
            "warning",
            "not identified in PRONOM",
            "{path}: FIDO finds no PRONOM format for it (libmagic says {mime}, "
            "{description}); it is recorded as not identified in PRONOM, check the file or "
            "give newer PRONOM signatures",
            example="a format PRONOM has no signature or extension for",
        ),
    ],
)
"""Format rules, by code."""
