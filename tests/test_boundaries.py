"""The forbidden-import contracts of .importlinter, checked on every test run.

import-linter (``lint-imports``) reads the same file; this test needs only the standard library.
Every module under the source packages of a forbidden contract is read, and none may import a
forbidden module. Direct imports suffice: every module that could lead to a forbidden one through
a chain is itself a source module of the contract.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / ".importlinter"


def _forbidden_contracts() -> dict[str, tuple[list[str], list[str]]]:
    """Contract id → (source modules, forbidden modules)."""
    parser = configparser.ConfigParser()
    parser.read(CONTRACTS, encoding="utf-8")
    contracts = {}
    for section in parser.sections():
        if section.startswith("importlinter:contract:") and parser[section]["type"] == "forbidden":
            contracts[section.rsplit(":", 1)[1]] = (
                parser[section]["source_modules"].split(),
                parser[section]["forbidden_modules"].split(),
            )
    return contracts


def _absolute_imports(source: Path, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in *source*, relative ones made absolute."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.lineno, node.module or ""
            else:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])


def _is_within(module: str, parent: str) -> bool:
    return module == parent or module.startswith(parent + ".")


def _violations(sources: list[str], forbidden: list[str]) -> list[str]:
    found = []
    for source in sources:
        for path in sorted((ROOT / source.replace(".", "/")).rglob("*.py")):
            relative = path.relative_to(ROOT)
            package = ".".join(relative.parts[:-1])  # for an __init__.py: the package itself
            for line, module in _absolute_imports(path, package):
                if any(_is_within(module, name) for name in forbidden):
                    found.append(f"{relative}:{line} imports {module}")
    return found


def test_the_contract_file_declares_the_demo_boundary() -> None:
    sources, forbidden = _forbidden_contracts()["demo-is-a-tool"]
    assert set(sources) == {"repo_app", "indexer", "signer", "storage"} and forbidden == ["demo"]


@pytest.mark.parametrize("contract", sorted(_forbidden_contracts()))
def test_forbidden_imports_are_absent(contract: str) -> None:
    sources, forbidden = _forbidden_contracts()[contract]
    assert _violations(sources, forbidden) == []


def test_the_check_finds_an_import_of_the_demo(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("import demo.cli\nfrom demo import build\nfrom demonstration import x\nfrom . import demo\n")
    imports = [name for _, name in _absolute_imports(module, "repo_app")]
    assert imports == ["demo.cli", "demo", "demonstration", "repo_app"]
    assert [name for name in imports if _is_within(name, "demo")] == ["demo.cli", "demo"]
