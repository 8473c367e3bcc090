"""``preserve ingest``: records in, verified BagIt deposit packages with PREMIS out.

The package is ``preserve.ingestion`` so that ``preserve.ingest`` stays the function
(the public API, like ``preserve.extract``).

A package rather than one ``ingest.py``: discovery (:mod:`.layout`, with what no
record uses in :mod:`.unused`), validation and naming (:mod:`.prepare`, :mod:`.slug`),
packaging (:mod:`.package`), the bags an earlier run left (:mod:`.kept`), the report
(:mod:`.report`) and the run itself (:mod:`.run`) each stay small (STYLE.md §1).
"""

from __future__ import annotations

from preserve.ingestion.report import IngestResult, RecordOutcome
from preserve.ingestion.run import DEFAULT_PROFILE, IngestOptions, ingest

__all__ = ["DEFAULT_PROFILE", "IngestOptions", "IngestResult", "RecordOutcome", "ingest"]
