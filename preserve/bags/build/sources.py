"""Walk the sources of a bag: what goes where under ``data/``, and what is refused.

Each source keeps its name under ``data/``: ``preserve bag scans/ notes.txt`` gives
``data/scans/...`` and ``data/notes.txt``. The walk is sorted (manifests come out
in a stable order), streams (memory depends on the largest folder, not on the
number of files) and refuses, with an error naming the path:

* symbolic links anywhere in a source (a link may point outside the tree, and
  BagIt has no links; copy the target in yourself if it belongs in the bag);
* sockets, FIFOs and devices;
* names that are not valid UTF-8, or contain a backslash (a separator on Windows);
* names in one folder that differ only in Unicode normalization (NFC/NFD), which
  RFC 8493 §6.1.1.3 tells creators to prevent.

Names differing only in case are allowed but reported (BAG-080): they collide
on Windows and macOS. CR, LF and ``%`` in names are fine: manifests percent-encode them.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from preserve._types import StrPath
from preserve.bags.codes import BAG
from preserve.bags.paths import casefold_key
from preserve.errors import InputError, UnreadableInputError
from preserve.findings import Finding


@dataclass(frozen=True, slots=True)
class PayloadFile:
    """A file to put in the payload.

    :param bag_path: its path in the bag, ``data/...``, ``/``-separated.
    :param source: the absolute path of the original.
    :param size: its size when the sources were scanned.
    """

    bag_path: str
    source: str
    size: int


def _check_name(name: str, where: str) -> None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as e:
        msg = f"{where}: the name is not valid UTF-8; rename it (BagIt manifests are UTF-8)"
        raise InputError(msg) from e
    if "\\" in name:
        msg = f"{where}: the name contains a backslash, a path separator on Windows; rename it"
        raise InputError(msg)


def _check_siblings(names: Sequence[str], folder: str, warnings: list[Finding]) -> None:
    """Refuse NFC/NFD twins among *names*; report case-only twins."""
    by_nfc: dict[str, str] = {}
    by_case: dict[str, str] = {}
    for name in names:
        nfc = unicodedata.normalize("NFC", name)
        if nfc in by_nfc:
            msg = (
                f"{folder}: {by_nfc[nfc]!r} and {name!r} are the same name in different "
                "Unicode forms (NFC/NFD); rename one of them before bagging"
            )
            raise InputError(msg)
        by_nfc[nfc] = name
        key = casefold_key(name)
        if key in by_case:
            path = f"{folder}/{name}" if folder else name
            other = f"{folder}/{by_case[key]}" if folder else by_case[key]
            warnings.append(BAG.finding("BAG-080", path=path, other=other))
        by_case[key] = name


def _check_percent(bag_path: str, warnings: list[Finding]) -> None:
    """BAG-086: the manifests write '%' as '%25' (RFC 8493), which readers older than
    the RFC (bagit-python 1.9, bagit-java, DART) do not decode (issue 13)."""
    if "%" in bag_path.rpartition("/")[2]:
        warnings.append(BAG.finding("BAG-086", path=bag_path))


def _refuse_special(path: str, mode: int) -> None:
    if stat.S_ISLNK(mode):
        target = os.readlink(path)
        msg = (
            f"{path} is a symbolic link (to {target}); preserve never follows links. "
            "Replace it with the file it points to, or leave it out"
        )
        raise InputError(msg)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        msg = f"{path} is not a regular file or folder (a socket, FIFO or device); leave it out"
        raise InputError(msg)


def top_level(sources: Sequence[StrPath], warnings: list[Finding]) -> list[tuple[str, Path]]:
    """``(name under data/, absolute source path)`` for each source, checked.

    :raises InputError: a source is missing, a link or special file, or two
        sources share a name.
    """
    out: list[tuple[str, Path]] = []
    for given in sources:
        path = Path(os.path.abspath(given))
        try:
            st = path.lstat()
        except OSError as e:
            msg = f"cannot read source {given}: {e.strerror}; check the path"
            raise UnreadableInputError(msg) from e
        _refuse_special(str(path), st.st_mode)
        if not path.name:
            msg = f"source {given} has no name to use under data/; give a folder inside it"
            raise InputError(msg)
        _check_name(path.name, str(path))
        out.append((path.name, path))
    names = [name for name, _ in out]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        msg = f"two sources share the name {dup[0]!r}; each source keeps its name under data/"
        raise InputError(msg)
    _check_siblings(names, "the sources", warnings)
    for name in names:
        _check_percent(f"data/{name}", warnings)
    return out


def walk_payload(
    sources: Sequence[tuple[str, Path]],
    *,
    on_folder: Callable[[str], None],
    warnings: list[Finding],
) -> Iterator[PayloadFile]:
    """Every file of *sources* in bag order; *on_folder* gets each folder's bag path first.

    :raises InputError: see the module docstring.
    """
    for name, path in sources:
        bag_path = f"data/{name}"
        if path.is_dir():
            on_folder(bag_path)
            yield from _walk_dir(path, bag_path, on_folder, warnings)
        else:
            yield PayloadFile(bag_path, str(path), path.lstat().st_size)


def _walk_dir(
    folder: Path, bag_folder: str, on_folder: Callable[[str], None], warnings: list[Finding]
) -> Iterator[PayloadFile]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        msg = f"cannot list folder {folder}: {e.strerror}; check its permissions"
        raise UnreadableInputError(msg) from e
    _check_siblings([e.name for e in entries], str(folder), warnings)
    for entry in entries:
        _check_name(entry.name, entry.path)
        st = entry.stat(follow_symlinks=False)
        _refuse_special(entry.path, st.st_mode)
        bag_path = f"{bag_folder}/{entry.name}"
        _check_percent(bag_path, warnings)
        if stat.S_ISDIR(st.st_mode):
            on_folder(bag_path)
            yield from _walk_dir(Path(entry.path), bag_path, on_folder, warnings)
        else:
            yield PayloadFile(bag_path, entry.path, st.st_size)


def walk_folder(
    folder: Path, bag_folder: str, *, on_folder: Callable[[str], None], warnings: list[Finding]
) -> Iterator[PayloadFile]:
    """Every file under *folder*, with bag paths under *bag_folder* (for in-place bags).

    :raises InputError: see the module docstring.
    """
    return _walk_dir(folder, bag_folder, on_folder, warnings)


def payload_totals(paths: Iterable[Path]) -> tuple[int, int]:
    """``(bytes, files)`` of the regular files under *paths*, for a progress bar's total.

    One ``scandir`` pass, no file opened; links are not followed and what cannot be
    read is skipped here (the walk that builds the bag reports it).
    """
    octets = files = 0
    stack = list(paths)
    while stack:
        path = stack.pop()
        try:
            if not path.is_dir() or path.is_symlink():
                st = path.lstat()
                if stat.S_ISREG(st.st_mode):
                    octets, files = octets + st.st_size, files + 1
                continue
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        octets += entry.stat(follow_symlinks=False).st_size
                        files += 1
        except OSError:
            continue
    return octets, files
