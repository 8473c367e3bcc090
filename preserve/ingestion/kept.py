"""What an earlier run left in the deposit: find a record's bag and check it is whole.

A re-run keeps a bag built from the same input ("unchanged") only after a cheap but real
check, so a bag that was damaged or removed since is never reported as deposited:

- a bag folder must pass a fast verification (bagit.txt, the tag files, every listed
  file present and every payload file listed, Payload-Oxum against the files' sizes and
  count; no hashing);
- an archive must match the SHA-256 in the ``.sha256`` file written beside it, or,
  without one, open and hold ``<bag>/bagit.txt``.

A damaged bag is left where it is (it is the user's deposit): the run reports it. A kept
bag that lacks the archive ``--serialize`` asks for gets it, after a full verification.
"""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

from preserve.bags.archive.read import unpacked_bag
from preserve.bags.archive.write import serialize_bag
from preserve.bags.hashing import sha256_file
from preserve.bags.verify.result import Mode
from preserve.bags.verify.verify import verify_bag
from preserve.errors import BagError
from preserve.ingestion.package import ARCHIVE_SUFFIX, ArchiveFormat

_CHUNK = 1024 * 1024


def find_kept(deposit: Path, bag: str, serialize: ArchiveFormat | None) -> Path | None:
    """The bag *bag* in *deposit*: the archive *serialize* asks for, else the folder,
    else an archive of another kind (None when there is none)."""
    first = [deposit / (bag + ARCHIVE_SUFFIX[serialize])] if serialize else []
    others = [deposit / (bag + suffix) for suffix in ARCHIVE_SUFFIX.values()]
    for candidate in [*first, deposit / bag, *others]:
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def damage(kept: Path, bag: str) -> str | None:
    """Why the bag *bag* kept at *kept* is not whole, or None when it is."""
    if kept.name == bag:
        if kept.is_symlink() or not kept.is_dir():
            return "it is a file or link, not a bag folder"
        return _verify(kept, mode="fast", processes=1)
    if kept.is_symlink() or not kept.is_file():
        return "it is not an archive file"
    sidecar = kept.with_name(kept.name + ".sha256")
    try:
        if sidecar.is_file():
            expected = sidecar.read_text(encoding="utf-8").split(maxsplit=1)[:1]
            if expected != [sha256_file(kept)]:
                return f"its content does not match the SHA-256 in {sidecar.name}"
            return None
        return _holds_bag(kept, bag)
    except (OSError, UnicodeDecodeError) as e:
        return f"it cannot be read: {e}"


def serialize_kept(kept: Path, bag: str, fmt: ArchiveFormat, *, processes: int) -> str | None:
    """Write the kept bag as a *fmt* archive beside it; return why not (None when done).

    The bag is fully verified first. A bag folder is removed once its archive is
    written, as when the bag is built with ``--serialize``; an archive of another kind
    is kept.

    :raises SerializationError: when the archive cannot be written.
    """
    target = kept.with_name(bag + ARCHIVE_SUFFIX[fmt])
    if kept.is_dir():
        reason = _verify(kept, mode="full", processes=processes)
        if reason is None:
            serialize_bag(kept, target, fmt=fmt)
            shutil.rmtree(kept)
        return reason
    try:
        with unpacked_bag(kept, workdir=kept.parent) as (folder, _):
            if folder.name != bag:
                return f"it holds {folder.name}/, not {bag}/"
            reason = _verify(folder, mode="full", processes=processes)
            if reason is None:
                serialize_bag(folder, target, fmt=fmt)
            return reason
    except BagError as e:
        if target.exists():
            raise  # the archive was read; writing the new one failed
        return str(e)


def _verify(folder: Path, *, mode: Mode, processes: int) -> str | None:
    try:
        result = verify_bag(folder, mode=mode, processes=processes)
    except BagError as e:
        return str(e)
    if result.ok:
        return None
    codes = ", ".join(sorted({f.code for f in result.errors}))
    return f"{mode} verification found {codes}: {result.errors[0].message}"


def _holds_bag(archive: Path, bag: str) -> str | None:
    """None when *archive* opens, reads to its end and holds ``<bag>/bagit.txt``."""
    want = f"{bag}/bagit.txt"
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                names = z.namelist()
        else:
            with tarfile.open(archive, "r:*") as t:
                names = t.getnames()
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile) as e:
        return f"it does not open as an archive: {e}"
    if want not in names:
        return f"it does not hold {want}"
    return None
