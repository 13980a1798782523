"""``python -m atlas_mkdocs.engine``: the command line in atlas_mkdocs.engine.cli."""

import sys

from atlas_mkdocs.engine.cli import main

sys.exit(main())
