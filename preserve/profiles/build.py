"""Build bags to a profile: the bag-info, algorithms and final check ``preserve bag`` uses.

:func:`conformance_check` gives the ``check`` callable of
:func:`preserve.bags.build.build.build_bag`: it runs on the finished bag in its staging folder,
before the rename, and refuses a bag that would not conform, listing every reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from preserve.bags.archive.read import MIME_TYPES, ArchiveFormat
from preserve.bags.hashing import algorithm_key
from preserve.errors import BagError
from preserve.profiles.check import check_profile
from preserve.profiles.model import Profile
from preserve.profiles.view import BagView

_IDENTIFIER = "BagIt-Profile-Identifier"


def profile_bag_info(
    profile: Profile, bag_info: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """*bag_info* plus ``BagIt-Profile-Identifier: <the profile's>`` unless already named."""
    pairs = list(bag_info)
    named = {v for label, v in pairs if label.casefold() == _IDENTIFIER.casefold()}
    if profile.identifier not in named:
        pairs.append((_IDENTIFIER, profile.identifier))
    return pairs


def profile_algorithms(profile: Profile, requested: Sequence[str]) -> tuple[str, ...]:
    """The manifest algorithms to build with: *requested*, or what the profile needs.

    With nothing requested: the required payload and tag manifest algorithms, or (when
    the profile requires none) sha512, preserve's default that every profile allowing
    it accepts. A requested list is used as given; the final check reports a misfit.
    """
    if requested:
        return tuple(requested)
    needed = [*profile.manifests_required, *profile.tag_manifests_required]
    out: list[str] = []
    for name in needed or ["sha512"]:
        if algorithm_key(name) not in {algorithm_key(a) for a in out}:
            out.append(name)
    return tuple(out)


def conformance_check(
    profile: Profile, *, serialization: ArchiveFormat | None = None
) -> Callable[[Path], None]:
    """A ``check`` for ``build_bag``: raise :class:`BagError` if the bag would not conform.

    :param serialization: the format the bag will be serialized to, so that the
        profile's ``Serialization`` and ``Accept-Serialization`` judge the archive to come.
    """
    mime = MIME_TYPES[serialization] if serialization else None

    def check(bag: Path) -> None:
        view = BagView.from_directory(bag, serialization=mime)
        errors = [f for f in check_profile(view, profile) if f.is_error]
        if errors:
            reasons = "\n".join(f"  {f.code} {f.where()}: {f.message}" for f in errors)
            msg = (
                f"the bag would not conform to the profile {profile.identifier} "
                f"({profile.source}), so it was not made:\n{reasons}"
            )
            raise BagError(msg)

    return check


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    """The ``build_bag`` arguments a profile (or its absence) decides.

    :param algorithms: the manifest algorithms to build with.
    :param bag_info: bag-info elements, the profile's identifier among them.
    :param check: the final conformance check (``None`` without a profile).
    """

    algorithms: tuple[str, ...]
    bag_info: tuple[tuple[str, str], ...]
    check: Callable[[Path], None] | None = None


def profile_options(
    source: str | None,
    *,
    allow_network: bool,
    serialize: ArchiveFormat | None,
    algorithms: Sequence[str],
    bag_info: Sequence[tuple[str, str]],
) -> ProfileSettings:
    """What ``preserve bag [--profile P]`` passes to ``build_bag`` (one call in the CLI).

    Without a profile: *algorithms* (default sha512 and sha256) and *bag_info* as given.
    With one: the profile's algorithms unless some were requested, its identifier added
    to bag-info, and :func:`conformance_check` as the final ``check``.

    :raises ProfileError: when the profile cannot be loaded.
    """
    if source is None:
        return ProfileSettings(tuple(algorithms) or ("sha512", "sha256"), tuple(bag_info))
    from preserve.profiles.load import load_profile

    profile = load_profile(source, allow_network=allow_network)
    return ProfileSettings(
        algorithms=profile_algorithms(profile, algorithms),
        bag_info=tuple(profile_bag_info(profile, bag_info)),
        check=conformance_check(profile, serialization=serialize),
    )
