"""Convert a folder into a bag in place (``--in-place``), without ``os.chdir``.

What happens, in order, for the folder ``F``:

1. Every file is hashed where it is; manifests and tag files (including those of
   tag hooks) are written into a staging folder beside ``F``
   (``.F.preserve-staging-*``). ``F`` is untouched.
2. ``F``'s entries are renamed one by one into ``F/.preserve-payload-moving-<id>``;
   when all are in, that folder is renamed ``.preserve-payload-moved-<id>``.
3. The tag files except ``bagit.txt`` are moved into ``F``.
4. ``.preserve-payload-moved-<id>`` is renamed ``data``; then ``bagit.txt`` is moved
   in, last, so ``F`` looks like a bag only when it is one.

Renames never copy or change file contents. On an error or Ctrl-C the steps are
undone before the error is reported. After a crash (power loss, SIGKILL):

* in step 1, ``F`` is unchanged (the staging folder is removed by the next run);
* in step 2 or 3, the next ``--in-place`` run on ``F`` finds the
  ``.preserve-payload-*`` folder, moves the entries back (removing only tag files
  it wrote) and starts again; by hand: move everything in that folder back into ``F``;
* between the two renames of step 4, ``F`` holds ``data/`` and tag files but no
  ``bagit.txt``: not a bag. Move ``data/*`` back into ``F`` and delete the tag files,
  or run ``preserve bag`` again on a copy.

A file written into ``F`` by someone else during the conversion ends up in the
payload without a manifest line; ``preserve verify`` reports it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from preserve._types import StrPath
from preserve.bags.build import tagwrite
from preserve.bags.build.plan import BuildPlan, build_error, write_tags
from preserve.bags.build.result import BuildResult, InventoryFile
from preserve.bags.build.sources import payload_totals, walk_folder
from preserve.bags.build.staging import Staging, clean_stale, fsync_dir, sync_tree
from preserve.bags.hashpool import HashJob, hash_many
from preserve.errors import BagError, UnreadableInputError, UsageError
from preserve.progress import NO_PROGRESS

_MOVING = ".preserve-payload-moving-"
_MOVED = ".preserve-payload-moved-"


def _check_root(sources: Sequence[StrPath], plan: BuildPlan) -> Path:
    if len(sources) != 1:
        msg = "--in-place converts exactly one folder: give one source"
        raise UsageError(msg)
    root = Path(os.path.abspath(sources[0]))
    if root != plan.target:
        msg = (
            f"--in-place turns {root} itself into the bag: leave out --out or give the same folder"
        )
        raise UsageError(msg)
    if root.is_symlink() or not root.is_dir():
        msg = f"{root} is not a folder (or is a link): --in-place converts a folder"
        raise BagError(msg)
    if (root / "bagit.txt").exists():
        msg = f"{root} is already a bag (it has bagit.txt); verify it instead"
        raise BagError(msg)
    return root


def build_in_place(sources: Sequence[StrPath], plan: BuildPlan) -> BuildResult:
    """Turn the one folder in *sources* into a bag (see the module docstring)."""
    root = _check_root(sources, plan)
    recover(root)
    stale = tuple(clean_stale(root))
    try:
        with Staging(root) as staging:
            files, octets, inventory = _hash_in_place(root, staging.bag, plan)
            result = write_tags(staging.bag, plan, files=files, octets=octets, inventory=inventory)
            holder = _move_payload(root)
            try:
                _install(root, holder, staging.bag)
            except BaseException:
                recover(root)
                raise
    except OSError as e:
        raise build_error(e, root) from e
    return replace(result, in_place=True, stale_removed=stale)


def _hash_in_place(root: Path, tags: Path, plan: BuildPlan) -> tuple[int, int, list[InventoryFile]]:
    files = octets = 0
    inventory: list[InventoryFile] = []
    prefix = len(os.fspath(root)) + 1
    jobs = (
        HashJob(f.source, size=f.size)
        for f in walk_folder(root, "data", on_folder=lambda _: None, warnings=plan.warnings)
    )
    total_bytes, total_files = _totals([root], plan)
    plan.progress.start("Hashing", total_bytes=total_bytes, total_files=total_files)
    outcomes = hash_many(jobs, plan.algorithms, workers=plan.processes, progress=plan.progress)
    try:
        with contextlib.closing(outcomes), tagwrite.ManifestWriter(tags, plan.algorithms) as out:
            for outcome in outcomes:
                if outcome.digest is None:
                    msg = f"cannot read {outcome.job.path}: {outcome.error}; nothing was changed"
                    raise UnreadableInputError(msg)
                bag_path = "data/" + outcome.job.path[prefix:].replace(os.sep, "/")
                out.add(bag_path, outcome.digest.digests)
                files += 1
                octets += outcome.digest.size
                if plan.hooks:
                    digest = outcome.digest
                    inventory.append(
                        InventoryFile(bag_path, outcome.job.path, digest.size, digest.digests)
                    )
    finally:
        plan.progress.finish()
    return files, octets, inventory


def _totals(paths: list[Path], plan: BuildPlan) -> tuple[int | None, int | None]:
    """The payload's size for the bar; not computed when nobody watches."""
    if plan.progress is NO_PROGRESS:
        return None, None
    return payload_totals(paths)


