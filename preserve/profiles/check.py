"""Check a bag against a BagIt profile: every field of spec 1.1.0 to 1.4.0.

The checks read only the bag's shape (:class:`~preserve.profiles.view.BagView`), never
its payload bytes; RFC 8493 validity (checksums) is ``preserve verify``'s job. Every
problem is a ``PRO`` finding (:mod:`preserve.profiles.codes`); nothing stops at the
first one, so one run gives the whole report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from preserve._types import StrPath
from preserve.bags.hashing import algorithm_key
from preserve.findings import Finding
from preserve.profiles.codes import PROFILE_RULES
from preserve.profiles.globs import covered
from preserve.profiles.load import as_profile
from preserve.profiles.model import Profile
from preserve.profiles.view import BagView

MIME_ALIASES = {
    "application/tar": "application/x-tar",
    "application/x-gzip": "application/gzip",
    "application/tar+gzip": "application/gzip",
    "application/x-zip": "application/zip",
    "application/x-zip-compressed": "application/zip",
}
"""Names in use for the same archive types; compared after mapping to the first form."""


def check_profile(bag: StrPath | BagView, profile: Profile | StrPath) -> tuple[Finding, ...]:
    """Check *bag* against *profile* and return the ``PRO`` findings (empty: conforms).

    :param bag: a bag folder, a serialized bag (tar, tar.gz, zip: unpacked safely into a
        private temporary folder), or a :class:`BagView` already read.
    :param profile: a :class:`Profile`, a profile file or a shipped profile name
        (``preserve-deposit-v1``).
    :raises BagError: when the bag cannot be read at all.
    :raises ProfileError: the profile file or name cannot be loaded.
    :raises UsageError: *profile* is none of the above.
    :raises SerializationError: when a serialized bag is refused as unsafe.
    """
    profile = as_profile(profile)
    if isinstance(bag, BagView):
        return tuple(_check(bag, profile))
    if Path(bag).is_file():
        from preserve.bags.archive.read import unpacked_bag

        with unpacked_bag(bag) as (root, mime):
            view = BagView.from_directory(root, serialization=mime)
            return tuple(_check(_renamed(view, str(bag)), profile))
    return tuple(_check(BagView.from_directory(bag), profile))


def _renamed(view: BagView, name: str) -> BagView:
    from dataclasses import replace

    return replace(view, name=name)


def _check(view: BagView, profile: Profile) -> Iterator[Finding]:
    yield from _version(view, profile)
    yield from _serialization(view, profile)
    yield from _identifier(view, profile)
    yield from _bag_info(view, profile)
    yield from _manifests(view, profile, tag=False)
    yield from _manifests(view, profile, tag=True)
    yield from _tag_files(view, profile)
    yield from _payload(view, profile)
    yield from _fetch(view, profile)


def _f(code: str, **context: Any) -> Finding:
    # Like BAG findings: ``source`` is the tag file concerned, ``path`` a path in the bag.
    return PROFILE_RULES.finding(code, **context)


def _version(view: BagView, profile: Profile) -> Iterator[Finding]:
    if view.bagit_version is None:
        yield _f("PRO-022", source="bagit.txt")
    elif not any(_same_version(view.bagit_version, v) for v in profile.accept_bagit_version):
        accepted = ", ".join(profile.accept_bagit_version)
        yield _f("PRO-021", source="bagit.txt", version=view.bagit_version, accepted=accepted)


def _same_version(a: str, b: str) -> bool:
    try:
        return tuple(int(x) for x in a.split(".")) == tuple(int(x) for x in b.split("."))
    except ValueError:
        return a.strip() == b.strip()


def _mime(name: str) -> str:
    name = name.strip().lower()
    return MIME_ALIASES.get(name, name)


def _serialization(view: BagView, profile: Profile) -> Iterator[Finding]:
    accepted = ", ".join(profile.accept_serialization) or "none listed"
    if view.serialization is None:
        if profile.serialization == "required":
            yield _f("PRO-019", accepted=accepted)
        return
    if profile.serialization == "forbidden":
        yield _f("PRO-018", mime=view.serialization)
    elif profile.accept_serialization and _mime(view.serialization) not in {
        _mime(m) for m in profile.accept_serialization
    }:
        yield _f("PRO-020", mime=view.serialization, accepted=accepted)


def _identifier(view: BagView, profile: Profile) -> Iterator[Finding]:
    found = [e.value for e in view.bag_info if e.label.casefold() == "bagit-profile-identifier"]
    names = {profile.identifier}
    if profile.source.startswith(("http://", "https://")):
        names.add(profile.source)  # a profile is also known by the URL it was fetched from
    if not found:
        yield _f("PRO-001", source="bag-info.txt", identifier=profile.identifier)
    elif not names.intersection(found):
        yield _f(
            "PRO-002",
            source="bag-info.txt",
            identifier=profile.identifier,
            found=", ".join(found),
        )


def _bag_info(view: BagView, profile: Profile) -> Iterator[Finding]:
    for line, text in view.bag_info_errors:
        yield _f("PRO-023", source="bag-info.txt", line=line, text=text)
    for rule in profile.bag_info:
        key = rule.label.casefold()
        elements = [e for e in view.bag_info if e.label.casefold() == key]
        where = {"source": "bag-info.txt", "field": rule.label}
        if rule.required and not elements:
            yield _f("PRO-003", label=rule.label, **where)
        elif rule.required and not any(e.value.strip() for e in elements):
            yield _f("PRO-004", label=rule.label, line=elements[0].line, **where)
        if not rule.repeatable and len(elements) > 1:
            yield _f("PRO-006", label=rule.label, count=len(elements), **where)
        if rule.values:
            allowed = ", ".join(repr(v) for v in rule.values)
            for e in elements:
                if e.value not in rule.values:
                    yield _f(
                        "PRO-005",
                        label=rule.label,
                        value=e.value,
                        allowed=allowed,
                        line=e.line,
                        **where,
                    )


def _manifests(view: BagView, profile: Profile, *, tag: bool) -> Iterator[Finding]:
    present = view.manifests(tag=tag)
    by_norm = {algorithm_key(a): a for a in present}
    required = profile.tag_manifests_required if tag else profile.manifests_required
    allowed = profile.tag_manifests_allowed if tag else profile.manifests_allowed
    prefix = "tagmanifest" if tag else "manifest"
    for algorithm in required:
        if algorithm_key(algorithm) not in by_norm:
            code = "PRO-009" if tag else "PRO-007"
            yield _f(code, path=f"{prefix}-{algorithm}.txt", algorithm=algorithm)
    if allowed is None:
        return
    ok = {algorithm_key(a) for a in allowed}
    for algorithm, filename in sorted(present.items()):
        if algorithm_key(algorithm) not in ok:
            code = "PRO-010" if tag else "PRO-008"
            yield _f(code, path=filename, algorithm=algorithm, allowed=", ".join(allowed))


def _tag_files(view: BagView, profile: Profile) -> Iterator[Finding]:
    for path in profile.tag_files_required:
        if path not in view.files:
            yield _f("PRO-011", path=path, problem=_absence(view, path))
    if profile.tag_files_allowed is None:
        return
    allowed = ", ".join(profile.tag_files_allowed) or "nothing"
    for path in view.other_tag_files():
        if not covered(path, profile.tag_files_allowed):
            yield _f("PRO-012", path=path, allowed=allowed)


def _absence(view: BagView, path: str) -> str:
    if path.rstrip("/") in view.dirs:
        return "is a folder"
    if path in view.others:
        return "is a link or special file"
    return "is missing"


def _payload(view: BagView, profile: Profile) -> Iterator[Finding]:
    payload = view.payload_files()
    for path in profile.payload_files_required:
        if path.endswith("/"):
            folder = path.rstrip("/")
            holds = any(p.startswith(path) for p in (*view.files, *view.dirs, *view.others))
            if folder not in view.dirs or not holds:
                problem = "is an empty folder" if folder in view.dirs else "is missing"
                yield _f("PRO-013", path=path, problem=problem)
        elif path not in payload:
            yield _f("PRO-013", path=path, problem=_absence(view, path))
    if profile.payload_files_allowed is not None:
        allowed = ", ".join(profile.payload_files_allowed) or "nothing"
        for path in sorted(payload):
            if not covered(path, profile.payload_files_allowed):
                yield _f("PRO-014", path=path, allowed=allowed)
    if profile.data_empty and not (
        not payload or (len(payload) == 1 and next(iter(payload.values())) == 0)
    ):
        yield _f("PRO-017", path="data/", count=len(payload), size=sum(payload.values()))


def _fetch(view: BagView, profile: Profile) -> Iterator[Finding]:
    has_fetch = "fetch.txt" in view.files
    if has_fetch and not profile.allow_fetch:
        yield _f("PRO-015", path="fetch.txt")
    if profile.fetch_required and not has_fetch:
        yield _f("PRO-016", path="fetch.txt")
