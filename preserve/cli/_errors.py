"""Turn exceptions into output in one place (STYLE.md §3)."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from preserve.errors import PreserveError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3


@contextmanager
def handle_errors() -> Iterator[None]:
    """Print ``Error: …`` on stderr and exit 2 (usage) or 3 (could not run).

    Ctrl-C exits 130 with a short note rather than a traceback; library code
    cleans up its own staging areas before the interrupt reaches here.
    """
    try:
        yield
    except UsageError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    except PreserveError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing was left half-written.", err=True)
        sys.exit(130)
    except OSError as e:
        # The last line of defence: an OS failure the library did not wrap.
        where = f" ({e.filename})" if e.filename else ""
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            folder = f" in {os.path.dirname(str(e.filename))}" if e.filename else ""
            msg = f"Error: the disk is full{where}: free space{folder} and run again"
            click.echo(msg, err=True)
        else:
            click.echo(f"Error: {e.strerror or e}{where}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
