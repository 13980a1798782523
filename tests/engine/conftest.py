"""The engine's tests get data/ as the build and the browser give it: a Catalogue, passed as an argument.

Formats, links and serving stacks (and models and GPUs named by key) come from data/; without it a
throughput or sizing calculation says the table is missing rather than guessing.
"""

import functools
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


@functools.cache
def bundled_catalogue():
    """Give back data/ loaded and validated as the build does, as the engine's Catalogue: read once per run."""
    from atlas_mkdocs.data import export_json, load_data
    from atlas_mkdocs.engine.catalogue import Catalogue

    return Catalogue.from_export(json.loads(export_json(load_data(DATA))))


@pytest.fixture(scope="session")
def catalogue():
    """data/ as the engine's Catalogue."""
    return bundled_catalogue()
