"""Write a file atomically: a temporary file beside it, flushed to disk, then renamed.

A crash or an exception leaves either the previous file or the new one, never a
partial one (STYLE.md §5). The temporary file is opened with ``"xb"`` so it gets the
usual umask mode, as the file it replaces would.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces *target* when the ``with`` block ends cleanly.

    On any exception (Ctrl-C included) the temporary file is removed and *target* is
    left as it was.
    """
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        with tmp.open("xb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
