"""``python -m ga_relu`` runs the ``ga-relu`` command line (see ga_relu.interfaces.cli)."""

import sys

from .interfaces.cli import main

sys.exit(main())
