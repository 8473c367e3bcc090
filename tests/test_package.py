"""The package's public face: API pinned, CLI entry points, shipped data."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import types

import pytest

import preserve
from preserve._resources import data_dir
from tests.conftest import REPO


def test_public_api_is_pinned() -> None:
    # Names load lazily (PEP 562): each one in __all__ resolves and is listed by dir().
    assert all(getattr(preserve, name) is not None for name in preserve.__all__)
    assert set(preserve.__all__) <= set(dir(preserve))
    # Submodules become attributes when imported; the API is everything else.
    public = {
        name
        for name, value in vars(preserve).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - {"annotations", "importlib", "TYPE_CHECKING", "Any"} == set(
        preserve.__all__
    ) - {"__version__"}


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = preserve.no_such_thing


def test_cli_help_and_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(["--help"])
    assert result.exit_code == 0
    assert "Exit status" in result.output
    result = run_cli(["--version"])
    first, second = result.output.strip().splitlines()
    assert first == f"preserve, version {preserve.__version__}"
    # The PRONOM signatures in use are part of the version (issue 16).
    assert second == (
        "FIDO 1.6.1, PRONOM signatures v109 (formats-v109.xml), "
        "container signatures 20200121 (container-signature-20200121.xml)"
    )


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "preserve", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert preserve.__version__ in done.stdout


def test_shipped_data_folders_exist() -> None:
    assert (data_dir("schemas")).is_dir()
    assert (data_dir("profiles")).is_dir()


def test_distribution_name_is_free_of_the_unrelated_pypi_preserve() -> None:
    # "preserve" on PyPI is an unrelated key/value store: the distribution is
    # preserve-toolkit, and every install line in the docs says so.
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "preserve-toolkit"
    assert project["scripts"]["preserve"] == "preserve.cli:main"
    texts = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    texts += sorted((REPO / "preserve").rglob("*.py"))
    wrong = re.compile(r"pip install\s+['\"]?preserve(?:\[|['\"\s]|$)", re.MULTILINE)
    offenders = [str(p.relative_to(REPO)) for p in texts if wrong.search(p.read_text("utf-8"))]
    assert offenders == []
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install 'preserve-toolkit[dask]'" in readme
