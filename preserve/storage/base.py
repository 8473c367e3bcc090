"""The object store protocol: list, read (whole, streamed, by ranges), write, delete.

Keys are ``/``-separated and relative to the store's root (a folder, or a bucket and
prefix). Failures are told apart because an audit must not confuse them: a key that
is not there raises :class:`ObjectMissingError`; one that exists but cannot be read
(permissions, network, a stopped server, throttling after retries) raises
:class:`ObjectInaccessibleError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from preserve.errors import PreserveError


class StorageError(PreserveError):
    """A store could not be opened or used (bad location, missing client library)."""


class ObjectMissingError(StorageError):
    """The object does not exist."""


class ObjectInaccessibleError(StorageError):
    """The object (or the listing) exists or may exist, but could not be read."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One object: its key relative to the store's root and its size in bytes."""

    key: str
    size: int


class ObjectStore(Protocol):
    """What preserve needs from a place that holds a bag's files."""

    @property
    def url(self) -> str:
        """The store's root, printable (never with credentials)."""
        ...

    def list(self, gaps: dict[str, str] | None = None) -> Iterator[ObjectInfo]:
        """Every object under the root, in no particular order.

        :param gaps: when given, a part of the store that cannot be listed (a folder
            inside a local bag) is recorded there, its key to why, and the rest is
            still listed; without it such a part raises.
        :raises ObjectInaccessibleError: when the listing (or, without *gaps*, a part
            of it) cannot be read.
        """
        ...

    def size(self, key: str) -> int:
        """The size of one object (raises like :meth:`read`)."""
        ...

    def read(self, key: str) -> bytes:
        """The whole object (for small tag files)."""
        ...

    def read_range(self, key: str, start: int, length: int) -> bytes:
        """*length* bytes from *start* (fewer at the end of the object)."""
        ...

    def iter_chunks(self, key: str, chunk: int) -> Iterator[bytes]:
        """The object streamed in pieces of about *chunk* bytes."""
        ...

    def write(self, key: str, data: BinaryIO, size: int) -> None:
        """Write an object from a readable binary stream, replacing any object there."""
        ...

    def delete(self, key: str) -> None:
        """Remove an object; removing one that is not there is not an error."""
        ...
