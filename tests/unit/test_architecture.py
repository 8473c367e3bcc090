"""The shape of the house (issue 10), held by tests so it stays as it was left.

- no package imports another that imports it back (imports inside functions count:
  they run; imports under ``TYPE_CHECKING`` do not);
- no package holds more than 15 modules;
- every package's ``__init__.py`` says what is inside (a docstring);
- only the command line prints;
- no private name (``_x``) is imported from another package.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "preserve"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _package(module: str) -> str:
    """The package a module is in (a package is its own)."""
    path = MODULES.get(module)
    if path is not None and path.name == "__init__.py":
        return module
    return module.rsplit(".", 1)[0]


def _runtime_imports(tree: ast.Module) -> Iterator[ast.ImportFrom | ast.Import]:
    """Every import that runs, at any depth, leaving out ``if TYPE_CHECKING:`` blocks."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _imported(module: str, node: ast.ImportFrom | ast.Import) -> Iterator[tuple[str, str]]:
    """(module imported, name taken) for each preserve name an import takes."""
    if isinstance(node, ast.Import):
        yield from ((a.name, "") for a in node.names if a.name.startswith("preserve"))
        return
    base = node.module or ""
    if node.level:
        here = (
            module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
        )
        base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
    if not base.startswith("preserve"):
        return
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        yield (sub, "") if sub in MODULES else (base, alias.name)


def _edges() -> list[tuple[str, str, str]]:
    """(importing module, imported module, name) across the whole package."""
    edges = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _runtime_imports(tree):
            edges += [(module, target, name) for target, name in _imported(module, node)]
    return edges


def _siblings(a: str, b: str) -> tuple[str, str] | None:
    """The two sibling packages that hold packages *a* and *b*, if neither holds the other."""
    pa, pb = a.split("."), b.split(".")
    i = 0
    while i < min(len(pa), len(pb)) and pa[i] == pb[i]:
        i += 1
    if i == len(pa) or i == len(pb):
        return None
    return ".".join(pa[: i + 1]), ".".join(pb[: i + 1])


def test_no_package_imports_one_that_imports_it_back() -> None:
    between: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for source, target, _ in _edges():
        pair = _siblings(_package(source), _package(target))
        if pair is not None:
            between[pair].append(f"{source} -> {target}")
    circles = {
        (a, b): between[(a, b)][:2] + between[(b, a)][:2]
        for a, b in between
        if a < b and (b, a) in between
    }
    assert not circles, circles


def test_no_package_holds_more_than_15_modules() -> None:
    count: defaultdict[Path, int] = defaultdict(int)
    for path in MODULES.values():
        count[path.parent] += 1
    crowded = {str(p.relative_to(REPO)): n for p, n in count.items() if n > 15}
    assert not crowded, crowded


def test_every_package_init_is_its_map() -> None:
    bare = [
        str(path.relative_to(REPO))
        for path in MODULES.values()
        if path.name == "__init__.py"
        and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bare, bare


def test_only_the_command_line_prints() -> None:
    printing = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for module, path in MODULES.items()
        if not module.startswith("preserve.cli")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert not printing, printing


def _private_scope(target: str, name: str) -> str | None:
    """The package a private module or name belongs to (None when neither is private):
    ``preserve._types`` is shared by all of ``preserve``, ``_Plan`` in
    ``preserve.bags.build.plan`` only within ``preserve.bags.build``."""
    if name.startswith("_") and not name.startswith("__"):
        return _package(target)
    parts = target.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def test_no_private_name_is_taken_from_another_package() -> None:
    taken = []
    for source, target, name in _edges():
        scope = _private_scope(target, name)
        if scope is not None and not (source == scope or source.startswith(scope + ".")):
            taken.append(f"{source} takes {name or target} from {target}")
    assert not taken, taken
