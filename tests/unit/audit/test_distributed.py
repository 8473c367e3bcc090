"""A real Dask LocalCluster on loopback gives the same ledger outcomes as a local run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from preserve.audit.distributed import dask_executor
from preserve.audit.ledger import Ledger
from preserve.audit.run import run_audit
from preserve.errors import AuditError
from tests.unit.audit.conftest import SteppingClock


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",  # a free port: 8787 may be taken by another run
    ) as cluster:
        yield cluster.scheduler_address


def _damage(store: Path) -> None:
    (store / "shelf" / "b1" / "data" / "a.txt").rename(store / "shelf" / "b1" / "data" / "z.txt")
    (store / "shelf" / "b2" / "data" / "sub" / "b.bin").write_bytes(b"rot")


def _outcomes(ledger: Ledger, root: Path) -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """Each bag's outcome and changes, keyed by its path under *root*."""
    return {
        str(Path(r.check.bag).relative_to(root)): (
            r.check.outcome,
            tuple((c.kind, c.path) for c in r.check.changes),
        )
        for r in ledger.records()
    }


def test_dask_run_matches_local_run(
    scheduler: str, store: Path, tmp_path: Path, clock: SteppingClock
) -> None:
    _damage(store)
    twin = tmp_path / "twin"
    shutil.copytree(store, twin, symlinks=True)
    with Ledger.open(tmp_path / "local.sqlite") as local:
        run_audit([store], ledger=local, clock=clock)
        expected = _outcomes(local, store)
    with Ledger.open(tmp_path / "dask.sqlite") as remote, dask_executor(scheduler) as on_dask:
        report = run_audit([twin], ledger=remote, clock=clock, executor=on_dask)
        assert _outcomes(remote, twin) == expected
        assert remote.verify().ok
    assert report.counts()["failed"] == 2
    assert report.counts()["passed"] == 1


def test_cli_with_scheduler(
    scheduler: str, run_cli: Callable[..., Result], store: Path, tmp_path: Path
) -> None:
    _damage(store)
    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite"), "--format", "json"]
    result = run_cli([*args, "--scheduler", scheduler])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output)["counts"]["failed"] == 2


def test_unreachable_scheduler_is_an_audit_error() -> None:
    with (
        pytest.raises(AuditError, match="cannot reach"),
        dask_executor("tcp://127.0.0.1:9", timeout_s=1),
    ):
        pass


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    with (
        pytest.raises(AuditError, match=r"pip install 'preserve-toolkit\[dask\]'"),
        dask_executor("tcp://127.0.0.1:8786"),
    ):
        pass
