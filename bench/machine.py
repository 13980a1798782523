"""The machine a run was made on: CPU, cores, memory, and the versions that shape the figures."""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import subprocess

from tests.helpers import ROOT


def _first(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _output(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def machine_info() -> dict[str, object]:
    """Give back the CPU model, core count, RAM, OS and tool versions, the git commit and the date."""
    memory = _first("/proc/meminfo", "MemTotal")
    pyodide_version = None
    try:
        pyodide_version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        pass
    chromium = shutil.which("chromium")
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(memory.split()[0]) / 1024 / 1024, 1) if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "node": _output(["node", "--version"]),
        "pyodide": pyodide_version,
        "chromium": _output([chromium, "--version"]) if chromium else None,
        "mkdocs": _version("mkdocs"),
        "mkdocs_material": _version("mkdocs-material"),
        "git_commit": _output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
