"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from preserve.audit.ledger import Ledger
    from preserve.audit.result import AuditReport, AuditStatus
    from preserve.audit.run import AuditOptions, audit_status, run_audit
    from preserve.audit.schedule import Budget
    from preserve.bags.archive.read import ArchiveLimits, safe_extract, unpacked_bag
    from preserve.bags.archive.write import serialize_bag
    from preserve.bags.build.build import build_bag
    from preserve.bags.build.result import BuildResult, Inventory, InventoryFile
    from preserve.bags.verify.result import BagResult, ChangedFile
    from preserve.bags.verify.verify import verify_bag
    from preserve.checking import verify_bag_or_archive
    from preserve.errors import PreserveError, UsageError
    from preserve.findings import Finding
    from preserve.formats.identify import FormatInfo, identify_file
    from preserve.ingestion import IngestOptions, IngestResult, ingest
    from preserve.profiles import Profile, check_profile, load_profile
    from preserve.provenance.hook import premis_tag_hook
    from preserve.records.extract.run import extract
    from preserve.records.types import Record
    from preserve.records.validate.validation import ValidationResult, validate, validate_records

# Names load on first use (PEP 562), so that `preserve --version` or `preserve verify`
# does not import every area (jsonschema, lxml, the ingest pipeline) before it starts.
_LAZY: dict[str, str] = {
    "ArchiveLimits": "preserve.bags.archive.read",
    "AuditOptions": "preserve.audit.run",
    "BagResult": "preserve.bags.verify.result",
    "AuditReport": "preserve.audit.result",
    "AuditStatus": "preserve.audit.result",
    "audit_status": "preserve.audit.run",
    "Budget": "preserve.audit.schedule",
    "BuildResult": "preserve.bags.build.result",
    "ChangedFile": "preserve.bags.verify.result",
    "Finding": "preserve.findings",
    "FormatInfo": "preserve.formats.identify",
    "IngestOptions": "preserve.ingestion",
    "IngestResult": "preserve.ingestion",
    "Inventory": "preserve.bags.build.result",
    "InventoryFile": "preserve.bags.build.result",
    "Ledger": "preserve.audit.ledger",
    "PreserveError": "preserve.errors",
    "Profile": "preserve.profiles",
    "Record": "preserve.records.types",
    "UsageError": "preserve.errors",
    "ValidationResult": "preserve.records.validate.validation",
    "build_bag": "preserve.bags.build.build",
    "check_profile": "preserve.profiles",
    "extract": "preserve.records.extract.run",
    "identify_file": "preserve.formats.identify",
    "ingest": "preserve.ingestion",
    "load_profile": "preserve.profiles",
    "premis_tag_hook": "preserve.provenance.hook",
    "run_audit": "preserve.audit.run",
    "safe_extract": "preserve.bags.archive.read",
    "serialize_bag": "preserve.bags.archive.write",
    "unpacked_bag": "preserve.bags.archive.read",
    "validate": "preserve.records.validate.validation",
    "validate_records": "preserve.records.validate.validation",
    "verify_bag": "preserve.bags.verify.verify",
    "verify_bag_or_archive": "preserve.checking",
}

__all__ = [
    "ArchiveLimits",
    "AuditOptions",
    "AuditReport",
    "AuditStatus",
    "BagResult",
    "Budget",
    "BuildResult",
    "ChangedFile",
    "Finding",
    "FormatInfo",
    "IngestOptions",
    "IngestResult",
    "Inventory",
    "InventoryFile",
    "Ledger",
    "PreserveError",
    "Profile",
    "Record",
    "UsageError",
    "ValidationResult",
    "__version__",
    "audit_status",
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'preserve' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
