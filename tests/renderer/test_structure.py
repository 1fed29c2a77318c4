"""The shape of renderer/ (docs/renderer.md, "Code map"): app.py holds the application and
its route table only, every route has a name, no URL is written by hand in a template, no
module is much above 500 lines, and no import loop (not even under TYPE_CHECKING). The
500-line rule of CONTRIBUTING.md is checked for designer/ here too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from starlette.routing import Mount, Route

from renderer.app import create_app

RENDERER = Path(__file__).resolve().parents[2] / "renderer"
DESIGNER = RENDERER.parent / "designer"


def _module(path: Path) -> str:
    parts = path.relative_to(RENDERER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in RENDERER.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """The renderer modules a file imports, wherever the import is (functions, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module in MODULES:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names
                      if f"{node.module}.{a.name}" in MODULES}
    return found


def test_no_import_loop() -> None:
    graph = {name: _imports(path) - {name} for name, path in MODULES.items()}
    loops = []

    def visit(name: str, stack: list[str]) -> None:
        for target in graph[name]:
            if target in stack:
                loops.append(stack[stack.index(target):] + [target])
            elif target not in done:
                visit(target, [*stack, target])
        done.add(name)

    done: set[str] = set()
    for name in graph:
        visit(name, [name])
    assert not loops
    # Only the command line imports the application.
    assert {name for name, targets in graph.items() if "renderer.app" in targets} == {
        "renderer.cli"}
    assert not {m for m in graph["renderer.web"] if m.startswith(
        ("renderer.citizens", "renderer.auditors", "renderer.errors"))}


def test_modules_stay_small() -> None:
    sizes = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in MODULES.items()}
    assert not {name: n for name, n in sizes.items() if n > 500}


def test_designer_modules_stay_small() -> None:
    sizes = {
        str(p.relative_to(DESIGNER.parent)): len(p.read_text(encoding="utf-8").splitlines())
        for p in DESIGNER.rglob("*.py")
    }
    assert len(sizes) > 100  # the engine's modules were found
    assert not {name: n for name, n in sizes.items() if n > 500}


def test_app_holds_the_application_only() -> None:
    tree = ast.parse((RENDERER / "app.py").read_text(encoding="utf-8"))
    defined = [n.name for n in tree.body
               if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    assert defined == ["create_app"]


def test_every_route_has_a_name(tmp_path: Path) -> None:
    tree = ast.parse((RENDERER / "app.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id in ("Route", "Mount")]
    assert calls and all(any(k.arg == "name" for k in c.keywords) for c in calls)
    demo = Path(__file__).parent / "data" / "demo.yaml"
    app = create_app([demo], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    names = [r.name for r in app.routes if isinstance(r, Route | Mount)]
    assert len(names) == len(calls) == len(set(names))
    parcours = app.state.parcours
    assert parcours.url_for("step", journey="demo", step="details") == "/demo/q/details"
    assert parcours.url_for("front", {"lang": "en"}) == "/?lang=en"
    assert parcours.url_for("static", path="parcours.css") == "/static/parcours.css"


def test_templates_write_no_url_by_hand() -> None:
    by_hand = []
    for template in (RENDERER / "templates").glob("*.html"):
        for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r'(href|action|src)="/', line):
                by_hand.append(f"{template.name}:{n}")
    assert not by_hand
    # One CSRF input, in the macro.
    copies = [t.name for t in (RENDERER / "templates").glob("*.html")
              if 'name="{{ csrf_field }}"' in t.read_text(encoding="utf-8")]
    assert copies == ["_macros.html"]


def test_pages_that_use_the_store_run_in_the_thread_pool(tmp_path: Path) -> None:
    """The citizens', agents' and mediators' pages are plain ``def`` (Starlette runs them in
    its thread pool), so that a slow database never stalls the event loop for every other
    visitor."""
    import inspect

    demo = Path(__file__).parent / "data" / "demo.yaml"
    app = create_app([demo], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    pages = [r for r in app.routes if isinstance(r, Route)
             and r.endpoint.__module__.startswith(("renderer.citizens", "renderer.agents",
                                                     "renderer.mediators"))]
    assert any(r.endpoint.__module__ == "renderer.agents.dossiers" for r in pages)
    assert any(r.endpoint.__module__ == "renderer.citizens.follow" for r in pages)
    assert not [r.name for r in pages if inspect.iscoroutinefunction(r.endpoint)]
