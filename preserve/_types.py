"""Type aliases shared across preserve."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Literal, TypeAlias

from preserve.errors import UsageError

StrPath: TypeAlias = str | os.PathLike[str]
JSONScalar: TypeAlias = str | int | float | bool | None
JSONValue: TypeAlias = JSONScalar | list["JSONValue"] | dict[str, "JSONValue"]
JSONObject: TypeAlias = dict[str, JSONValue]
Severity: TypeAlias = Literal["error", "warning"]
OutputFormat: TypeAlias = Literal["text", "json"]

#: One path or several: what every public function that takes paths accepts.
PathOrPaths: TypeAlias = StrPath | Iterable[StrPath]
#: One name or several (checksum algorithms, for example).
NameOrNames: TypeAlias = str | Iterable[str]

_PATH = "str or os.PathLike"


def as_paths(value: PathOrPaths, *, argument: str) -> list[StrPath]:
    """*value* as a list of paths: one ``str``/``os.PathLike`` is one path, never its letters.

    :param argument: the parameter's name, for the message.
    :raises UsageError: *value* is neither a path nor an iterable of paths.
    """
    if isinstance(value, str | os.PathLike):
        return [value]
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise not_accepted(value, argument=argument, accepts=f"a path ({_PATH}) or a list of them")
    paths = list(value)
    for item in paths:
        if not isinstance(item, str | os.PathLike):
            raise not_accepted(item, argument=argument, accepts=f"paths ({_PATH})", inside=True)
    return paths


def as_names(value: NameOrNames, *, argument: str) -> list[str]:
    """*value* as a list of names: one ``str`` is one name, never its letters.

    :param argument: the parameter's name, for the message.
    :raises UsageError: *value* is neither a string nor an iterable of strings.
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise not_accepted(value, argument=argument, accepts="a name (str) or a list of names")
    names = list(value)
    for item in names:
        if not isinstance(item, str):
            raise not_accepted(item, argument=argument, accepts="names (str)", inside=True)
    return names


def not_accepted(value: object, *, argument: str, accepts: str, inside: bool = False) -> UsageError:
    """The usage error for *argument* given a *value* of the wrong kind.

    :param accepts: what it takes, e.g. ``"a preserve.AuditOptions"``.
    :param inside: *value* is an item inside the argument, not the argument itself.
    """
    where = f"{argument} contains" if inside else f"{argument} is"
    kind = type(value).__name__
    shown = "None" if value is None else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    return UsageError(f"{where} {shown}; it takes {accepts}")
