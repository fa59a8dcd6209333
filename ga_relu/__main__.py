"""``python -m ga_relu`` runs the ``ga-relu`` command line (see ga_relu.cli)."""

import sys

from .cli import main

sys.exit(main())
