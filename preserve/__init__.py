"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

__version__ = "0.1.0"

from preserve.audit.ledger import Ledger
from preserve.audit.run import AuditOptions, run_audit
from preserve.audit.schedule import Budget
from preserve.bags.build import build_bag
from preserve.bags.inventory import BuildResult, Inventory, InventoryFile
from preserve.bags.result import BagResult, ChangedFile
from preserve.bags.verify import verify_bag

__all__ = [
    "AuditOptions",
    "BagResult",
    "Budget",
    "BuildResult",
    "ChangedFile",
    "Inventory",
    "InventoryFile",
    "Ledger",
    "__version__",
    "build_bag",
    "run_audit",
    "verify_bag",
]
