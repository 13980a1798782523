"""data/ as the engine's Catalogue, as the build and the browser pass it."""

from tests.engine.conftest import catalogue  # noqa: F401 - the fixture, shared
