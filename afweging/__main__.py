"""Entry point for ``python -m afweging``."""

import sys

from afweging.cli import main

sys.exit(main())
