"""The README's one-screen example runs as printed, and says what the library computes."""

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs_and_its_claims_hold():
    code = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[0]
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)
    # the comments of the example state these values; check them independently
    gr = namespace["gr"]
    assert float(gr.signed_volume([1, 0], [1, 2])) == np.linalg.det([[1, 0], [1, 2]]).round()
    a, b = np.array([1, 2, 0]), np.array([0, 1, 3])
    minors = [np.linalg.det(np.column_stack([a, b])[[i, j]]).round() for i, j in ((0, 1), (0, 2), (1, 2))]
    assert [float(namespace["B"][name]) for name in ("e12", "e13", "e23")] == minors
    cross = np.array(gr.cross([1, 2, 0], [0, 1, 3]), dtype=float).ravel()
    np.testing.assert_array_equal(cross, np.cross(a, b))
    fit = namespace["fit"]
    assert fit.case.theorem == "T2" and fit.certificate().optimal
    # the exact proof and path claimed in the comments, against the closed form derived by hand:
    # by symmetry f = c + z relu(x - 1) + z relu(1 - x) with both kinks at x_2 = 1; its KKT system
    # on that support gives z = 3 beta - 1 and c = 1 - 2 beta for beta <= 1/3 (beta_max = 1/3)
    from fractions import Fraction

    proof, path = namespace["proof"], namespace["path"]
    beta = Fraction(1, 10)
    z, c = 3 * beta - 1, 1 - 2 * beta
    residual = [0 - (c + z), 1 - c, 0 - (c + z)]  # y - f at x = 0, 1, 2
    objective = sum(r * r for r in residual) / 2 + beta * 2 * abs(z)
    assert proof.holds and proof.objective == objective == Fraction(17, 100)
    assert path[0].beta_high == Fraction(1, 3) and path[0].beta_low == beta
