"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

__version__ = "0.1.0"

from preserve.bags.build import build_bag
from preserve.bags.inventory import BuildResult, Inventory, InventoryFile
from preserve.bags.result import BagResult, ChangedFile
from preserve.bags.verify import verify_bag
from preserve.formats.identify import FormatInfo, identify_file
from preserve.ingestion import IngestOptions, IngestResult, ingest
from preserve.provenance.hook import premis_tag_hook
from preserve.records.extract import extract
from preserve.records.validation import ValidationResult, validate, validate_records

__all__ = [
    "BagResult",
    "BuildResult",
    "ChangedFile",
    "FormatInfo",
    "IngestOptions",
    "IngestResult",
    "Inventory",
    "InventoryFile",
    "ValidationResult",
    "__version__",
    "build_bag",
    "extract",
    "identify_file",
    "ingest",
    "premis_tag_hook",
    "validate",
    "validate_records",
    "verify_bag",
]
