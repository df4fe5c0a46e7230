"""Where the dbt project, its profile and its parsed manifest live."""

from functools import cache

from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings


@cache
def dbt_project() -> DbtProject:
    return DbtProject(
        project_dir=settings.DBT_PROJECT_DIR,
        profiles_dir=settings.DBT_PROJECT_DIR,
        target_path=settings.dbt_target_dir(),
    )


def parse_project() -> None:
    """Parse the project into its manifest (`make manifest`)."""
    project = dbt_project()
    project.preparer.prepare(project)


def ensure_manifest() -> None:
    """Parse the project once when no manifest exists yet (`make manifest` refreshes it)."""
    if not dbt_project().manifest_path.exists():
        parse_project()


def dbt_resource() -> DbtCliResource:
    """Where the dbt project and its profile live."""
    return DbtCliResource(project_dir=dbt_project(), profiles_dir=str(settings.DBT_PROJECT_DIR))
