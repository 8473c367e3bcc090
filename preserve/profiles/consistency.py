"""Rules of a profile that a JSON Schema cannot state; each failure names the field."""

from __future__ import annotations

import re
from collections.abc import Iterable

from preserve.bags.hashing import algorithm_key
from preserve.bags.paths import unsafe_reason
from preserve.errors import ProfileError
from preserve.profiles.globs import GlobSyntaxError, compile_glob, covered
from preserve.profiles.model import Profile

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _path_problem(path: str) -> str | None:
    """Why *path* (from a profile) is not a bag path to require or allow, or ``None``.

    First every way out of the bag that :func:`preserve.bags.paths.unsafe_reason`
    refuses in a manifest; then what a bag may hold but a profile should not spell:
    a backslash (a profile names folders with ``/``), a control character, or an
    empty or ``.`` component (``data//x``, ``./x``), which no manifest path matches.
    """
    reason = unsafe_reason(path)
    if reason:
        return reason
    if "\\" in path or _CONTROL.search(path):
        return "contains a backslash or a control character; use '/' between folders"
    if any(part in ("", ".") for part in path.rstrip("/").split("/")):
        return "has an empty or '.' component"
    return None


def check(profile: Profile, *, explicit_serialization: bool) -> None:
    """Raise :class:`ProfileError` for the first inconsistency in *profile*."""
    _subset(profile, "Manifests", profile.manifests_required, profile.manifests_allowed)
    _subset(profile, "Tag-Manifests", profile.tag_manifests_required, profile.tag_manifests_allowed)
    listed = (
        ("Tag-Files", profile.tag_files_required, profile.tag_files_allowed, ""),
        ("Payload-Files", profile.payload_files_required, profile.payload_files_allowed, "data/"),
    )
    for name, required, allowed, prefix in listed:
        _files(profile, name, required, allowed, prefix=prefix)
    if profile.fetch_required and not profile.allow_fetch:
        _fail(profile, "Fetch.txt-Required", "is true but Allow-Fetch.txt is false; drop one")
    if (
        explicit_serialization
        and profile.serialization != "forbidden"
        and not profile.accept_serialization
    ):
        _fail(
            profile,
            "Accept-Serialization",
            f"must list at least one MIME type when Serialization is "
            f"{profile.serialization!r} (for example application/zip)",
        )
    seen: dict[str, str] = {}
    for rule in profile.bag_info:
        key = rule.label.casefold()
        if key in seen:
            _fail(
                profile,
                f"Bag-Info/{rule.label}",
                f"repeats Bag-Info/{seen[key]} (labels ignore case)",
            )
        seen[key] = rule.label


def _subset(
    profile: Profile, name: str, required: Iterable[str], allowed: Iterable[str] | None
) -> None:
    if allowed is None:
        return
    ok = {algorithm_key(a) for a in allowed}
    missing = [a for a in required if algorithm_key(a) not in ok]
    if missing:
        _fail(
            profile,
            f"{name}-Allowed",
            f"must include every algorithm of {name}-Required; add {', '.join(missing)}",
        )


def _files(
    profile: Profile,
    name: str,
    required: Iterable[str],
    allowed: Iterable[str] | None,
    *,
    prefix: str,
) -> None:
    patterns = tuple(allowed) if allowed is not None else None
    for i, pattern in enumerate(patterns or ()):
        where = f"{name}-Allowed/{i}"
        _safe(profile, where, pattern)
        try:
            compile_glob(pattern)
        except GlobSyntaxError as e:
            _fail(profile, where, f"{pattern!r} is not a valid pattern: {e}")
        if prefix and not (pattern.startswith(prefix) or prefix.startswith(pattern.split("*")[0])):
            _fail(profile, where, f"{pattern!r} must lie under {prefix}")
    for i, path in enumerate(required):
        where = f"{name}-Required/{i}"
        _safe(profile, where, path)
        if prefix and not path.startswith(prefix):
            _fail(profile, where, f"{path!r} must start with {prefix} (payload lives there)")
        if not prefix and (path == "data" or path.startswith(("data/", "data\\"))):
            _fail(profile, where, f"{path!r} is inside data/; tag files live outside it")
        if not prefix and path.endswith("/"):
            _fail(profile, where, f"{path!r} names a folder; tag files are files")
        if patterns is not None and not covered(path, patterns):
            _fail(
                profile, where, f"{path!r} is not allowed by {name}-Allowed; add a pattern for it"
            )


def _safe(profile: Profile, where: str, path: str) -> None:
    reason = _path_problem(path)
    if reason:
        _fail(profile, where, f"{path!r} {reason}; paths are relative to the bag")


def _fail(profile: Profile, field: str, problem: str) -> None:
    msg = f"profile {profile.source}: {field} {problem}"
    raise ProfileError(msg)
