"""Verify a bag given as a folder or as a serialized archive, optionally against a profile.

A serialized bag (tar, tar compressed by gzip, bzip2 or xz, zip, recognised by content)
is unpacked with :func:`preserve.bags.archive.unpacked_bag` into a private temporary
folder (mode 0700), verified there and removed. Streaming verification straight from
the archive is not done yet: the unpacked copy needs as much free space as the bag.

An archive that is refused (malformed, unsafe, a bomb: a ``SER`` code) is a finding
about that bag, not a failure to run, so a batch goes on with the next bag (issue 13).
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from preserve._types import Severity, StrPath
from preserve.bags.archive.codes import SERIALIZATION_RULES
from preserve.bags.verify.result import BagResult, Mode
from preserve.bags.verify.verify import verify_bag
from preserve.findings import Finding
from preserve.progress import NO_PROGRESS, Progress

# Archives and profiles are imported only when a run needs them: together with their
# dependencies (urllib.request, email) they were a third of `preserve verify`'s start-up
# on a folder, a fixed cost every small bag paid (issue 15).
if TYPE_CHECKING:
    from preserve.bags.archive.read import ArchiveLimits
    from preserve.profiles.model import Profile
    from preserve.profiles.view import BagView


def verify_bag_or_archive(
    path: StrPath,
    *,
    profile: Profile | StrPath | None = None,
    mode: Mode = "full",
    processes: int = 2,
    progress: Progress = NO_PROGRESS,
    limits: ArchiveLimits | None = None,
    workdir: StrPath | None = None,
    strict: bool = False,
) -> BagResult:
    """:func:`~preserve.bags.verify.verify.verify_bag` for folders and archives, plus a profile.

    :param path: a bag folder or a serialized bag.
    :param profile: when given (a :class:`Profile`, a profile file or a shipped name such
        as ``preserve-deposit-v1``), its ``PRO`` findings are added to the result.
    :param limits: unpacking limits for archives (bombs); default
        :data:`~preserve.bags.archive.read.DEFAULT_LIMITS`.
    :param workdir: where to unpack archives (default: the system's temporary folder).
    :param strict: conformance warnings become errors (see :func:`verify_bag`).
    :raises SerializationError: when an archive cannot be read or unpacked at all (an
        I/O error); an archive refused by its content is a ``SER`` finding instead.
    :raises BagError: when *path* is neither a folder nor a file.
    :raises ProfileError: when the profile file or name cannot be loaded.
    :raises UsageError: *profile* is not a profile, path or name.
    """
    loaded = None if profile is None else _as_profile(profile)
    shown = os.fspath(path)
    if not _is_file(path):
        result = verify_bag(path, mode=mode, processes=processes, progress=progress, strict=strict)
        listed = result.unreadable != (".",)  # BAG-012: nothing to hold against a profile
        return _with_profile(result, _view(path) if loaded and listed else None, loaded)
    from preserve.bags.archive.read import DEFAULT_LIMITS, ArchiveRefused, unpacked_bag
    from preserve.profiles.view import BagView

    try:
        with unpacked_bag(path, limits=limits or DEFAULT_LIMITS, workdir=workdir) as (root, mime):
            result = verify_bag(
                root, mode=mode, processes=processes, progress=progress, strict=strict
            )
            view = BagView.from_directory(root, serialization=mime) if loaded else None
            named = archive_name_finding(Path(path).name, root.name, strict=strict)
    except ArchiveRefused as e:
        return BagResult(
            bag=shown, mode=mode, findings=(e.finding,), version=None, files=0, bytes=0
        )
    result = dataclasses.replace(result, bag=shown, findings=(*named, *result.findings))
    return _with_profile(result, dataclasses.replace(view, name=shown) if view else None, loaded)


_SUFFIXES = (
    *(".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".tbz", ".txz", ".tar", ".zip"),
    *(".gz", ".bz2", ".xz"),
)


def archive_name_finding(archive: str, top: str, *, strict: bool = False) -> tuple[Finding, ...]:
    """SER-014 when the archive's top folder is not named after the archive (a SHOULD
    of RFC 8493 §4.2); an error under *strict*."""
    stem = archive
    for suffix in _SUFFIXES:
        if archive.lower().endswith(suffix):
            stem = archive[: -len(suffix)]
            break
    if stem == top:
        return ()
    severity: Severity = "error" if strict else "warning"
    return (SERIALIZATION_RULES.finding("SER-014", severity=severity, archive=archive, top=top),)


def _is_file(path: StrPath) -> bool:
    """A regular file (an archive); ``False`` also when it cannot be looked at, which
    :func:`verify_bag` then reports (BAG-012) instead of this raising."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _as_profile(profile: Profile | StrPath) -> Profile:
    from preserve.profiles.load import as_profile

    return as_profile(profile)


def _view(path: StrPath) -> BagView:
    from preserve.profiles.view import BagView

    return BagView.from_directory(path)


def _with_profile(result: BagResult, view: BagView | None, profile: Profile | None) -> BagResult:
    if profile is None or view is None:
        return result
    from preserve.profiles.check import check_profile

    return dataclasses.replace(result, findings=(*result.findings, *check_profile(view, profile)))
