"""Lazy public namespaces (PEP 562) for the package and its subpackages.

A subpackage lists its public names and the module that defines each; nothing is imported until a
name is first looked up. This keeps ``import ga_relu`` free of sympy, clifford, cvxpy and numba, and
keeps the import graph acyclic: a package ``__init__`` imports none of its modules.
"""

from __future__ import annotations

import importlib


def lazy_namespace(package: str, exports: dict[str, str], submodules: tuple[str, ...] = ()):
    """``(__getattr__, __dir__, __all__)`` for ``package``.

    ``exports`` maps a public name to the module that defines it, relative to ``package``
    (``"blades"``, or ``"..convex.colgen"`` for a module of a sibling package);
    ``submodules`` are reachable as attributes (``ga_relu.convex``, ...), also loaded on first use.
    A submodule named like an exported function never shadows it: the function is looked up first
    and cached in the package's namespace.
    """
    names = sorted(exports)

    def __getattr__(name: str):
        namespace = importlib.import_module(package).__dict__
        if name in exports:
            module = exports[name] if exports[name].startswith("..") else "." + exports[name]
            value = getattr(importlib.import_module(module, package), name)
            namespace[name] = value  # later look-ups skip __getattr__
            return value
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return names + sorted(submodules)

    return __getattr__, __dir__, names
