"""The code imports itself by its installed names only: atlas_mkdocs and atlas_mkdocs.engine.

The repository's folders keep their names (build_scripts/, calculators/), and from the repository's root
they are importable under them too; a module imported under both names would be two modules with two
states (the engine's catalogue, the note being rendered). So no file may use the folders' names as
modules, which also catches a file merged in from before the names changed.
"""

from __future__ import annotations

import re
import subprocess

from tests.helpers import ROOT

#: `import calculators`, `from build_scripts.x import`, `calculators.widgets`, as code. `python -m calculators`
#: from the repository's root is allowed (issues 17 and 18 name it): calculators/__main__.py imports the
#: engine by its installed name only, so the engine is still loaded once.
OLD_NAME = re.compile(r"\b(?:from|import)\s+(?:build_scripts|calculators)\b(?![/])"
                      r"|\b(?:build_scripts|calculators)\.[a-z_]\w*(?!\w*/)(?<!\.md)(?<!\.py)(?<!\.yml)")


def test_no_file_imports_the_folders_by_their_repository_names():
    """Python, JavaScript, TOML, YAML and the Makefile name the packages as they are installed."""
    tracked = subprocess.run(["git", "ls-files", "*.py", "*.mjs", "*.js", "*.toml", "*.yml", "Makefile"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in tracked:
        if name.startswith("docs/") or name == "tests/build/test_import_names.py":  # this file names them
            continue
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if OLD_NAME.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
