"""Each wing imports only what the README's "How it fits together" table lets it, and the engine only itself.

The table is the map a newcomer walks (issue 19): a wing that reaches into another beside it, or an
engine module that imports the build or a third-party package, makes the map wrong. Imports inside
functions count too: they are imports all the same.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.helpers import ROOT

#: What each part of build_scripts/ may import of the others, as the README's table names it ("engine"
#: is atlas_mkdocs.engine). A module imports its own wing freely.
ALLOWED = {
    "plugin": {"data", "figures", "hosting", "material", "obsidian", "preview", "runtime", "session", "wiring"},
    "preview": {"obsidian"},
    "session": {"data", "obsidian", "engine"},
    "wiring": set(),
    "data": {"engine"},
    "obsidian": {"material"},
    "figures": {"session", "data", "engine", "obsidian", "wiring"},
    "runtime": {"session", "engine", "material", "wiring", "figures"},
    "hosting": set(),
    "material": set(),
}
#: The finer grain of the table: of these wings, only these modules may be imported by the wings named.
ONLY_MODULES = {
    ("obsidian", "material"): {"markers"},
    ("figures", "obsidian"): {"session"},
    ("runtime", "material"): {"markers", "fill_in"},
    ("session", "engine"): {"catalogue"},
    ("preview", "obsidian"): {"manager", "embeds", "paths", "vault"},
    ("plugin", "figures"): {"manager"}, ("plugin", "hosting"): {"manager"}, ("plugin", "runtime"): {"manager"},
    ("plugin", "material"): {"manager", "config"}, ("plugin", "obsidian"): {"manager", "config"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Give back (line, module) for every absolute import in ``path``, ``from x import y`` as x.y."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import; the code names its installed package"
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_each_wing_imports_only_what_the_table_allows():
    """Every import of atlas_mkdocs in build_scripts/ goes to its own wing or to one its row names."""
    package = ROOT / "build_scripts"
    wrong = []
    for path in sorted(package.rglob("*.py")):
        wing = path.relative_to(package).parts[0].removesuffix(".py")
        if wing == "__init__":
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "atlas_mkdocs" or len(parts) < 2 or parts[1] == wing:
                continue
            target, inner = parts[1], parts[2] if len(parts) > 2 else None
            allowed = target in ALLOWED[wing] and (
                (wing, target) not in ONLY_MODULES or inner in ONLY_MODULES[(wing, target)])
            if not allowed:
                wrong.append(f"build_scripts/{path.relative_to(package)}:{line}: {module}")
    assert wrong == []


def test_the_engine_imports_the_standard_library_and_itself_only():
    """calculators/ (atlas_mkdocs.engine) imports nothing of the build and no package; the command line,
    which reads files and stays out of the browser's wheel, may read data/ through the build's loader."""
    wrong = []
    for path in sorted((ROOT / "calculators").glob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__" or module.startswith("atlas_mkdocs.engine."):
                continue
            if path.name == "cli.py" and (top == "yaml" or module.startswith("atlas_mkdocs.data.")):
                continue
            wrong.append(f"calculators/{path.name}:{line}: {module}")
    assert wrong == []