def _move_payload(root: Path) -> Path:
    token = secrets.token_hex(6)
    moving = root / f"{_MOVING}{token}"
    moving.mkdir()
    try:
        for name in sorted(os.listdir(root)):
            if name != moving.name:
                os.rename(root / name, moving / name)
        fsync_dir(moving)
        moved = root / f"{_MOVED}{token}"
        os.rename(moving, moved)
        fsync_dir(root)
    except BaseException:
        recover(root)
        raise
    return moved


def _install(root: Path, holder: Path, tags: Path) -> None:
    for name in sorted(os.listdir(tags)):
        if name != "bagit.txt":
            _move(tags / name, root / name)
    sync_tree(root)
    fsync_dir(root)
    os.rename(holder, root / "data")
    fsync_dir(root)
    _move(tags / "bagit.txt", root / "bagit.txt")
    fsync_dir(root)


def _move(src: Path, dst: Path) -> None:
    try:
        os.rename(src, dst)
    except OSError:
        # The staging folder is on another file system (F is a mount point).
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


def _ours(name: str) -> bool:
    """A top-level name an in-place conversion writes (other than the holder)."""
    return (
        name in ("bag-info.txt", "metadata")
        or name.startswith(("manifest-", "tagmanifest-"))
        or name.endswith(".tmp")
    )


def recover(root: Path) -> None:
    """Undo an interrupted in-place conversion of *root*: move the payload back.

    :raises BagError: the folder holds both a payload holder and files that are
        neither the originals nor tag files preserve writes (someone added them).
    """
    holders = [n for n in os.listdir(root) if n.startswith((_MOVING, _MOVED))]
    for name in holders:
        holder = root / name
        if name.startswith(_MOVED):
            _remove_our_tags(root, holders)
        _move_back(holder, root)


def _remove_our_tags(root: Path, holders: Iterable[str]) -> None:
    others = [n for n in os.listdir(root) if n not in holders]
    strangers = [n for n in others if not _ours(n)]
    if strangers:
        msg = (
            f"{root} holds an interrupted in-place conversion and also {strangers[0]!r}: "
            f"move everything in {root}/{_MOVED}* back into {root} by hand"
        )
        raise BagError(msg)
    for name in others:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _move_back(holder: Path, root: Path) -> None:
    for name in sorted(os.listdir(holder)):
        if os.path.lexists(root / name):
            msg = (
                f"cannot undo the interrupted in-place conversion of {root}: {name!r} exists "
                f"both there and in {holder}; sort them out by hand"
            )
            raise BagError(msg)
        os.rename(holder / name, root / name)
    holder.rmdir()
    fsync_dir(root)
