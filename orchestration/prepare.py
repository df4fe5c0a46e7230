"""Parse the dbt project into its manifest (run by `make manifest` before builds and tests)."""

from orchestration import settings


def main() -> None:
    settings.export_environment()
    from orchestration.dbt import dbt_project

    dbt_project.preparer.prepare(dbt_project)
    print(f"dbt manifest: {dbt_project.manifest_path}")


if __name__ == "__main__":
    main()
