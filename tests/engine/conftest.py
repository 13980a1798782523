"""The engine's tests run with data/ loaded into the catalogue, as the build and the browser run it.

Formats, links and serving stacks (and models and GPUs named by key) come from data/; without it a
throughput or sizing calculation says the table is missing rather than guessing.
"""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(autouse=True, scope="session")
def bundled_catalogue():
    """Load and validate data/ once, into the engine's catalogue."""
    from atlas_mkdocs.data import export_json, load_data
    from atlas_mkdocs.engine import catalogue

    catalogue.use_catalogue(json.loads(export_json(load_data(DATA))))
