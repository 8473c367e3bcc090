"""Validation: records in, findings (REC-nnn) out.

- ``validation``: ``validate`` (files) and ``validate_records`` (records in memory),
  ``ValidationResult``; ``parallel`` spreads large JSON Lines files over the cores;
- ``loaders``: files to records, one item per record or finding, with ``csvload``,
  ``sheets`` (header matching, encodings) and ``workbook`` (``.xlsx``);
- ``schema``: the JSON Schema check; ``semantic``: the field rules, with ``quick``
  (the fast path for records that pass) and ``placeholders``; ``crosscheck``: the
  cross-record rules (duplicates, sequences);
- ``codes``: the REC-nnn finding codes (:mod:`preserve.rules_doc` writes their page).
"""

from __future__ import annotations

from preserve.records.validate.validation import ValidationResult, validate, validate_records

__all__ = ["ValidationResult", "validate", "validate_records"]
