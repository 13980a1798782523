"""Helpers shared by the build and browser tests: build a vault with the project's mkdocs.yml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build_site(vault: Path, site_dir: Path, *, site_url: str = "http://127.0.0.1:8000/",
               strict: bool = True, config: Path | None = None) -> subprocess.CompletedProcess:
    """Give back the finished `mkdocs build` of ``vault`` into ``site_dir`` (output captured, not checked)."""
    env = os.environ | {
        "ATLAS_VAULT": str(vault),
        "ATLAS_SITE_DIR": str(site_dir),
        "SITE_URL": site_url,
        "NO_MKDOCS_2_WARNING": "1",
    }
    command = [*MKDOCS, "build", "-f", str(config or ROOT / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
