"""The Python code is layered: a module imports only from its own layer or the layers below,
and no import circle runs through the package. Read from the source (every `import` statement,
those inside functions too), so an import added anywhere is judged before it runs."""

import ast
from pathlib import Path

from orchestration import settings

PACKAGE = settings.REPO_ROOT / "orchestration"

# Lowest first. A module belongs to the first layer one of whose prefixes starts its name.
LAYERS = [
    ("files", ["orchestration.settings", "orchestration.files"]),
    ("declarations", ["orchestration.declarations"]),
    ("engines", ["orchestration.engines"]),
    ("ingestion", ["orchestration.ingestion", "orchestration.sources", "orchestration.pilots"]),
    ("dbt", ["orchestration.dbt"]),
    ("quality", ["orchestration.quality"]),
    ("publish", ["orchestration.publish"]),
    ("runs", ["orchestration.runs", "orchestration.definitions", "orchestration.build", "orchestration.prepare"]),
]
# The analysts' side stands apart: it reads the published file, through the lowest layer only.
ANALYSTS = "orchestration.analysts"
ANALYSTS_MAY_IMPORT = {"files"}


def module_name(path: Path) -> str:
    parts = path.relative_to(settings.REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, known: set[str]) -> set[str]:
    """The package's modules that `path` imports (a `from package import name` that names a
    module counts as that module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in known and name != "orchestration"} - {module_name(path)}


def layer_of(module: str) -> int | None:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return rank
    return None


def graph() -> dict[str, set[str]]:
    found = modules()
    return {module: imported(path, set(found)) for module, path in found.items()}


def test_every_module_belongs_to_a_layer():
    unplaced = [m for m in modules() if m != "orchestration" and layer_of(m) is None and not m.startswith(ANALYSTS)]
    assert not unplaced, f"modules in no layer (add them to LAYERS): {unplaced}"


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for module, targets in graph().items():
        if module.startswith(ANALYSTS):
            continue
        for target in targets:
            if target.startswith(ANALYSTS):
                upward.append(f"{module} -> {target} (the analysts' side)")
            elif layer_of(target) > layer_of(module):
                upward.append(f"{module} ({LAYERS[layer_of(module)][0]}) -> {target} ({LAYERS[layer_of(target)][0]})")
    assert not upward, "imports running up the layers:\n" + "\n".join(sorted(upward))


def test_the_analysts_side_imports_only_the_lowest_layer():
    allowed = {rank for rank, (name, _) in enumerate(LAYERS) if name in ANALYSTS_MAY_IMPORT}
    wrong = [f"{module} -> {target}" for module, targets in graph().items() if module.startswith(ANALYSTS)
             for target in targets if not target.startswith(ANALYSTS) and layer_of(target) not in allowed]
    assert not wrong, "the analysts' side imports the build:\n" + "\n".join(sorted(wrong))


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every circle a depth-first walk of `edges` closes, as the path that closes it."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                found.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def test_no_import_circle():
    # A package's modules import names from the package itself (`from orchestration.analysts.brief
    # import Section`) while the package imports them lazily: not counted as a circle.
    edges = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in graph().items()}
    found = circles(edges)
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_checker_sees_an_upward_import_and_a_circle():
    """The rules above judge real edges: `files` sits below `publish`, and a circle of two
    modules is found."""
    assert layer_of("orchestration.files.sql") < layer_of("orchestration.publish.asset")
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b", "a"]]
