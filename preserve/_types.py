"""Type aliases shared across preserve."""

from __future__ import annotations

import os
from typing import Literal, TypeAlias

StrPath: TypeAlias = str | os.PathLike[str]
JSONScalar: TypeAlias = str | int | float | bool | None
JSONValue: TypeAlias = JSONScalar | list["JSONValue"] | dict[str, "JSONValue"]
JSONObject: TypeAlias = dict[str, JSONValue]
Severity: TypeAlias = Literal["error", "warning"]
OutputFormat: TypeAlias = Literal["text", "json"]
