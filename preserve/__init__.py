"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

__version__ = "0.1.0"

from preserve.records.extract import extract
from preserve.records.validation import ValidationResult, validate, validate_records

__all__ = ["ValidationResult", "__version__", "extract", "validate", "validate_records"]
