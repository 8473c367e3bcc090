"""The plan of a build and what every build mode writes from it.

:class:`BuildPlan` carries the checked arguments of ``build_bag`` to both the copy
mode (:mod:`preserve.bags.build.build`) and the in-place mode
(:mod:`preserve.bags.build.inplace`); :func:`write_tags` writes the tag files both
modes end with, and :func:`build_error` words the OS errors both may meet.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from pathlib import Path

from preserve._types import JSONValue
from preserve.bags.build import tagwrite
from preserve.bags.build.result import BuildResult, Inventory, InventoryFile, TagHook
from preserve.bags.tagfiles import format_bag_info, format_bagit_txt, payload_oxum
from preserve.clock import Clock, isoformat_z
from preserve.errors import BagError
from preserve.findings import Finding
from preserve.progress import Progress
from preserve.units import human_size


class BuildPlan:
    """Everything a build needs besides the sources (copy mode and in-place mode).

    Made by :func:`preserve.bags.build.build.build_bag` from its arguments, already
    checked: RFC 8493 algorithm names, extra bag-info pairs, the loaded record (as a
    mapping and as the bytes written to ``metadata/record.json``). ``warnings``
    collects the findings of the walk over the sources.
    """

    def __init__(
        self,
        *,
        target: Path,
        algorithms: tuple[str, ...],
        extra: list[tuple[str, str]],
        record: tuple[Mapping[str, JSONValue], bytes] | None,
        hooks: tuple[TagHook, ...],
        processes: int,
        progress: Progress,
        clock: Clock,
    ) -> None:
        from preserve import __version__

        self.target = target
        self.algorithms = algorithms
        self.extra = extra
        self.record = record
        self.hooks = hooks
        self.processes = max(1, processes)
        self.progress = progress
        self.started = clock()
        self.agent = f"preserve {__version__}"
        self.warnings: list[Finding] = []


def build_error(e: OSError, target: Path) -> BagError:
    """The :class:`BagError` for an OS error while building *target* (disk full, or other)."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        msg = (
            f"the disk is full while building {target}: free space in {target.parent} "
            "and run again; no bag was left there"
        )
    else:
        where = f" ({e.filename})" if e.filename else ""
        msg = f"cannot build {target}: {e.strerror or e}{where}; no bag was left there"
    return BagError(msg)


def write_tags(
    bag: Path, plan: BuildPlan, *, files: int, octets: int, inventory: list[InventoryFile]
) -> BuildResult:
    """Write bagit.txt, bag-info.txt, the record, hook files and tag manifests into *bag*."""
    written: dict[str, bytes] = {}
    if plan.record is not None:
        written["metadata/record.json"] = plan.record[1]
    if plan.hooks:
        inv = Inventory(
            bag=bag,
            target=plan.target,
            algorithms=plan.algorithms,
            files=tuple(inventory),
            octets=octets,
            record=plan.record[0] if plan.record else None,
            started=isoformat_z(plan.started),
            agent=plan.agent,
        )
        for hook in plan.hooks:
            for name, data in hook(inv).items():
                tagwrite.check_tag_path(name)
                if name in written:
                    msg = f"two tag hooks both write {name!r}; only one may"
                    raise BagError(msg)
                written[name] = data
    info = bag_info(plan, files, octets)
    (bag / "bagit.txt").write_bytes(format_bagit_txt())
    (bag / "bag-info.txt").write_text(format_bag_info(info), encoding="utf-8", newline="\n")
    for name, data in written.items():
        tagwrite.write_tag_file(bag, name, data)
    tagwrite.write_tag_manifests(bag, plan.algorithms)
    return BuildResult(
        bag=plan.target,
        files=files,
        bytes=octets,
        algorithms=plan.algorithms,
        bag_info=tuple(info),
        tag_files=tuple(tagwrite.tag_files(bag)),
        findings=tuple(plan.warnings),
    )


def bag_info(plan: BuildPlan, files: int, octets: int) -> list[tuple[str, str]]:
    """bag-info.txt's elements: computed ones, then the record's and the caller's."""
    computed = [("Bagging-Date", plan.started.date().isoformat())]
    if plan.record is not None:
        computed += tagwrite.record_bag_info(plan.record[0])
    computed += [
        ("Bag-Software-Agent", plan.agent),
        ("Payload-Oxum", payload_oxum(octets, files)),
        ("Bag-Size", human_size(octets)),
    ]
    return tagwrite.merge_bag_info(computed, plan.extra)
