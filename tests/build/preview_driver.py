"""Build a vault as `mkdocs serve` does, once for each line read from standard input.

    python tests/build/preview_driver.py MKDOCS_YML SITE_DIR dirty|clean

Used by tests/build/test_incremental.py in a process of its own: MkDocs keeps a plugin that has an
on_startup for the life of the process (as serve keeps it between rebuilds), so the preview's state
must not meet the other tests' builds. "dirty" is what `make serve` runs (`mkdocs serve --dirty`);
"clean" is a serve build of the whole site, the reference. Each build prints "built" when done, or
"failed: ..." with the error.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

from mkdocs.commands.build import build
from mkdocs.config import load_config

URL = "http://127.0.0.1:8000/"


def main(config_file: str, site_dir: str, mode: str) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    dirty = mode == "dirty"
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=dirty)
    for _ in sys.stdin:
        try:
            build(config, serve_url=URL, dirty=dirty)
        except Exception as error:  # the test shows what failed; the driver keeps serving
            print(f"failed: {type(error).__name__}: {error} {traceback.format_exc()!r}", flush=True)
        else:
            print("built", flush=True)
        config = load_config(config_file=config_file, site_dir=site_dir)  # as serve reloads it


if __name__ == "__main__":
    main(*sys.argv[1:4])
