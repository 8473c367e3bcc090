"""Locate the data files that ship with preserve (schemas, profiles).

In a source checkout they are the top-level ``schemas/`` and ``profiles/``
folders; in an installed wheel the build maps them to ``preserve/_data/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from preserve.errors import SchemaLoadError

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder of shipped data called *name* (``"schemas"`` or ``"profiles"``).

    :raises SchemaLoadError: when the folder is in neither place (a broken install).
    """
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    msg = f"preserve's {name}/ folder is missing from the installation; reinstall preserve"
    raise SchemaLoadError(msg)


def load_json(kind: str, filename: str) -> Any:
    """Load a shipped JSON file, e.g. ``load_json("schemas", "record.schema.json")``.

    :raises SchemaLoadError: when the file is missing or is not JSON.
    """
    path = data_dir(kind) / filename
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        msg = f"cannot read {path}: {e}; reinstall preserve"
        raise SchemaLoadError(msg) from e
