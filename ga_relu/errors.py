"""Exceptions. Each names the problem and the fix in its message.

All derive from :class:`GaReluError`; input errors are also ``ValueError`` / ``TypeError`` so that
generic callers (scikit-learn's checks) recognise them.

>>> import ga_relu
>>> from ga_relu.errors import GaReluError, InvalidTypeError
>>> try:
...     ga_relu.wedge([True, 1])
... except GaReluError as error:
...     isinstance(error, InvalidTypeError), isinstance(error, TypeError)
(True, True)
"""

from __future__ import annotations


class GaReluError(Exception):
    """Base class of every error raised by ga_relu."""


class InvalidInputError(GaReluError, ValueError):
    """Bad data or parameters: NaN/inf, wrong shapes, beta <= 0, unknown options."""


class InvalidTypeError(GaReluError, TypeError):
    """A value of the wrong type: a boolean, complex or non-numeric coefficient, a string as a vector."""


class UnknownBladeError(GaReluError, KeyError):
    """A basis-blade name or index tuple that the blade does not have (wrong grade, index out of range).

    A ``KeyError`` too, since ``Blade[...]`` is a mapping look-up.
    """

    def __str__(self) -> str:  # KeyError quotes its argument; the message reads better plain
        return str(self.args[0]) if self.args else ""


class DegenerateDataError(GaReluError, ValueError):
    """The data cannot define any neuron: too few points, all identical, zero wedge norms."""


class DictionaryTooLargeError(GaReluError, MemoryError):
    """The requested dictionary exceeds the memory budget (the message states columns and bytes)."""


class EnumerationTooLargeError(GaReluError, MemoryError):
    """An exhaustive enumeration (chambers, subsets) is too large to carry out."""


class SolverError(GaReluError, RuntimeError):
    """The convex solver failed or returned an inaccurate solution."""


class ConvergenceError(GaReluError, RuntimeError):
    """An iterative method (column generation, pricing) stopped before its certificate held."""


class SymbolicLimitError(GaReluError, ValueError):
    """A symbolic formula would be too large to derive (d! terms); use the structural form."""


class UnprovableError(GaReluError, ValueError):
    """No proof of the requested kind exists for this case (loss, penalty, theorem); the message
    names what can be done instead."""


class ExactSizeError(GaReluError, ValueError):
    """Exact arithmetic would need rationals (or enumerations) beyond the set limits; the message
    states their size."""


class WorkTooLargeError(EnumerationTooLargeError):
    """The work a method would do, predicted before it starts (candidates priced per round of column
    generation), is above the set bound; the message states the work and the fixes."""


class TimeLimitError(ConvergenceError):
    """An iterative method reached its time limit before its certificate held; the message states
    the best bound reached."""
