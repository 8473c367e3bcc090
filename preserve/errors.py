"""Exceptions raised when preserve cannot do its job.

An invalid record or a checksum mismatch is *not* an exception: it is a
:class:`preserve.findings.Finding`. Exceptions are for failures to run:
an unreadable schema, a malformed profile, a locked ledger, a missing libmagic.
Every message names the file (or thing) concerned and says what to do.
"""

from __future__ import annotations


class PreserveError(Exception):
    """Base class for errors raised by ``preserve``."""


class UsageError(PreserveError):
    """The caller asked for something that makes no sense (bad option values, paths)."""


class SchemaLoadError(PreserveError):
    """A JSON Schema shipped with or given to preserve cannot be read."""


class RecordError(PreserveError):
    """Records cannot be read at all (as opposed to findings about their content)."""


class DefaultsError(PreserveError):
    """A collection defaults file cannot be read or is malformed."""


class ProfileError(PreserveError):
    """A BagIt profile cannot be loaded or is itself malformed."""


class BagError(PreserveError):
    """A bag cannot be built, or cannot be read at all."""


class InputError(BagError):
    """An input of a bag (a source, a file or folder in it, its record) is at fault: it
    does not exist, cannot be read, or is something a bag cannot hold (a symbolic link,
    a FIFO, a name BagIt cannot write).

    Nothing is built from the rest; the CLI reports it as a finding (exit 1), like every
    command's missing or unreadable input (``preserve.cli._errors.EXIT_CODES``): what is
    given is wrong, not the command unable to run.
    """


class UnreadableInputError(InputError):
    """An input (a bag's source, its record) does not exist or cannot be read."""


class SerializationError(BagError):
    """A serialized bag (tar, zip) cannot be written or is refused as unsafe."""


class FormatIdentificationError(PreserveError):
    """Format identification cannot run (for example, libmagic is missing)."""


class ProvenanceError(PreserveError):
    """A provenance (PREMIS) document cannot be written or read."""


class LedgerError(PreserveError):
    """The fixity ledger cannot be opened, migrated or written."""


class AuditError(PreserveError):
    """A fixity audit cannot run."""
