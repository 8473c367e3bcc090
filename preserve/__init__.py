"""preserve: digital preservation toolkit.

Check records at ingest, write BagIt 1.0 deposit packages with PREMIS provenance,
and audit stored packages for fixity on a schedule.
"""

from __future__ import annotations

__version__ = "0.1.0"

from preserve.records.extract import extract

__all__ = ["__version__", "extract"]
