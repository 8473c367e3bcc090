"""Extraction: record documents in, record dicts and findings (EXT-nnn) out.

- ``run``: ``extract``, ``extract_file``, ``extract_text``, ``ExtractedRecord``: files in,
  one result per file, unreadable files as findings;
- ``documents``: ``read_document``, one document's text to fields, with ``_text``
  (normalising, HTML to text, blocks), ``_layout`` (where the title and the header
  are), ``_lines`` (one line's marks, dates and numbers) and ``statement``
  (the citation statement);
- ``conflicts``: a field printed with two values (EXT-023);
- ``explain``: which line each field came from (``preserve extract --explain``);
- ``codes``: the EXT-nnn finding codes.
"""

from __future__ import annotations

from preserve.records.extract.run import (
    DOCUMENT_SUFFIXES,
    MAX_DOCUMENT_BYTES,
    SCHEMA_VERSION,
    ExtractedRecord,
    extract,
    extract_file,
    extract_text,
    is_record_document,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "SCHEMA_VERSION",
    "ExtractedRecord",
    "extract",
    "extract_file",
    "extract_text",
    "is_record_document",
]
