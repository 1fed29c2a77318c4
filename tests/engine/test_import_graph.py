"""The modules of designer/ and renderer/ import one another without a loop.

Every import counts: at the top, inside a function (a lazy import), and under
``if TYPE_CHECKING:`` — a loop through type hints still means two modules that cannot be
understood one without the other. ``designer`` never imports ``renderer``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("designer", "renderer")


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `module` imports (`from a import b` counts a.b when b is one)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, *([node.module] if node.module else [])])
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                     for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph() -> nx.DiGraph:
    """Module → module it imports, for every module of the project."""
    known = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in known.items():
        graph.add_edges_from((module, target) for target in _imported(module, path, known))
    return graph


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert graph.has_edge("designer.loading", "designer.source")  # at the top
    assert graph.has_edge("designer.loading", "designer.analysis.textcheck")  # in a function
    assert graph.has_edge("designer.importers.dluhc.importer", "designer.importers.common")
    assert graph.has_edge("renderer.reports", "designer.report.formats")


def test_no_import_loop() -> None:
    graph = import_graph()
    loops = list(nx.simple_cycles(graph))
    assert loops == [], " ; ".join(" → ".join([*loop, loop[0]]) for loop in loops)


def test_designer_never_imports_renderer() -> None:
    graph = import_graph()
    wrong = [(a, b) for a, b in graph.edges if a.startswith("designer")
             and b.startswith("renderer")]
    assert wrong == []
