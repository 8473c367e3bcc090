"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

__version__ = "0.1.0"

from preserve.audit.ledger import Ledger
from preserve.audit.run import AuditOptions, run_audit
from preserve.audit.schedule import Budget
from preserve.bags.archive import ArchiveLimits, safe_extract, unpacked_bag
from preserve.bags.build import build_bag
from preserve.bags.inventory import BuildResult, Inventory, InventoryFile
from preserve.bags.result import BagResult, ChangedFile
from preserve.bags.serialize import serialize_bag
from preserve.bags.serialized import verify_bag_or_archive
from preserve.bags.verify import verify_bag
from preserve.formats.identify import FormatInfo, identify_file
from preserve.ingestion import IngestOptions, IngestResult, ingest
from preserve.profiles import Profile, check_profile, load_profile
from preserve.provenance.hook import premis_tag_hook
from preserve.records.extract import extract
from preserve.records.validation import ValidationResult, validate, validate_records

__all__ = [
    "ArchiveLimits",
    "AuditOptions",
    "BagResult",
    "Budget",
    "BuildResult",
    "ChangedFile",
    "FormatInfo",
    "IngestOptions",
    "IngestResult",
    "Inventory",
    "InventoryFile",
    "Ledger",
    "Profile",
    "ValidationResult",
    "__version__",
    "build_bag",
    "check_profile",
    "extract",
    "identify_file",
    "ingest",
    "load_profile",
    "premis_tag_hook",
    "run_audit",
    "safe_extract",
    "serialize_bag",
    "unpacked_bag",
    "validate",
    "validate_records",
    "verify_bag",
    "verify_bag_or_archive",
]
