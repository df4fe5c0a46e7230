"""One expectation suite per checked table: the rules its dbt YAML declares (see `declared`)
plus, for rules with no declarative home (SQL across tables, deliberate warnings), a hand-written
`expectations/<schema>/<table>.json`.

Every JSON file under `expectations/` is loaded; anything that is not a valid suite for
`[<schema>, <table>]` is an error naming the file (nothing is skipped silently). Each
expectation carries `meta.severity` (`error` blocks downstream assets and publishing,
`warning` is recorded and shown) and `meta.rule` (the rule in words, shown in the UI).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from orchestration import settings
from orchestration.declarations.dbt_manifest import manifest as dbt_manifest
from orchestration.quality.declared_rules import Declared, declared_tables

SEVERITIES = ("error", "warning")
# Values the engine supplies to `{"$PARAMETER": "..."}` expressions at validation time.
PARAMETERS = {
    "published_row_count": "rows the asset had at the last publish (0 before the first publish)",
}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_FUNCTIONS = {"trunc", "round", "abs", "now", "E", "PI"}


class SuiteError(ValueError):
    """A suite file is malformed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Rule:
    type: str
    kwargs: dict[str, Any]
    severity: str
    rule: str


@dataclass(frozen=True)
class Suite:
    schema: str
    table: str
    description: str
    rules: tuple[Rule, ...]
    files: tuple[Path, ...]  # where the rules are declared
    # The rows the row rules read (a SQL condition on the table); None: every row. Table rules
    # (`expect_table_*`) always read the whole table.
    rows: str | None = None

    @property
    def path(self) -> Path:
        return self.files[-1]

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def asset_path(self) -> list[str]:
        return [self.schema, self.table]

    def gx_suite(self):
        """The suite as a GX `ExpectationSuite` (severity and rule travel in each `meta`). GX
        checks each expectation's arguments here, in the check process that validates it."""
        import great_expectations as gx
        from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

        try:
            expectations = [
                ExpectationConfiguration(
                    type=r.type, kwargs=dict(r.kwargs), meta={"severity": r.severity, "rule": r.rule}
                ).to_domain_obj()
                for r in self.rules
            ]
        except Exception as exc:
            raise SuiteError(f"{', '.join(map(str, self.files))}: Great Expectations rejects the suite: {exc}") from exc
        return gx.ExpectationSuite(name=self.name, expectations=expectations, meta={"description": self.description})


def suite_files(directory: Path) -> list[Path]:
    """Every file under `directory` (hidden files and editor backups included: none is ignored)."""
    return sorted(p for p in directory.rglob("*") if p.is_file())


def load_suite(path: Path, directory: Path) -> Suite:
    relative = path.relative_to(directory)
    if len(relative.parts) != 2 or path.suffix != ".json":
        raise SuiteError(f"{path}: not a suite file (rule: suites live at expectations/<schema>/<table>.json)")
    schema, table = relative.parts[0], path.stem
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("expectations"), list):
        raise SuiteError(f"{path}: rule 'a suite is an object with an \"expectations\" list' broken")
    if document.get("name") != f"{schema}.{table}":
        raise SuiteError(f"{path}: name is {document.get('name')!r}; rule: the name must be '{schema}.{table}'")
    rules = tuple(_rule(path, n, e) for n, e in enumerate(document["expectations"], start=1))
    if not rules:
        raise SuiteError(f"{path}: rule 'a suite has at least one expectation' broken")
    description = (document.get("meta") or {}).get("description", "")
    return Suite(schema=schema, table=table, description=description, rules=rules, files=(path,))


@cache
def gx_expectation_types() -> frozenset[str]:
    """The expectation types GX ships, read from its package folder: importing GX here would
    add seconds to every load of the definitions."""
    package = Path(find_spec("great_expectations").origin).parent / "expectations" / "core"
    return frozenset(p.stem for p in package.glob("*.py") if not p.stem.startswith("_"))


def _rule(path: Path, number: int, expectation: Any) -> Rule:
    where = f"{path}: expectation {number}"
    if not isinstance(expectation, dict) or not isinstance(expectation.get("type"), str):
        raise SuiteError(f"{where}: rule 'each expectation has a \"type\"' broken")
    if expectation["type"] not in gx_expectation_types():
        raise SuiteError(f"{where}: {expectation['type']!r} is not a Great Expectations expectation type")
    kwargs = expectation.get("kwargs", {})
    meta = expectation.get("meta") or {}
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        raise SuiteError(f"{where} ({expectation['type']}): meta.severity is {severity!r}; rule: 'error' or 'warning'")
    if not str(meta.get("rule", "")).strip():
        raise SuiteError(f"{where} ({expectation['type']}): rule 'meta.rule says the rule in words' broken")
    for value in kwargs.values():
        if isinstance(value, dict) and "$PARAMETER" in value:
            unknown = set(_IDENTIFIER.findall(value["$PARAMETER"])) - set(PARAMETERS) - _FUNCTIONS
            if unknown:
                raise SuiteError(
                    f"{where}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                    f"rule: parameters are {', '.join(PARAMETERS)}"
                )
    return Rule(type=expectation["type"], kwargs=kwargs, severity=severity, rule=str(meta["rule"]).strip())


def declared_suite(table: Declared) -> Suite:
    rules = tuple(Rule(type=kind, kwargs=kwargs, severity=severity, rule=rule)
                  for kind, kwargs, severity, rule in table.rules)
    return Suite(schema=table.schema, table=table.table, description=table.description, rules=rules,
                 files=(table.file,))


def load_suites(directory: Path, manifest: dict | None = None, engine: str | None = None) -> list[Suite]:
    """The declared rules of every table, merged with its hand-written suite file if it has one;
    the declared SQL is written for `engine` (MOBILITY_ENGINE by default), which checks the models."""
    engine = engine or settings.engine_name()
    suites = {(t.schema, t.table): declared_suite(t) for t in declared_tables(manifest or dbt_manifest(), engine)}
    for path in suite_files(directory):
        hand = load_suite(path, directory)
        key = (hand.schema, hand.table)
        if key in suites:
            declared = suites[key]
            hand = Suite(schema=hand.schema, table=hand.table, description=declared.description,
                         rules=declared.rules + hand.rules, files=declared.files + hand.files)
        suites[key] = hand
    return sorted(suites.values(), key=lambda s: s.name)


def match_assets(suites: list[Suite], asset_paths: set[tuple[str, ...]]) -> None:
    """Every suite must belong to an asset that exists: a typo must not silently check nothing."""
    orphans = [s for s in suites if tuple(s.asset_path) not in asset_paths]
    if orphans:
        listed = "; ".join(f"{s.path} (asset {'/'.join(s.asset_path)})" for s in orphans)
        raise SuiteError(f"suite(s) for assets that do not exist: {listed}")
