"""Load BagIt profiles: the one place a profile file becomes a :class:`Profile`.

A profile is read from a path, from a shipped profile name (``preserve-deposit-v1``,
looked up in preserve's ``profiles/``), or from an ``http(s)`` URL when the caller
allows the network. It is checked twice: against ``schemas/bagit-profile.schema.json``
(shape and types) and then for the rules a schema cannot say (Allowed lists include
Required lists, patterns compile, paths stay inside the bag). Anything wrong is a
:class:`~preserve.errors.ProfileError` that names the field.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from preserve._resources import data_dir, load_json
from preserve._types import StrPath, not_accepted
from preserve.errors import ProfileError
from preserve.profiles import consistency
from preserve.profiles.model import (
    SPEC_VERSIONS,
    Profile,
    ProfileInfo,
    SerializationRule,
    TagRule,
)

MAX_PROFILE_BYTES = 1 << 20
"""A profile is a small JSON document; refuse anything larger than 1 MiB."""

NETWORK_TIMEOUT = 30.0


def load_profile(path_or_url: StrPath, *, allow_network: bool = False) -> Profile:
    """Load and check a BagIt profile.

    :param path_or_url: a JSON file, the name of a shipped profile (``preserve-deposit-v1``)
        or an ``http://`` / ``https://`` URL.
    :param allow_network: fetch URLs; without it a URL is refused.
    :raises ProfileError: when the profile cannot be read or is malformed; the message
        names the field and what to change.
    """
    source = str(path_or_url)
    if source.startswith(("http://", "https://")):
        if not allow_network:
            msg = (
                f"profile {source} is a URL; pass --allow-network to fetch it, "
                "or download it and give the file"
            )
            raise ProfileError(msg)
        raw = _fetch(source)
    else:
        path = _resolve_path(source)
        source = str(path)
        raw = _read_file(path)
    if len(raw) > MAX_PROFILE_BYTES:
        msg = f"profile {source} is larger than {MAX_PROFILE_BYTES} bytes; is it really a profile?"
        raise ProfileError(msg)
    try:
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError) as e:
        msg = f"profile {source} is not JSON: {e}; fix the file (BagIt profiles are JSON)"
        raise ProfileError(msg) from e
    return parse_profile(data, source=source)


def as_profile(profile: Profile | StrPath, *, argument: str = "profile") -> Profile:
    """*profile* itself, or the profile a path or shipped name loads (no network).

    What every function that takes a profile accepts, as the command line does.

    :raises UsageError: *profile* is neither a :class:`Profile` nor a path or name.
    :raises ProfileError: the file or name cannot be loaded.
    """
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, str | os.PathLike):
        return load_profile(profile)
    shipped = "a shipped profile name such as preserve-deposit-v1"
    takes = f"a preserve.Profile, a profile file or {shipped}"
    raise not_accepted(profile, argument=argument, accepts=takes)


def parse_profile(data: Any, *, source: str) -> Profile:
    """Check already-parsed profile JSON and build a :class:`Profile` from it.

    :param data: the decoded JSON document.
    :param source: where it came from, for error messages.
    :raises ProfileError: naming the field when the profile is malformed.
    """
    _check_schema(data, source)
    info = data["BagIt-Profile-Info"]
    spec_version = info.get("BagIt-Profile-Version", "1.1.0")
    if spec_version not in SPEC_VERSIONS:
        msg = (
            f"profile {source}: BagIt-Profile-Info/BagIt-Profile-Version {spec_version!r} "
            f"is not one preserve knows ({', '.join(SPEC_VERSIONS)}); use one of them"
        )
        raise ProfileError(msg)
    profile = Profile(
        info=ProfileInfo(
            identifier=info["BagIt-Profile-Identifier"],
            source_organization=info["Source-Organization"],
            external_description=info["External-Description"],
            version=info["Version"],
            spec_version=spec_version,
            contact_name=info.get("Contact-Name"),
            contact_email=info.get("Contact-Email"),
            contact_phone=info.get("Contact-Phone"),
        ),
        source=source,
        bag_info=tuple(_tag_rule(k, v) for k, v in data.get("Bag-Info", {}).items()),
        manifests_required=tuple(data.get("Manifests-Required", ())),
        manifests_allowed=_optional_list(data, "Manifests-Allowed"),
        tag_manifests_required=tuple(data.get("Tag-Manifests-Required", ())),
        tag_manifests_allowed=_optional_list(data, "Tag-Manifests-Allowed"),
        tag_files_required=tuple(data.get("Tag-Files-Required", ())),
        tag_files_allowed=_optional_list(data, "Tag-Files-Allowed"),
        payload_files_required=tuple(data.get("Payload-Files-Required", ())),
        payload_files_allowed=_optional_list(data, "Payload-Files-Allowed"),
        allow_fetch=data.get("Allow-Fetch.txt", True),
        fetch_required=data.get("Fetch.txt-Required", False),
        data_empty=data.get("Data-Empty", False),
        serialization=_serialization(data),
        accept_serialization=tuple(m.lower() for m in data.get("Accept-Serialization", ())),
        accept_bagit_version=tuple(data["Accept-BagIt-Version"]),
    )
    consistency.check(profile, explicit_serialization="Serialization" in data)
    return profile


def _serialization(data: Mapping[str, Any]) -> SerializationRule:
    value: SerializationRule = data.get("Serialization", "optional")
    return value


def _tag_rule(label: str, spec: Mapping[str, Any]) -> TagRule:
    return TagRule(
        label=label,
        required=spec.get("required", False),
        values=tuple(spec.get("values", ())),
        repeatable=spec.get("repeatable", True),
        description=spec.get("description", ""),
    )


def _optional_list(data: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    return tuple(data[key]) if key in data else None


def _check_schema(data: Any, source: str) -> None:
    # Imported here: jsonschema takes a third of a second to import, and most commands
    # never load a profile.
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_json("schemas", "bagit-profile.schema.json"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    lines = [f"{_field(e.absolute_path) or '(the document)'}: {e.message}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    msg = f"profile {source} is malformed{more}; fix these fields: " + "; ".join(lines)
    raise ProfileError(msg)


def _field(path: Any) -> str:
    return "/".join(str(p) for p in path)


def _resolve_path(source: str) -> Path:
    path = Path(source)
    if path.exists() or "/" in source or "\\" in source or source.endswith(".json"):
        return path
    shipped = data_dir("profiles") / f"{source}.json"
    return shipped if shipped.is_file() else path


def _read_file(path: Path) -> bytes:
    """The file's first MAX_PROFILE_BYTES + 1 bytes (one more tells a file that is too big)."""
    try:
        with path.open("rb") as f:
            return f.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError as e:
        shipped = ", ".join(sorted(p.stem for p in data_dir("profiles").glob("*.json")))
        msg = (
            f"profile {path} is neither a file nor a shipped profile; give a profile file, "
            f"or one of the shipped names: {shipped}"
        )
        raise ProfileError(msg) from e
    except OSError as e:
        msg = f"cannot read profile {path}: {e.strerror or e}; check the path"
        raise ProfileError(msg) from e


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT) as response:  # noqa: S310
            raw: bytes = response.read(MAX_PROFILE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as e:
        msg = f"cannot fetch profile {url}: {e}; check the URL or download the profile"
        raise ProfileError(msg) from e
    return raw


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"field {key!r} appears twice in one object"
            raise ValueError(msg)
        out[key] = value
    return out
