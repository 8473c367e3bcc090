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
    ],
)
"""Format rules, by code."""
