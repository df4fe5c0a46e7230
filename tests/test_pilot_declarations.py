"""The pilot tables are declared once, in the data contract (seeds/pilots/contract.json): the
intake's archived shape and the raw tables derive from it, and the dbt sources agree with it."""

import json
import re

import yaml

from orchestration import settings
from orchestration.pilots import assets, intake, registry

CONTRACT = json.loads((settings.SEEDS_DIR / "pilots" / "contract.json").read_text())
SOURCES = yaml.safe_load((settings.DBT_PROJECT_DIR / "models" / "staging" / "pilots" / "_pilots__sources.yml").read_text())
LINEAGE = {part.split()[0] for part in assets.LINEAGE.split(",")}


def source_table(table: str) -> dict:
    (pilots,) = [s for s in SOURCES["sources"] if s["name"] == "pilots"]
    return next(t for t in pilots["tables"] if t["name"] == f"pilot_{table}")


def test_raw_tables_hold_the_contract_columns(warehouse_sql):
    for table in assets.RAW_TABLES:
        built = dict(warehouse_sql.execute(
            "select column_name, data_type from duckdb_columns() where schema_name = 'raw' and table_name = ?",
            [f"pilot_{table}"]).fetchall())
        declared = {name: kind.upper() for name, kind in registry.raw_columns(table).items()}
        assert {k: v for k, v in built.items() if k not in LINEAGE} == declared
        contract_names = {c["name"] for c in CONTRACT["tables"][table]["columns"]} - {"participant_id", "is_synthetic"}
        assert contract_names <= set(declared)


def test_the_intake_archives_the_same_shape():
    for table in assets.RAW_TABLES:
        archived = re.findall(r" as (\w+)(?:, |$)", intake.archive_select(table))
        assert archived == list(registry.raw_columns(table))


def test_dbt_sources_agree_with_the_contract():
    for table in assets.RAW_TABLES:
        raw = set(registry.raw_columns(table)) | LINEAGE
        contract = {c["name"]: c for c in CONTRACT["tables"][table]["columns"]}
        for column in source_table(table)["columns"]:
            assert column["name"] in raw, f"pilot_{table}.{column['name']} is not in the contract"
            values = (column.get("meta") or {}).get("values")
            if values is not None:
                assert [str(v) for v in values] == contract[column["name"]]["values"], column["name"]
        enums = {name for name, c in contract.items() if c["type"] == "enum"}
        declared = {c["name"] for c in source_table(table)["columns"] if (c.get("meta") or {}).get("values")}
        assert enums == declared, f"pilot_{table}: every enum of the contract has its values in the dbt source"
