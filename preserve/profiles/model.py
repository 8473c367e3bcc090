"""A BagIt profile as typed, frozen data (BagIt Profiles spec 1.1.0 to 1.4.0).

Profiles are built only by :mod:`preserve.profiles.load`, which checks them; code that
holds a :class:`Profile` may rely on it being consistent (``Manifests-Allowed``
includes ``Manifests-Required``, patterns compile, paths are safe, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

SerializationRule: TypeAlias = Literal["forbidden", "required", "optional"]

SPEC_VERSIONS = ("1.1.0", "1.2.0", "1.3.0", "1.4.0")
"""Versions of the BagIt Profiles spec preserve understands (absent means 1.1.0)."""


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """``BagIt-Profile-Info``: what the profile is and who publishes it.

    :param identifier: ``BagIt-Profile-Identifier``, the URI bags name in bag-info.
    :param source_organization: ``Source-Organization``.
    :param external_description: ``External-Description``.
    :param version: ``Version``, the version of the profile itself.
    :param spec_version: ``BagIt-Profile-Version``; ``"1.1.0"`` when absent.
    :param contact_name: ``Contact-Name`` (optional).
    :param contact_email: ``Contact-Email`` (optional).
    :param contact_phone: ``Contact-Phone`` (optional).
    """

    identifier: str
    source_organization: str
    external_description: str
    version: str
    spec_version: str = "1.1.0"
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True, slots=True)
class TagRule:
    """One entry of ``Bag-Info``: the rules for one bag-info label.

    :param label: the bag-info label (compared case-insensitively).
    :param required: the label must be present with a non-empty value.
    :param values: the accepted values; empty means any value.
    :param repeatable: the label may occur more than once.
    :param description: free text from the profile (spec 1.3.0).
    """

    label: str
    required: bool = False
    values: tuple[str, ...] = ()
    repeatable: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class Profile:
    """A checked BagIt profile.

    ``None`` for an ``*-Allowed`` list means the field was absent: anything is allowed.
    Algorithm names are kept as written in the profile; comparisons normalise them the
    way RFC 8493 §2.4 names manifests (lowercase, non-alphanumerics removed).

    :param source: where the profile was loaded from (a path or URL), for messages.
    """

    info: ProfileInfo
    source: str
    bag_info: tuple[TagRule, ...] = ()
    manifests_required: tuple[str, ...] = ()
    manifests_allowed: tuple[str, ...] | None = None
    tag_manifests_required: tuple[str, ...] = ()
    tag_manifests_allowed: tuple[str, ...] | None = None
    tag_files_required: tuple[str, ...] = ()
    tag_files_allowed: tuple[str, ...] | None = None
    payload_files_required: tuple[str, ...] = ()
    payload_files_allowed: tuple[str, ...] | None = None
    allow_fetch: bool = True
    fetch_required: bool = False
    data_empty: bool = False
    serialization: SerializationRule = "optional"
    accept_serialization: tuple[str, ...] = ()
    accept_bagit_version: tuple[str, ...] = ("1.0",)

    @property
    def identifier(self) -> str:
        """The profile's ``BagIt-Profile-Identifier``."""
        return self.info.identifier
