"""The package's import graph: acyclic, function-level imports included, and ``import`` stays lean.

The graph is read from the source with :mod:`ast`, not from ``sys.modules``: every ``import`` and
``from ... import`` statement anywhere in a module (top level, inside functions, under
``if TYPE_CHECKING:``), and every ``importlib.import_module`` of a literal name, is an edge. A deferred import hides a cycle from the interpreter, not from
the reader, so it counts the same. Package ``__init__`` modules are lazy namespaces; a
``from package import name`` whose ``name`` the namespace exports (its ``_EXPORTS`` table) or lists
as a submodule is resolved to the module that defines it, because that is what runs on first use.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "ga_relu"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE

#: modules that ``import ga_relu`` and each subpackage import must leave unloaded (each costs
#: from 0.3 s to several seconds, or compiles numba kernels)
HEAVY_MODULES = ("clifford", "sympy", "cvxpy", "numba", "matplotlib")

SUBPACKAGES = tuple(
    sorted(f"{PACKAGE}.{p.parent.name}" for p in PACKAGE_DIR.glob("*/__init__.py"))
)


# ---------------------------------------------------------------------------------------------
# reading the graph
# ---------------------------------------------------------------------------------------------


def module_files(package_dir: Path = PACKAGE_DIR, package: str = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package (``__init__`` = package)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join([package, *parts])] = path
    return modules


def _literal_assignment(tree: ast.Module, name: str):
    """The value of a top-level ``name = <literal>`` (``_EXPORTS``, ``_SUBMODULES``), else None."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def lazy_exports(modules: dict[str, Path]) -> dict[str, dict[str, str]]:
    """Package -> {exported name: defining module (absolute)}, read off each ``__init__``'s tables."""
    tables: dict[str, dict[str, str]] = {}
    for module, path in modules.items():
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        table = {}
        for name, target in (_literal_assignment(tree, "_EXPORTS") or {}).items():
            level = len(target) - len(target.lstrip("."))
            # "blades" is relative to the package; "..convex.colgen" climbs like a relative import
            base = module.split(".")[: len(module.split(".")) - max(level - 1, 0)]
            table[name] = ".".join(base + [target.lstrip(".")])
        for name in _literal_assignment(tree, "_SUBMODULES") or ():
            table.setdefault(name, f"{module}.{name}")
        tables[module] = table
    return tables


def _resolve_base(module: str, is_package: bool, level: int, target: str | None) -> str:
    """Absolute name of ``from <level dots><target> import ...`` written in ``module``."""
    if level == 0:
        return target or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([target] if target else []))


def _with_parents(name: str, modules) -> list[str]:
    """``name`` and the packages above it that belong to the graph (importing a.b.c runs a, a.b)."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in modules]


def _is_import_module_call(node: ast.AST) -> bool:
    """``importlib.import_module("<absolute name>")`` (or ``import_module(...)``) with a literal name."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    first = node.args[0]
    return name == "import_module" and isinstance(first, ast.Constant) and isinstance(first.value, str) \
        and not first.value.startswith(".")


def imported_modules(module: str, path: Path, modules, exports) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its source."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.update(_with_parents(alias.name, modules))
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_base(module, is_package, node.level, node.module)
            found.update(_with_parents(base, modules))
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:  # from pkg import submodule
                    found.add(f"{base}.{alias.name}")
                elif alias.name in exports.get(base, {}):  # from pkg import lazily exported name
                    found.update(_with_parents(exports[base][alias.name], modules))
        elif _is_import_module_call(node):  # importlib.import_module("ga_relu.algebra.demo")
            found.update(_with_parents(node.args[0].value, modules))
    found.discard(module)
    return found


