"""Root pytest configuration: which package modules ``--doctest-modules ga_relu`` may import.

``ga_relu/__main__.py`` runs the command line (and exits) when imported, so doctest collection
must not import it; it has no examples.
"""

collect_ignore = ["ga_relu/__main__.py"]
