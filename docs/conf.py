"""Sphinx configuration for the preserve documentation site.

Built in strict mode by the test suite (``sphinx-build -W --keep-going``): a broken link,
a page left out of the table of contents or an API entry that fails to import fails the
build (tests/test_docs_site.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pygments.lexers.special import TextLexer  # noqa: E402
from sphinx.application import Sphinx  # noqa: E402

import preserve  # noqa: E402

project = "preserve"
author = "The preserve developers"
copyright = "The preserve developers"
release = preserve.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]

# Markdown as the rest of docs/ is written (GitHub-style), with headings as link targets
# so that `page.md#section` links are checked too.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# The API reference is generated from the docstrings (Sphinx field style, STYLE.md §7).
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# No intersphinx: CI has no network to fetch other projects' inventories, so type names
# in signatures are shown as text, not links; the build is not run nitpicky for that reason.

html_theme = "furo"
html_title = f"preserve {release}"


def setup(app: Sphinx) -> None:
    """Highlight the crontab lines of the how-tos as plain text (Pygments has no lexer)."""
    app.add_lexer("cron", TextLexer)
