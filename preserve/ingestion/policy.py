"""The format policy of a profile.

A BagIt profile may carry preserve's format policy as an extension field (the BagIt
Profiles spec allows unknown top-level fields)::

    "Preserve-Format-Policy": {"allowed": ["text/plain", "image/tiff"], "check_extensions": true}

Without one, the default policy applies (text, PDF, TIFF, JPEG 2000, PNG, JPEG, JSON, XML).
"""

from __future__ import annotations

import json
from pathlib import Path

from preserve._resources import data_dir
from preserve.errors import ProfileError, UsageError
from preserve.formats.policy import DEFAULT_POLICY, FormatPolicy, policy_from_mapping
from preserve.profiles import Profile

POLICY_FIELD = "Preserve-Format-Policy"


def _profile_file(profile: Profile) -> Path | None:
    given = Path(profile.source)
    if given.is_file():
        return given
    shipped = data_dir("profiles") / f"{profile.source}.json"
    return shipped if shipped.is_file() else None


def profile_policy(profile: Profile) -> FormatPolicy:
    """The profile's format policy, or :data:`DEFAULT_POLICY` when it has none.

    :raises ProfileError: when the profile's policy field is malformed.
    """
    path = _profile_file(profile)
    if path is None:  # a profile fetched from a URL: only its shape was kept
        return DEFAULT_POLICY
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return DEFAULT_POLICY  # load_profile read it a moment ago; nothing new to report
    field = data.get(POLICY_FIELD) if isinstance(data, dict) else None
    if field is None:
        return DEFAULT_POLICY
    if not isinstance(field, dict):
        msg = f"profile {path}: {POLICY_FIELD} must be an object with 'allowed'; fix the profile"
        raise ProfileError(msg)
    try:
        return policy_from_mapping(field, name=f"{POLICY_FIELD} of {path.name}")
    except UsageError as e:
        raise ProfileError(str(e)) from e
