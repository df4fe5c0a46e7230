"""The parsed dbt project: where every table and its columns are declared, once.

A raw table is declared as a dbt source (`dbt_project/models/staging/<source>/_<source>__sources.yml`):
its columns, each column's `meta` (unit, range, GEOID width, ...) and the table's `meta` (keys,
row rules). The loader requires the declared columns and checks the declared GEOID widths;
the Great Expectations suites are generated from the same declarations.
"""

import json
from functools import cache

from orchestration import settings


class NoManifest(FileNotFoundError):
    """The dbt project has not been parsed yet."""


@cache
def manifest() -> dict:
    """The parsed project. Read only: `make manifest` (or loading the Dagster definitions) parses it."""
    path = settings.dbt_target_dir() / "manifest.json"
    if not path.exists():
        raise NoManifest(f"no dbt manifest at {path}: parse the dbt project first (make manifest)")
    return json.loads(path.read_text())


def source_columns(table: str) -> dict[str, dict]:
    """`raw.<table>`'s declared columns, in YAML order: name -> meta."""
    for node in manifest()["sources"].values():
        if node["name"] == table:
            return {name: column.get("meta") or {} for name, column in node["columns"].items()}
    raise KeyError(f"raw.{table} is not declared: add it to the dbt sources YAML of its staging models")


def geoid_widths(table: str) -> dict[str, int]:
    return {name: meta["geoid_width"] for name, meta in source_columns(table).items() if "geoid_width" in meta}


def mart_names() -> list[str]:
    """Every model under models/marts (pilots included), sorted."""
    return sorted(node["name"] for node in manifest()["nodes"].values()
                  if node["resource_type"] == "model" and node["schema"] == "marts")


def model_columns(model: str) -> dict[str, dict]:
    """A dbt model's documented columns, in YAML order: name -> {description, meta}."""
    for node in manifest()["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == model:
            return {name: {"description": column.get("description") or "", "meta": column.get("meta") or {}}
                    for name, column in node["columns"].items()}
    raise KeyError(f"model {model} is not in the dbt project")
