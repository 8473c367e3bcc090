"""The EXT-nnn catalogue: problems met while extracting records from documents.

Errors mean the file gave no record (unreadable, binary, not UTF-8, empty, too
large, nothing recognised); warnings mean a record was made but one value in
the text could not be read as it stands. Codes are stable: never reuse one.
docs/reference/extraction.md lists them from this catalogue.
"""

from __future__ import annotations

from preserve.findings import Catalog, Rule

__all__ = ["CATALOG"]

CATALOG = Catalog(
    "extract",
    [
        Rule(
            "EXT-001",
            "error",
            "file cannot be read",
            "cannot read {source}: {reason}; check that the path exists and is readable",
            example="a path that does not exist, or a file without read permission",
        ),
        Rule(
            "EXT-002",
            "error",
            "not a text file",
            "{source} is not text (a NUL byte at byte {offset}); give preserve extract the "
            "text of the page or PDF as UTF-8 (.txt, .md, .html)",
            example="a PDF or image saved with a .txt name",
        ),
        Rule(
            "EXT-003",
            "error",
            "not valid UTF-8",
            "{source} is not valid UTF-8 at byte {offset} (line {line}); re-save the file "
            "as UTF-8 (for example: iconv -f CP1251 -t UTF-8)",
            example="a Windows-1251 text of a Russian document",
        ),
        Rule(
            "EXT-004",
            "error",
            "empty file",
            "{source} is empty; export the record document again",
            example="a zero-byte page.txt",
        ),
        Rule(
            "EXT-005",
            "error",
            "file too large",
            "{source} is {size} bytes, above the {limit}-byte limit for one record "
            "document; check that it is a record document, or split it",
            example="a 1 GB log file named notes.txt",
        ),
        Rule(
            "EXT-006",
            "error",
            "no record found",
            "no record fields (title, archive reference) were recognised in {source}; "
            "check that it is a record page or PDF text (see docs/reference/extraction.md)",
            example="a README.md in a folder of records",
        ),
        Rule(
            "EXT-007",
            "error",
            "not a record document",
            "{source} is not a record document (.txt, .md, .markdown, .html, .htm); "
            "records in JSON, JSON Lines or CSV are checked with preserve validate",
            example="preserve extract records.json",
        ),
        Rule(
            "EXT-008",
            "warning",
            "symbolic link not followed",
            "{source} is a symbolic link to {target}, outside {root}; it was skipped. "
            "Copy the file into the folder, or name it on the command line",
            example="records/a.txt -> /etc/passwd",
        ),
        Rule(
            "EXT-009",
            "error",
            "HTML cannot be parsed",
            "{source} could not be parsed as HTML ({reason}); save the page again, "
            "or give its text instead",
            example="an .html file holding only a comment",
        ),
        Rule(
            "EXT-010",
            "error",
            "nothing to extract",
            "{source} holds no record document (.txt, .md, .html){why}, so nothing was "
            "extracted; give the documents or the folder that holds them",
            example="an empty folder, or a folder of .json records",
        ),
        Rule(
            "EXT-020",
            "warning",
            "letter O in a number",
            "{printed!r}: the number {number!r} has a letter O where a digit should be; "
            "it is kept as printed. Check the source and correct the record",
            example="Outgoing № 1O5",
        ),
        Rule(
            "EXT-021",
            "warning",
            "language not recognised",
            "the language {name!r} is not one preserve knows, so {field} was left out; "
            "add its ISO 639-2/B code to the record or to --defaults",
            example="Original Language: Esperanto",
        ),
        Rule(
            "EXT-022",
            "warning",
            "impossible date",
            "{printed!r} is not a date (no such day in the calendar); {outcome}. Check the "
            "source and correct {field} by hand",
            example="Record of a Conversation ... 31 February 1962",
        ),
        Rule(
            "EXT-023",
            "warning",
            "two values for one field",
            "{field} is printed with two values, {first!r} (in {first_line!r}) and {second!r} "
            "(in {second_line!r}); {taken}. Check the source and correct the record if the "
            "other is right",
            example="a header with 'Secret' over 'Top Secret', or two date lines",
        ),
    ],
)
