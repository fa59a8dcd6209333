"""``python -m ga_relu`` runs the ``ga-relu`` command line (see ga_relu.interfaces.cli)."""

import sys

from .interfaces.cli import main

if __name__ == "__main__":  # importing this module (doctest collection, tools) runs nothing
    sys.exit(main())
