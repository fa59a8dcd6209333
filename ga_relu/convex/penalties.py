r"""The first-layer penalties of problem (P): ||w||_1 (``"l1"``) and weight decay ||w||_2 (``"l2"``).

In (P) the bracket is (1/2) sum_j (||w_j||_p^2 + alpha_j^2). After rescaling, the feasible neurons
are those with ||w||_p <= 1, and the dual constraint involves |x . w| <= ||x||_q ||w||_p with q the
dual exponent (q = inf for p = 1, q = 2 for p = 2).

>>> import numpy as np
>>> get_penalty("l1").norms(np.array([[3.0, -4.0]]))
array([7.])
>>> get_penalty("l2").norms(np.array([[3.0, -4.0]]))
array([5.])
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..errors import InvalidInputError

__all__ = ["PenaltyName", "Penalty", "L1Penalty", "L2Penalty", "get_penalty", "PENALTIES", "group_norms"]


#: the names of the built-in penalties, for ``penalty=`` options
PenaltyName = Literal["l1", "l2"]


def group_norms(Z: np.ndarray) -> np.ndarray:
    """|z_j| for a coefficient vector, ||Z_j||_2 for the rows of a matrix (vector outputs, T5).

    >>> group_norms(np.array([[3.0, 4.0], [0.0, -1.0]]))
    array([5., 1.])
    """
    Z = np.asarray(Z)
    return np.abs(Z) if Z.ndim == 1 else np.linalg.norm(Z, axis=1)


class Penalty:
    """The norm ||w||_p on first-layer weights.

    Examples
    --------
    >>> get_penalty("l2").regularizer(np.array([[3.0, 4.0]]), np.array([2.0]))
    14.5
    """

    name: str = ""
    #: p of ||.||_p, and its dual exponent q (1/p + 1/q = 1)
    p: float = 1
    q: float = np.inf
    #: whether the basis vectors e_k join the samples as vertices of the dictionary (the l1 ball's
    #: vertices are +-e_k, so its extreme neurons are hyperplanes through samples and axis directions)
    basis_vertices: bool = False
    #: whether the wedge dictionary is exact for this penalty in every dimension (T1, T2, T5); for
    #: the others it gives an upper bound in d >= 2 (T4)
    exact_wedge: bool = False

    def norms(self, W: np.ndarray) -> np.ndarray:
        """||w_j||_p for each row of W."""
        return np.linalg.norm(np.atleast_2d(W), ord=self.p, axis=1)

    def dual_norms(self, X: np.ndarray) -> np.ndarray:
        """||x_i||_q for each row of X: the largest |x_i . w| over ||w||_p <= 1."""
        return np.linalg.norm(np.atleast_2d(X), ord=self.q, axis=1)

    def regularizer(self, W: np.ndarray, alpha: np.ndarray) -> float:
        """(1/2) sum_j (||w_j||_p^2 + ||alpha_j||^2), the bracket of (P) without beta."""
        return 0.5 * float(np.sum(self.norms(W) ** 2) + np.sum(group_norms(alpha) ** 2))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class L1Penalty(Penalty):
    """||w||_1: exact wedge Lasso in every dimension (T1, T2, T5).

    Examples
    --------
    >>> L1Penalty().dual_norms(np.array([[3.0, -4.0]]))
    array([4.])
    """

    name, p, q, basis_vertices, exact_wedge = "l1", 1, np.inf, True, True

    def norms(self, W):
        return np.abs(np.atleast_2d(W)).sum(axis=1)


class L2Penalty(Penalty):
    """||w||_2 (weight decay): the wedge dictionary is an upper bound in d >= 2 (T4).

    Examples
    --------
    >>> L2Penalty().exact_wedge, L2Penalty().basis_vertices
    (False, False)
    """

    name, p, q, basis_vertices = "l2", 2, 2, False


#: the penalties by name
PENALTIES: dict[str, Penalty] = {p.name: p for p in (L1Penalty(), L2Penalty())}


def get_penalty(penalty) -> Penalty:
    """The :class:`Penalty` named ``penalty`` (a Penalty is returned as it is).

    >>> get_penalty("l1").q
    inf
    """
    if isinstance(penalty, Penalty):
        return penalty
    try:
        return PENALTIES[penalty]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"unknown penalty {penalty!r}; choose one of {', '.join(map(repr, PENALTIES))}") from None
