"""data/ loaded into the engine's catalogue, as the build and the browser load it."""

from tests.engine.conftest import bundled_catalogue  # noqa: F401 - the autouse fixture, shared
