"""Write what only a build knows into a script shipped with the site (worker.js, search-gate.js)."""

from __future__ import annotations

import json
from pathlib import Path


class MarkerError(ValueError):
    """A script lacks the one place where the build writes its value (an edit removed or copied it)."""


def fill_in(template: Path, marker: str, value: object, what: str) -> str:
    """Give back the text of ``template`` with its one ``marker`` replaced by ``value`` as JSON.

    ``what`` names the value for the message, e.g. "the start-up snapshot's name".
    """
    source = template.read_text(encoding="utf-8")
    if source.count(marker) != 1:
        raise MarkerError(f"{template} must hold `{marker}` once, where the build writes {what}")
    return source.replace(marker, json.dumps(value))
