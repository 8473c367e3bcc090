"""The ledger: the append-only, hash-chained SQLite record of every fixity check.

- :mod:`~preserve.audit.ledger.db` is the :class:`Ledger` itself (open, record, read,
  verify, head), with WAL and append-only triggers;
- :mod:`~preserve.audit.ledger.chain` hashes each row onto the one before it and
  re-checks the chain (:class:`ChainReport`);
- :mod:`~preserve.audit.ledger.migrations` are its numbered schema steps, each applied once;
- :mod:`~preserve.audit.ledger.identity` names a bag so its history survives moves and copies;
- :mod:`~preserve.audit.ledger.moves` reads the moves (in the chain since migration 5, and
  the older ``bag_moves`` rows only as far as chained checks back them);
- :mod:`~preserve.audit.ledger.premis_events` turns a bag's checks into PREMIS 3 events.

Reading a ledger never needs write access (a copy on write-once storage can be verified).
"""

from preserve.audit.ledger.chain import ChainReport
from preserve.audit.ledger.db import CheckRecord, Ledger

__all__ = ["ChainReport", "CheckRecord", "Ledger"]
