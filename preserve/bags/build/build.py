"""Build a BagIt 1.0 bag from files and folders: :func:`build_bag`.

Copy mode (the default) never moves or changes a source. Every payload file is
copied and hashed with every algorithm in one read (:func:`copy_and_hash`), in a
staging folder beside the target (:mod:`preserve.bags.build.staging`). The copies are
then flushed to disk and read back once with the fastest of the bag's algorithms
to check they hold what was hashed; only then are the tag files written and the
bag renamed into place. A crash, a full disk or Ctrl-C leaves no bag, or the old
one when replacing.

``in_place=True`` converts one folder into a bag, as bagit-python's ``make_bag``
does (see :mod:`preserve.bags.build.inplace`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from preserve._types import JSONValue, NameOrNames, PathOrPaths, StrPath, as_names, as_paths
from preserve.bags.archive.read import ArchiveFormat
from preserve.bags.archive.write import (
    StagedArchive,
    archive_filename,
    check_archive_target,
    serialize_bag,
    stage_archive,
)
from preserve.bags.build import tagwrite
from preserve.bags.build._replace import refuse_unless_bag
from preserve.bags.build.plan import BuildPlan, build_error, write_tags
from preserve.bags.build.result import BuildResult, InventoryFile, TagHook
from preserve.bags.build.sources import payload_totals, top_level, walk_payload
from preserve.bags.build.staging import Staging, clean_stale
from preserve.bags.hashing import fastest_algorithm, normalize_algorithms
from preserve.bags.hashpool import HashJob, hash_many
from preserve.bags.manifests import iter_manifest, manifest_filename
from preserve.bags.tagfiles import format_bag_info
from preserve.clock import Clock, utc_now
from preserve.errors import BagError, SerializationError, UnreadableInputError, UsageError
from preserve.progress import NO_PROGRESS, Progress

log = logging.getLogger(__name__)

BagInfo = Mapping[str, str] | Iterable[tuple[str, str]]
_COMPUTED = ("payload-oxum", "bag-size")


def build_bag(
    sources: PathOrPaths,
    out: StrPath,
    *,
    record: StrPath | Mapping[str, JSONValue] | None = None,
    algorithms: NameOrNames = ("sha512", "sha256"),
    bag_info: BagInfo | None = None,
    in_place: bool = False,
    replace: bool = False,
    tag_hooks: Sequence[TagHook] = (),
    check: Callable[[Path], None] | None = None,
    serialize: ArchiveFormat | None = None,
    processes: int = 2,
    progress: Progress = NO_PROGRESS,
    clock: Clock = utc_now,
) -> BuildResult:
    """Build a BagIt 1.0 bag at *out* whose payload is a copy of *sources*.

    :param sources: a file or folder, or several; each keeps its name under ``data/``.
    :param out: the bag folder to create; it must not exist unless *replace*.
    :param record: a record (a JSON file or a mapping), stored as the tag file
        ``metadata/record.json`` and used to fill bag-info.txt.
    :param algorithms: one manifest algorithm or several (any spelling; RFC 8493 names
        are written).
    :param bag_info: extra bag-info elements; a label given here replaces the
        one preserve would compute from the record (Payload-Oxum and Bag-Size
        cannot be set).
    :param in_place: convert the single source folder into the bag (*out* must
        be that folder); see :mod:`preserve.bags.build.inplace`.
    :param replace: replace an existing bag at *out* (atomically).
    :param tag_hooks: callables adding tag files, see :data:`TagHook`.
    :param check: called with the finished bag in its staging folder, before it is
        renamed into place; it raises :class:`BagError` to refuse the bag (used for
        ``--profile``, see :func:`preserve.profiles.build.conformance_check`). Not
        available with *in_place*.
    :param serialize: also write the bag as one archive beside it (``"tar"``, ``"tgz"``
        or ``"zip"``, see :func:`~preserve.serialize_bag`), replaced only with
        *replace*. The archive's target is checked before anything is built; in copy
        mode the archive is written from the finished bag before it is renamed into
        place, so a bag whose archive cannot be written is not left either. In place,
        the archive is written after the conversion.
    :param processes: CPU cores to hash on (at least 1).
    :param progress: receives bytes and files as they are hashed.
    :param clock: gives the Bagging-Date.
    :raises BagError: the bag (or its archive) cannot be built; nothing is left at
        *out* (or the previous bag is left unchanged).
    :raises UsageError: contradictory arguments (bad algorithm, bag-info label,
        *processes* below 1).
    """
    paths = as_paths(sources, argument="sources")
    algs = normalize_algorithms(as_names(algorithms, argument="algorithms"))
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        msg = f"processes must be a whole number of at least 1, not {processes!r}"
        raise UsageError(msg)
    extra = _extra_info(bag_info)
    target = Path(os.path.abspath(out))
    loaded = _load_record(record)
    plan = BuildPlan(
        target=target,
        algorithms=algs,
        extra=extra,
        record=loaded,
        hooks=tuple(tag_hooks),
        processes=processes,
        progress=progress,
        clock=clock,
    )
    if in_place:
        if check is not None:
            msg = "--in-place cannot check a profile before finishing yet; build a copy with --out"
            raise UsageError(msg)
        from preserve.bags.build.inplace import build_in_place

        if serialize is not None:
            check_archive_target(_archive(target, serialize), replace=replace)
        return _serialize_in_place(build_in_place(paths, plan), serialize, replace=replace)
    return _build_copy(paths, plan, replace=replace, check=check, serialize=serialize)


def _archive(target: Path, fmt: ArchiveFormat) -> Path:
    return target.parent / archive_filename(target.name, fmt)


def _serialize_in_place(
    result: BuildResult, fmt: ArchiveFormat | None, *, replace: bool
) -> BuildResult:
    if fmt is None:
        return result
    try:
        archive = serialize_bag(result.bag, _archive(result.bag, fmt), fmt=fmt, replace=replace)
    except SerializationError as e:
        msg = f"{result.bag} was converted into a bag, but its archive was not written: {e}"
        raise SerializationError(msg) from e
    return dataclasses.replace(result, archive=archive)


def _extra_info(bag_info: BagInfo | None) -> list[tuple[str, str]]:
    if bag_info is None:
        return []
    pairs = list(bag_info.items()) if isinstance(bag_info, Mapping) else list(bag_info)
    for label, _ in pairs:
        if label.lower() in _COMPUTED:
            msg = f"bag-info element {label} is computed from the payload and cannot be given"
            raise UsageError(msg)
    try:
        format_bag_info(pairs)
    except ValueError as e:
        raise UsageError(str(e)) from e
    return pairs


def _load_record(
    record: StrPath | Mapping[str, JSONValue] | None,
) -> tuple[Mapping[str, JSONValue], bytes] | None:
    if record is None:
        return None
    if isinstance(record, Mapping):
        return record, _record_json(record)
    try:
        data = Path(record).read_bytes()
        loaded = json.loads(data)
    except OSError as e:
        msg = f"cannot read the record {record}: {e.strerror}"
        raise UnreadableInputError(msg) from e
    except ValueError as e:
        msg = (
            f"the record {record} is not JSON ({e}); give a record as JSON "
            "or a record document (.txt, .md, .html)"
        )
        raise BagError(msg) from e
    if isinstance(loaded, list) and len(loaded) == 1 and isinstance(loaded[0], dict):
        # What `preserve extract page.txt` writes: an array of the one record.
        return loaded[0], _record_json(loaded[0])
    if not isinstance(loaded, dict):
        what = f"an array of {len(loaded)} records" if isinstance(loaded, list) else "not an object"
        msg = (
            f"the record {record} is {what}; a bag holds one record: give a file with one "
            "record (an object, or an array of one, as 'preserve extract DOCUMENT' writes)"
        )
        raise BagError(msg)
    return loaded, data


def _record_json(record: Mapping[str, JSONValue]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _check_target(
    sources: Sequence[StrPath], target: Path, replace: bool, serialize: ArchiveFormat | None
) -> None:
    if serialize is not None:  # before the bag: refused at once, nothing built (issue: QA)
        check_archive_target(_archive(target, serialize), replace=replace)
    if os.path.lexists(target) and not replace:
        msg = f"{target} already exists: choose another --out, or pass --replace to replace it"
        raise BagError(msg)
    if os.path.lexists(target):
        refuse_unless_bag(target)
    if not target.parent.is_dir():
        msg = f"the folder {target.parent} for the bag does not exist; create it first"
        raise BagError(msg)
    for source in sources:
        src = Path(os.path.abspath(source))
        if target == src or src in target.parents or target in src.parents:
            msg = f"the bag {target} and the source {src} overlap; put the bag elsewhere"
            raise BagError(msg)


def _build_copy(
    sources: Sequence[StrPath],
    plan: BuildPlan,
    *,
    replace: bool,
    check: Callable[[Path], None] | None,
    serialize: ArchiveFormat | None,
) -> BuildResult:
    """Build the bag in a staging folder beside *target*, have *check* look at it, write
    its archive (*serialize*) under a temporary name, and rename both into place (the
    bag over an existing bag when *replace*)."""
    target = plan.target
    if not sources:
        msg = "no sources given: name the files and folders to put in the bag"
        raise UsageError(msg)
    _check_target(sources, target, replace, serialize)
    replacing = os.path.lexists(target)
    stale = tuple(clean_stale(target))
    log.info("building %s from %s", target, ", ".join(str(s) for s in sources))
    staged: StagedArchive | None = None
    try:
        with Staging(target) as staging:
            result = _fill(staging.bag, sources, plan)
            if check is not None:
                check(staging.bag)
            if serialize is not None:
                archive = _archive(target, serialize)
                staged = stage_archive(staging.bag, archive, fmt=serialize, as_bag=target)
            staging.commit(replace=replacing)
        written = _install(staged, target, replaced=replacing)
    except OSError as e:
        raise build_error(e, target) from e
    finally:
        if staged is not None:
            staged.discard()
    return dataclasses.replace(result, replaced=replacing, stale_removed=stale, archive=written)


def _install(staged: StagedArchive | None, target: Path, *, replaced: bool) -> Path | None:
    """Rename the archive into place beside the bag just put there. Two renames in one
    folder: should they fail, a new bag is removed with it (an old one is gone already)."""
    if staged is None:
        return None
    try:
        return staged.install()
    except OSError as e:  # pragma: no cover - a rename in the folder just written to
        if not replaced:
            shutil.rmtree(target, ignore_errors=True)
            staged.path.unlink(missing_ok=True)
        kept = "the new bag is in place without it" if replaced else "no bag was left"
        msg = f"cannot write {staged.path}: {e.strerror or e}; {kept}"
        raise SerializationError(msg) from e


def _fill(bag: Path, sources: Sequence[StrPath], plan: BuildPlan) -> BuildResult:
    """Copy the payload into *bag*, check it, and write the tag files."""
    (bag / "data").mkdir()
    top = top_level(sources, plan.warnings)

    def mkdir(bag_path: str) -> None:
        bag.joinpath(*bag_path.split("/")).mkdir()

    prefix = len(os.fspath(bag)) + 1
    jobs = (
        HashJob(f.source, copy_to=os.path.join(bag, *f.bag_path.split("/")), size=f.size)
        for f in walk_payload(top, on_folder=mkdir, warnings=plan.warnings)
    )
    totals = payload_totals(p for _, p in top) if plan.progress is not NO_PROGRESS else (None, None)
    plan.progress.start("Copying and hashing", total_bytes=totals[0], total_files=totals[1])
    try:
        files, octets, inventory = _copy_payload(bag, jobs, prefix, plan)
    finally:
        plan.progress.finish()
    _recheck(bag, plan, files, octets)
    return write_tags(bag, plan, files=files, octets=octets, inventory=inventory)


def _copy_payload(
    bag: Path, jobs: Iterable[HashJob], prefix: int, plan: BuildPlan
) -> tuple[int, int, list[InventoryFile]]:
    files = octets = 0
    inventory: list[InventoryFile] = []
    outcomes = hash_many(jobs, plan.algorithms, workers=plan.processes, progress=plan.progress)
    with contextlib.closing(outcomes), tagwrite.ManifestWriter(bag, plan.algorithms) as manifests:
        for outcome in outcomes:
            job = outcome.job
            if outcome.digest is None:
                raise _copy_error(outcome.job.path, outcome.error, outcome.errno, outcome.changed)
            assert job.copy_to is not None
            bag_path = job.copy_to[prefix:].replace(os.sep, "/")
            manifests.add(bag_path, outcome.digest.digests)
            files += 1
            octets += outcome.digest.size
            if plan.hooks:
                inventory.append(
                    InventoryFile(bag_path, job.path, outcome.digest.size, outcome.digest.digests)
                )
    return files, octets, inventory


def _copy_error(path: str, error: str | None, code: int | None, changed: bool) -> Exception:
    if changed:
        msg = f"{path} changed while it was being copied; run again when nothing writes to it"
        return BagError(msg)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OSError(code, error or "disk full")
    msg = f"cannot copy {path}: {error}; fix the file (permissions?) or leave it out"
    return UnreadableInputError(msg)


def _recheck(bag: Path, plan: BuildPlan, expected_files: int, expected_bytes: int) -> None:
    """Read every copy back once and compare with the manifest of the fastest algorithm."""
    algorithm = fastest_algorithm(plan.algorithms)
    manifest = bag / manifest_filename(algorithm)
    expected: dict[str, str] = {}

    def jobs() -> Iterable[HashJob]:
        for entry in iter_manifest(manifest, findings=[]):
            path = os.path.join(bag, *entry.path.split("/"))
            expected[path] = entry.digest
            yield HashJob(path, size=os.lstat(path).st_size)

    plan.progress.start("Checking the copy", total_bytes=expected_bytes, total_files=expected_files)
    try:
        outcomes = hash_many(jobs(), (algorithm,), workers=plan.processes, progress=plan.progress)
        with contextlib.closing(outcomes):
            for outcome in outcomes:
                want = expected.pop(outcome.job.path)
                if outcome.digest is None or outcome.digest.digests[algorithm] != want:
                    msg = (
                        f"the copy {outcome.job.path} does not match what was read from its "
                        "source: the disk or memory may be failing; no bag was made"
                    )
                    raise BagError(msg)
    finally:
        plan.progress.finish()
