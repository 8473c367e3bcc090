"""Fixity audits: find bags, check them on a schedule, record every check in a ledger.

The pieces, each usable on its own:

- :mod:`preserve.audit.discover` finds bags under storage roots;
- :mod:`preserve.audit.check` checks one bag and says what changed, moved or could not be read;
- :mod:`preserve.audit.schedule` decides which bags to check tonight within a budget;
- :mod:`preserve.audit.ledger` is the append-only, hash-chained SQLite record of every check;
- :mod:`preserve.audit.run` ties them together; :mod:`preserve.audit.distributed` runs the
  checks on a Dask cluster.
"""
