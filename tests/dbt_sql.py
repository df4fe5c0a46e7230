"""The dbt project's own SQL, rendered for DuckDB without a dbt run, so property tests can run a
model or macro on thousands of generated inputs in milliseconds each.

`ref('x')` and `source('s', 'x')` render as the plain table name `x` (the test creates it),
`var('name')` reads `dbt_project.yml`, `is_incremental()` is false (a model's first build), and
every macro under `macros/` is available, as in dbt (materializations, which only dbt runs, are
left out). `adapter.dispatch` picks a macro's `duckdb__` (else `default__`) variant, as dbt does
on the DuckDB target.
"""

from pathlib import Path

import jinja2
import yaml

from orchestration import settings
from orchestration.quality.declared_rules import quoted

PROJECT = Path(settings.DBT_PROJECT_DIR)


def _macros() -> str:
    macros = PROJECT / "macros"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(macros.rglob("*.sql"))
                     if not p.is_relative_to(macros / "materializations"))


class _DuckDBAdapter:
    """The part of dbt's `adapter` the project's macros use, on the DuckDB target."""

    def __init__(self, environment: jinja2.Environment):
        self._environment = environment
        self._module = None

    def dispatch(self, name: str, _namespace: str | None = None):
        if self._module is None:
            self._module = self._environment.from_string(_macros()).make_module()
        return getattr(self._module, f"duckdb__{name}", None) or getattr(self._module, f"default__{name}")

    quote = staticmethod(quoted)


def render(template: str) -> str:
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    environment.globals.update(ref=lambda name: name, source=lambda _source, table: table,
                               var=lambda name, default=None: variables.get(name, default),
                               is_incremental=lambda: False, adapter=_DuckDBAdapter(environment),
                               target={"type": "duckdb"})
    return environment.from_string(_macros() + "\n" + template).render()


def model_sql(path: str) -> str:
    """A model's select, e.g. `intermediate/pilots/int_pilot_effect_estimates.sql`."""
    return render((PROJECT / "models" / path).read_text(encoding="utf-8"))
