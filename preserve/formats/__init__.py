"""Format identification (libmagic) and the format policy of a deposit."""

from __future__ import annotations

from preserve.formats.identify import FormatIdentifier, FormatInfo, MagicIdentifier, identify_file
from preserve.formats.policy import DEFAULT_POLICY, FormatPolicy, check_formats, load_policy

__all__ = [
    "DEFAULT_POLICY",
    "FormatIdentifier",
    "FormatInfo",
    "FormatPolicy",
    "MagicIdentifier",
    "check_formats",
    "identify_file",
    "load_policy",
]
