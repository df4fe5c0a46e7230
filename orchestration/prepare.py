"""Parse the dbt project into its manifest (run by `make manifest` before builds and tests)."""

from orchestration.dbt.project import dbt_project, parse_project
from orchestration.runs.instance import prepare_instance


def main() -> None:
    prepare_instance()
    parse_project()
    print(f"dbt manifest: {dbt_project().manifest_path}")


if __name__ == "__main__":
    main()
