"""The import structure the architecture promises (docs/architecture.md): no module of
repo_app takes part in an import cycle, and the layers and library boundaries of
``.importlinter`` hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _cycles(graph: grimp.ImportGraph, package: str) -> list[tuple[str, ...]]:
    """Every import ``a → b`` inside ``package`` whose target leads back to ``a``: the cycle
    it closes, as the chain of modules ``a → b → … → a``."""
    found = []
    for importer in sorted(m for m in graph.modules if m.startswith(package + ".")):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if not imported.startswith(package + "."):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                found.append((importer, *back))
    return found


def test_no_module_of_the_app_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("repo_app", include_external_packages=False)
    assert _cycles(graph, "repo_app") == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph, "pkg") == [("pkg.a", "pkg.b", "pkg.a"), ("pkg.b", "pkg.a", "pkg.b")]


def test_import_contracts_hold() -> None:
    """Layers of repo_app, and libraries that never import Flask or the app (.importlinter)."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
