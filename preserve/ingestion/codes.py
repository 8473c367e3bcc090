"""The ING catalogue: findings of ``preserve ingest`` about packaging records."""

from __future__ import annotations

from preserve.findings import Catalog, Rule

INGEST_RULES = Catalog(
    "ingest",
    [
        Rule(
            "ING-001",
            "error",
            "record refused",
            "not packaged: the record has errors ({codes}); fix them and run ingest again, "
            "or package it anyway with --force (the findings are then recorded in its "
            "provenance)",
            example="a record without a rights statement",
        ),
        Rule(
            "ING-002",
            "warning",
            "packaged despite errors",
            "packaged despite errors ({codes}) because of --force; the findings are recorded "
            "in metadata/premis.xml. Correct the record and re-deposit when you can",
            example="--force on a record without rights",
        ),
        Rule(
            "ING-003",
            "error",
            "bag failed verification",
            "the bag {bag} failed verification after it was written ({codes}); it was removed. "
            "Check the disk and run ingest again",
            example="a disk error while writing",
        ),
        Rule(
            "ING-004",
            "error",
            "bag does not conform to the profile",
            "the bag {bag} does not conform to profile {profile} ({codes}); it was removed. "
            "Check the profile and the record's bag-info values",
            example="a profile that requires a bag-info field preserve does not write",
        ),
        Rule(
            "ING-005",
            "error",
            "two records, one bag name",
            "this record would be packaged as {bag}, like {other}; they are probably "
            "duplicates: remove one, or correct the archive reference",
            example="the same record as .txt and as .json",
        ),
        Rule(
            "ING-006",
            "error",
            "a different bag is already there",
            "{bag} already exists in the deposit and was not built from this input; "
            "preserve does not replace it. Move it away (or choose another --out) and run "
            "ingest again",
            example="a record changed after it was packaged",
        ),
        Rule(
            "ING-007",
            "error",
            "packaging failed",
            "cannot package this record: {reason}",
            example="a payload file that disappears while ingest runs",
        ),
        Rule(
            "ING-008",
            "error",
            "link or special file in the payload",
            "{source} is {kind}, which a bag cannot hold (BagIt has no links, and a link "
            "may point anywhere); copy the real file into the record's files folder, or "
            "remove the entry",
            example="a symbolic link in files/<stem>/",
        ),
        Rule(
            "ING-009",
            "error",
            "no records",
            "no record files were found in {source}; put record documents or record files "
            "in {source}/records/ (or directly in it) and their payload in {source}/files/",
            example="an empty folder, or the files/ folder given as SOURCE",
        ),
        Rule(
            "ING-010",
            "error",
            "payload folder cannot be read",
            "cannot read {source} ({reason}), so the record's files cannot be packaged; "
            "the record was not packaged with anything else in their place. Give the user "
            "running preserve permission to read it and run ingest again",
            example="files/<stem>/ or a folder inside it with mode 000",
        ),
        Rule(
            "ING-011",
            "error",
            "bag from an earlier run is damaged",
            "{bag} was built from this input by an earlier run but is damaged or "
            "incomplete: {reason}. preserve leaves it as it is; move it away (or restore "
            "it from a copy) and run ingest again to package the record anew",
            example="a bag folder whose data/ was deleted, or a truncated .tar.gz",
        ),
        Rule(
            "ING-012",
            "error",
            "payload folder matches no record",
            "{source} matches no record, so nothing in it was packaged ({why}); name a "
            "record's payload folder files/<stem>/ after its record file "
            "records/<stem>.<ext> (files/<stem>-<n>/ for the n-th record of a file "
            "holding several), or move it out of files/",
            example="files/batch/ beside records/batch.jsonl",
        ),
        Rule(
            "ING-013",
            "error",
            "payload folder misnamed",
            "this record has no payload folder files/{stem}/, but {source} matches no "
            "record and looks like it ({why}); the record was not packaged without it. "
            "Rename the folder to files/{stem}/ and run ingest again",
            example="files/<stem> / with a trailing space",
        ),
        Rule(
            "ING-014",
            "warning",
            "file beside records/ not read",
            "{source} was not read: with a records/ folder in SOURCE, records are read "
            "only from records/ and their files from files/. Move it into records/ if it "
            "is a record",
            example="SOURCE/x.md beside SOURCE/records/",
        ),
    ],
)
"""Ingest rules, by code."""
