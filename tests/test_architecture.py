"""The shape of the code: import contracts, no import cycle, no long function or class.

`make lint` runs the same import contracts; these tests make `pytest` fail too when an import
runs back up, when a contract in pyproject.toml is loosened, when two modules import each
other (even from inside a function), or when a function or class outgrows its limit.
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("plan", "indicators", "tiess")
FUNCTION_MAX_LINES = 60
CLASS_MAX_LINES = 250

# The layers inside `indicators/`, highest first: an import may only go down this list.
# Names joined by " | " are independent of one another.
INDICATORS_LAYERS = [
    "board",
    "apps",
    "admin | management | templatetags | urls",
    "lifecycle | notifications",
    "spreadsheets",
    "targets",
    "recording",
    "exports",
    "models",
    "charts",
    "rules",
]
# Every other package of the app and project, for the two pure packages.
_ABOVE_CHARTS = [
    f"indicators.{name}"
    for layer in INDICATORS_LAYERS[: INDICATORS_LAYERS.index("charts")]
    for name in layer.split(" | ")
] + ["indicators.migrations", "plan", "tiess"]

# The contracts as agreed. pyproject.toml holds them for `lint-imports`; a change there that
# is not made here too (a contract dropped, a layer removed, an import ignored) fails.
CONTRACTS = [
    {
        "name": "plan (the adopted plan) imports no other project app",
        "type": "forbidden",
        "source_modules": ["plan"],
        "forbidden_modules": ["indicators", "tiess"],
    },
    {
        "name": "indicators imports only plan",
        "type": "forbidden",
        "source_modules": ["indicators"],
        "forbidden_modules": ["tiess"],
    },
    {
        "name": "indicators.board (what the board reads) is imported only by tiess.urls",
        "type": "protected",
        "protected_modules": ["indicators.board"],
        "allowed_importers": ["tiess.urls"],
    },
    {
        "name": "indicators: each package imports only the packages below it",
        "type": "layers",
        "containers": ["indicators"],
        "layers": INDICATORS_LAYERS,
        "exhaustive": True,
        "exhaustive_ignores": ["migrations"],
    },
    {
        "name": "indicators.rules is pure: it imports no other package of the project",
        "type": "forbidden",
        "source_modules": ["indicators.rules"],
        "forbidden_modules": ["indicators.charts", *_ABOVE_CHARTS],
    },
    {
        "name": "indicators.charts draws from plain data: it imports only indicators.rules",
        "type": "forbidden",
        "source_modules": ["indicators.charts"],
        "forbidden_modules": _ABOVE_CHARTS,
    },
    {
        "name": "views are reached through the URLconfs: no other package imports them",
        "type": "forbidden",
        "source_modules": [
            f"indicators.{name}"
            for layer in INDICATORS_LAYERS
            for name in layer.split(" | ")
            if name != "urls"
        ],
        "forbidden_modules": ["indicators.*.views"],
    },
]


def _unordered(contract):
    """The contract with its module lists as sets (the order of layers matters, kept)."""
    return {
        key: set(value) if isinstance(value, list) and key != "layers" else value
        for key, value in contract.items()
    }


def test_import_contracts_are_the_agreed_ones():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert config["root_packages"] == ["tiess", "plan", "indicators"]
    assert [_unordered(contract) for contract in config["contracts"]] == [
        _unordered(contract) for contract in CONTRACTS
    ]


def test_import_contracts_are_kept():
    """Every contract of pyproject.toml, checked by import-linter as `make lint` does."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [lint_imports, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


# --- Import cycles ---------------------------------------------------------------------------


def _modules():
    """{dotted module name: path} of every module of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(node):
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree):
    """Every import statement of `tree`, in functions too; not those under TYPE_CHECKING."""
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if _is_type_checking(node)
        for statement in node.body
        for child in ast.walk(statement)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped
    ]


def _targets(node, *, package, modules):
    """The project modules an import statement names, each by its most precise module.

    `from indicators.models import Indicator` names `indicators.models`;
    `from indicators.rules import kinds` names `indicators.rules.kinds` (as import-linter
    counts them: the parent packages that Python also runs are left aside).
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in modules]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    targets = []
    for alias in node.names:
        if f"{base}.{alias.name}" in modules:
            targets.append(f"{base}.{alias.name}")
        elif base in modules:
            targets.append(base)
    return targets


def import_graph():
    """{module: {module it imports: line of the import}} between the project's modules."""
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges = graph.setdefault(module, {})
        for node in _imports(ast.parse(path.read_text(), filename=str(path))):
            for target in _targets(node, package=package, modules=modules):
                edges.setdefault(target, node.lineno)
    return graph


def _cycles(graph):
    """(modules, one way round) of each knot of modules that import one another.

    Tarjan's strongly connected components, then the shortest way round from the first
    module of each component.
    """
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.get(module, ()):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1 or module in graph.get(module, ()):
                components.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [
        (component, _shortest_round(graph, set(component), component[0]))
        for component in components
    ]


def _shortest_round(graph, component, start):
    """The shortest path from `start` back to itself inside `component` (breadth first)."""
    paths = [[start]]
    seen = set()
    while paths:
        path = paths.pop(0)
        for imported in sorted(graph[path[-1]]):
            if imported == start:
                return [*path, start]
            if imported in component and imported not in seen:
                seen.add(imported)
                paths.append([*path, imported])
    raise AssertionError(f"no way back to {start}")


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    # The graph reads every form of import (here `from indicators.targets import views as …`).
    assert "indicators.targets.views" in graph["indicators.urls"]
    knots = []
    for component, cycle in _cycles(graph):
        way_round = " → ".join(
            f"{module} (l.{graph[module][imported]})"
            for module, imported in zip(cycle, cycle[1:], strict=False)
        )
        knots.append(f"{', '.join(component)}\n    e.g. {way_round} → {cycle[0]}")
    assert not knots, "Modules that import each other:\n" + "\n".join(knots)


# --- Long functions and classes --------------------------------------------------------------


def _project_files():
    """The project's Python files (apps, settings, bench, manage.py), migrations left out."""
    paths = [*ROOT.glob("*.py")]
    for directory in [*PACKAGES, "bench"]:
        paths += (ROOT / directory).rglob("*.py")
    return sorted(path for path in paths if "migrations" not in path.parts)


def too_long():
    """Each function over 60 lines and class over 250, as "file:line name: N lines"."""
    offenders = []
    for path in _project_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                limit = FUNCTION_MAX_LINES
            elif isinstance(node, ast.ClassDef):
                limit = CLASS_MAX_LINES
            else:
                continue
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                where = path.relative_to(ROOT)
                offenders.append(f"{where}:{node.lineno} {node.name}: {lines} lines (> {limit})")
    return offenders


def test_no_function_over_60_lines_and_no_class_over_250():
    offenders = too_long()
    assert not offenders, "Too long:\n" + "\n".join(offenders)