def import_graph(package_dir: Path = PACKAGE_DIR, package: str = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package modules it imports (an edge per import statement, wherever it sits)."""
    modules = module_files(package_dir, package)
    exports = lazy_exports(modules)
    return {m: imported_modules(m, p, modules, exports) & set(modules) for m, p in modules.items()}


# ---------------------------------------------------------------------------------------------
# cycles
# ---------------------------------------------------------------------------------------------


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components (iterative), each sorted; a component of two or more modules is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def cycle_through(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One closed path a -> ... -> a inside a strongly connected component (breadth-first, shortest)."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        next_frontier = []
        for node in frontier:
            for successor in sorted(graph[node] & members):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if successor not in previous:
                    previous[successor] = node
                    next_frontier.append(successor)
        frontier = next_frontier
    raise AssertionError(f"{component} is not strongly connected")


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle path per strongly connected component with more than one module."""
    return [cycle_through(graph, c) for c in strongly_connected_components(graph) if len(c) > 1]


def _describe(cycles: list[list[str]], graph) -> str:
    lines = []
    for cycle in cycles:
        component = next(c for c in strongly_connected_components(graph) if cycle[0] in c)
        lines.append(" -> ".join(cycle))
        edges = [f"{a} -> {b}" for a in component for b in sorted(graph[a] & set(component))]
        lines.append(f"  every import among its component of {len(component)}: " + "; ".join(edges))
    return "\n".join(lines)


def reachable(graph: dict[str, set[str]], start: str) -> dict[str, str | None]:
    """Every module ``start`` imports directly or through others -> the module it is imported from."""
    parent: dict[str, str | None] = {start: None}
    stack = [start]
    while stack:
        node = stack.pop()
        for successor in sorted(graph[node]):
            if successor not in parent:
                parent[successor] = node
                stack.append(successor)
    return parent


def _import_chain(parent: dict[str, str | None], target: str) -> str:
    chain = [target]
    while parent[chain[-1]] is not None:
        chain.append(parent[chain[-1]])
    return " -> ".join(reversed(chain))


# ---------------------------------------------------------------------------------------------
# layers: which modules sit above which (issue 11)
# ---------------------------------------------------------------------------------------------

_FIT_MACHINERY = ("convex.results", "convex.fitting", "convex.colgen", "convex.exact", "convex.wedge",
                  "convex.methods")

#: (modules, what they must not reach, why); modules and targets are prefixes under ga_relu.
#: Reaching means importing directly or through any chain of imports, function-level included.
LAYER_RULES = (
    ("certification.", _FIT_MACHINERY, "certificates check any network; fitting methods call them"),
    ("convex.colgen", ("convex.fitting",), "fit dispatches to column generation, not back"),
    ("convex.exact", ("convex.fitting",), "fit dispatches to the exact program, not back"),
    ("explain.symbolic", ("convex.results", "convex.fitting"), "formulas take neurons, not fits"),
    ("explain.formulas", ("convex.results", "convex.fitting"), "formulas take neurons, not fits"),
    ("baselines.", ("convex.fitting",), "baselines validate through Problem, not through fit"),
)

#: modules that sit above the fitting machinery although they live in certification/
_ABOVE_FITTING = ("certification.weight_decay", "certification.sampled")

#: the only modules that may reach interfaces/ or experimental/
_TOP_LAYERS = ("interfaces", "experimental", "__main__")


def layer_violations(graph: dict[str, set[str]], package: str = PACKAGE) -> list[str]:
    """Every import chain that breaks LAYER_RULES or reaches interfaces/experimental from below."""
    def under(module: str, prefix: str) -> bool:
        name = module[len(package) + 1:]
        return name == prefix or name.startswith(prefix if prefix.endswith(".") else prefix + ".")

    top = [m for m in graph if any(under(m, layer) for layer in _TOP_LAYERS)]
    violations = []
    for module in sorted(graph):
        if module == package or any(under(module, m) for m in _ABOVE_FITTING):
            forbidden_rules = []
        else:
            forbidden_rules = [(targets, why) for prefix, targets, why in LAYER_RULES if under(module, prefix)]
        if module != package and module not in top:
            forbidden_rules.append((_TOP_LAYERS, "lower layers never import the interfaces or research code"))
        if not forbidden_rules:
            continue
        parent = reachable(graph, module)
        for targets, why in forbidden_rules:
            for target in sorted(parent):
                if target != module and any(under(target, t) for t in targets):
                    violations.append(f"{_import_chain(parent, target)}   ({why})")
    return violations


# ---------------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------------


def test_cycle_detection_finds_a_synthetic_cycle():
    """The routine can fail: a -> b -> c -> a is reported as that path; a DAG yields nothing."""
    cyclic = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert import_cycles(cyclic) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
    two = {"x": {"y"}, "y": {"x"}, "p": {"q"}, "q": {"p", "x"}}
    assert sorted(import_cycles(two)) == [["p", "q", "p"], ["x", "y", "x"]]


def test_graph_reading_sees_function_level_relative_and_lazy_imports(tmp_path):
    """A cycle hidden in a function body, through a relative import and a lazy export, is found."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("_EXPORTS = {'helper': 'sub.low'}\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "low.py").write_text("def helper():\n    from ..high import top\n    return top\n")
    (package / "high.py").write_text("from pkg import helper\n\ndef top():\n    return helper\n")
    (package / "other.py").write_text("import importlib\n\nimportlib.import_module('pkg.high')\n")
    graph = import_graph(package, "pkg")
    assert "pkg.sub.low" in graph["pkg.high"]
    assert "pkg.high" in graph["pkg.sub.low"]
    assert "pkg.high" in graph["pkg.other"]
    assert import_cycles(graph) == [["pkg.high", "pkg.sub.low", "pkg.high"]]


def test_package_import_graph_has_no_cycle():
    graph = import_graph()
    assert len(graph) > 30, "the package's modules were not found"
    cycles = import_cycles(graph)
    assert not cycles, "import cycles (function-level imports included):\n" + _describe(cycles, graph)


def test_layer_rules_can_fail():
    """A certificate that imports fitting through a helper module is reported with its chain."""
    graph = {
        "ga_relu": set(),
        "ga_relu.certification.certificate": {"ga_relu.convex.dictionary"},
        "ga_relu.convex.dictionary": {"ga_relu.convex.fitting"},
        "ga_relu.convex.fitting": set(),
        "ga_relu.certification.weight_decay": {"ga_relu.convex.fitting"},  # sits above fitting
    }
    violations = layer_violations(graph)
    assert len(violations) == 1
    assert violations[0].startswith(
        "ga_relu.certification.certificate -> ga_relu.convex.dictionary -> ga_relu.convex.fitting")
    graph["ga_relu.convex.dictionary"] = {"ga_relu.interfaces.plotting"}
    graph["ga_relu.interfaces.plotting"] = set()
    assert any("interfaces" in v for v in layer_violations(graph))


def test_layers_import_only_downwards():
    violations = layer_violations(import_graph())
    assert not violations, "imports against the layering:\n" + "\n".join(violations)


def test_package_inits_import_only_the_lazy_helper():
    """A package ``__init__`` imports none of its modules: the namespaces resolve names on first use."""
    graph = import_graph()
    for package in (PACKAGE, *SUBPACKAGES):
        assert graph[package] <= {PACKAGE, f"{PACKAGE}._lazy"}, f"{package} imports {sorted(graph[package])}"


def _loaded_heavy_modules(statement: str) -> tuple[float, list[str]]:
    code = (
        "import sys, time\n"
        "start = time.perf_counter()\n"
        f"{statement}\n"
        "elapsed = time.perf_counter() - start\n"
        f"heavy = sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)\n"
        "print(elapsed)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed, heavy = (result.stdout + "\n").split("\n")[:2]
    return float(elapsed), [h for h in heavy.split(",") if h]


def test_import_is_lazy_and_fast():
    """``import ga_relu`` loads none of clifford (numba), sympy, cvxpy or matplotlib, and takes under 1 s."""
    elapsed, heavy = _loaded_heavy_modules("import ga_relu")
    assert heavy == [], f"import ga_relu imported {heavy}"
    assert elapsed < 1.0


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_subpackage_import_is_lazy(package):
    _, heavy = _loaded_heavy_modules(f"import {package}")
    assert heavy == [], f"import {package} imported {heavy}"
