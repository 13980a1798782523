"""``python -m calculators``: the command line in calculators.cli."""

import sys

from calculators.cli import main

sys.exit(main())
