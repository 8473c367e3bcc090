"""BagIt profiles: load a profile (:func:`load_profile`) and check bags against it
(:func:`check_profile`)."""

from __future__ import annotations

from preserve.profiles.check import check_profile
from preserve.profiles.codes import PROFILE_RULES
from preserve.profiles.load import load_profile, parse_profile
from preserve.profiles.model import Profile, ProfileInfo, TagRule
from preserve.profiles.view import BagView

__all__ = [
    "PROFILE_RULES",
    "BagView",
    "Profile",
    "ProfileInfo",
    "TagRule",
    "check_profile",
    "load_profile",
    "parse_profile",
]
