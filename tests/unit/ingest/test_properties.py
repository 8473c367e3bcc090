"""Property: whatever the payload's names and bytes, ingest packages a bag that verifies
or refuses the record with findings; it never raises and never touches the source."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preserve.bags.verify.verify import verify_bag
from preserve.formats import FormatInfo
from preserve.ingestion import IngestOptions
from tests.cli.ingest_helpers import ingest, premis_fixity, tree_digest
from tests.conftest import SEEDS

NAMES = st.text(
    st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12
).filter(lambda n: n not in {".", ".."})


class Fixed:
    """A format identifier that calls everything plain text (libmagic is tested elsewhere)."""

    def identify(self, path: Path) -> FormatInfo:
        return FormatInfo("text/plain", "ASCII text", "us-ascii")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.dictionaries(NAMES, st.binary(max_size=64), min_size=1, max_size=4))
def test_any_payload_is_packaged_or_refused(files: dict[str, bytes]) -> None:
    root = Path(tempfile.mkdtemp(prefix="preserve-prop-"))
    try:
        source = root / "source"
        (source / "records").mkdir(parents=True)
        shutil.copy(SEEDS / "000_424de3424b48eda2.txt", source / "records" / "r.txt")
        (source / "files" / "r").mkdir(parents=True)
        for name, data in files.items():
            (source / "files" / "r" / name).write_bytes(data)
        before = tree_digest(source)
        result = ingest(
            source,
            root / "deposit",
            clock=lambda: datetime(2026, 1, 2, tzinfo=UTC),
            identifier=Fixed(),
            options=IngestOptions(force=True),
        )
        (outcome,) = result.outcomes
        assert tree_digest(source) == before
        if outcome.status == "packaged":
            assert outcome.bag is not None
            bag = root / "deposit" / outcome.bag
            assert verify_bag(bag).ok
            assert len(premis_fixity(bag)) == len(files)
        else:
            assert any(f.code == "ING-007" for f in outcome.findings), outcome.findings
    finally:
        shutil.rmtree(root)
