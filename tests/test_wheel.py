"""The built wheel works from a fresh virtual environment, outside the checkout.

A schema or profile left out of the wheel fails here (STYLE.md §9). The fresh
environment gets preserve only from the wheel; its dependencies come from the
test environment's site-packages via a .pth line (offline and quick), which
adds their folder to sys.path without processing the editable-install hooks in it.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheels = list(out.glob("preserve_toolkit-*.whl"))
    assert len(wheels) == 1
    env_dir = out / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    import zipfile

    with zipfile.ZipFile(wheels[0]) as zf:
        zf.extractall(site)
    (Path(site) / "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # The console script, as an installer would write it.
    script = env_dir / "bin" / "preserve"
    script.write_text(f"#!{py}\nfrom preserve.cli import main\nmain()\n")
    script.chmod(0o755)
    return env_dir


@pytest.mark.slow
def test_wheel_ships_schemas_and_profiles(wheel_env: Path, tmp_path: Path) -> None:
    py = wheel_env / "bin" / "python"
    code = (
        "import preserve, preserve._resources as r; "
        "print(preserve.__file__); print(r.data_dir('schemas')); print(r.data_dir('profiles'))"
    )
    done = subprocess.run(
        [str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    module, schemas, profiles = done.stdout.split()
    assert module.startswith(str(wheel_env)), "preserve was not imported from the wheel"
    assert schemas.startswith(str(wheel_env))
    assert profiles.startswith(str(wheel_env))
    shipped = {p.name for p in Path(schemas).iterdir()} | {p.name for p in Path(profiles).iterdir()}
    in_repo = {p.name for p in (REPO / "schemas").iterdir()} | {
        p.name for p in (REPO / "profiles").iterdir()
    }
    assert in_repo <= shipped


@pytest.mark.slow
def test_wheel_cli_runs_outside_checkout(wheel_env: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(wheel_env / "bin" / "preserve"), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Exit status" in done.stdout
