"""The Kubernetes configuration in deploy/: the Dagster instance validates against Dagster's own
schema and names the dagster-postgres and dagster-k8s classes, the Helm values use only keys
of the official chart, both carry the warehouse's pool settings, and MOBILITY_EXECUTOR puts
every job on dagster-k8s's k8s_job_executor. Nothing connects to Postgres or a cluster."""

import importlib.util
import re
import shutil

import pytest
import yaml
from dagster import in_process_executor
from dagster._config import process_config
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.instance.ref import InstanceRef
from dagster._serdes.config_class import class_from_code_pointer
from dagster_k8s import K8sRunLauncher, k8s_job_executor
from dagster_postgres import DagsterPostgresStorage, PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from orchestration import settings
from orchestration.runs import instance
from orchestration.engines.build_file import BUILD_FILE_POOL

DEPLOY = settings.REPO_ROOT / "deploy"
SCALING_DOC = settings.REPO_ROOT / "docs" / "scaling.md"

# The name (not the value) of the Kubernetes Secret holding the Postgres password.
PASSWORD_SECRET_NAME = "dagster-postgresql-secret"
# What the instance reads from the environment, each with a value a cluster could give it.
INSTANCE_ENV = {
    "DAGSTER_PG_HOST": "postgres.mobility.svc", "DAGSTER_PG_PORT": "6543", "DAGSTER_PG_USERNAME": "dagster",
    "DAGSTER_PG_PASSWORD": "s3cret", "DAGSTER_PG_DB": "dagster_runs",
    "DAGSTER_K8S_JOB_NAMESPACE": "mobility", "DAGSTER_K8S_JOB_IMAGE": "registry.example/mobility-warehouse:0.1.0",
    "DAGSTER_K8S_SERVICE_ACCOUNT": "mobility-runs", "DAGSTER_K8S_INSTANCE_CONFIG_MAP": "dagster-instance",
    "DAGSTER_K8S_PG_PASSWORD_SECRET": PASSWORD_SECRET_NAME,
}

# Keys the official chart declares (dagster/dagster's values.schema.json, read at the chart's
# source, dagster-io/dagster commit 437f92d9) for each object deploy/values.yaml sets; list items
# are "[]". Only these objects are listed: a new one in values.yaml must be checked and added.
CHART_KEYS = {
    (): {"dagsterWebserver", "dagster-user-deployments", "postgresql", "generatePostgresqlPasswordSecret",
         "generateCeleryConfigSecret", "rabbitmq", "redis", "flower", "ingress", "imagePullSecrets",
         "computeLogManager", "scheduler", "runLauncher", "pythonLogs", "dagsterDaemon", "busybox", "migrate",
         "telemetry", "serviceAccount", "global", "retention", "concurrency", "additionalInstanceConfig"},
    ("dagster-user-deployments",): {"enabled", "enableSubchart", "imagePullSecrets", "deployments"},
    ("dagster-user-deployments", "deployments", "[]"): {
        "name", "image", "dagsterApiGrpcArgs", "codeServerArgs", "includeConfigInLaunchedRuns",
        "deploymentNamespace", "port", "env", "envConfigMaps", "envSecrets", "annotations", "nodeSelector",
        "affinity", "tolerations", "podSecurityContext", "securityContext", "resources", "livenessProbe",
        "readinessProbe", "startupProbe", "labels", "volumeMounts", "volumes", "schedulerName", "initContainers",
        "sidecarContainers", "deploymentStrategy"},
    ("dagster-user-deployments", "deployments", "[]", "image"): {"repository", "tag", "digest", "pullPolicy"},
    ("dagster-user-deployments", "deployments", "[]", "includeConfigInLaunchedRuns"): {"enabled"},
    ("runLauncher",): {"type", "config"},
    ("runLauncher", "config"): {"celeryK8sRunLauncher", "k8sRunLauncher", "customRunLauncher"},
    ("runLauncher", "config", "k8sRunLauncher"): {
        "image", "imagePullPolicy", "jobNamespace", "loadInclusterConfig", "kubeconfigFile", "envConfigMaps",
        "envSecrets", "envVars", "volumeMounts", "volumes", "labels", "failPodOnRunFailure", "resources",
        "schedulerName", "securityContext", "runK8sConfig"},
    ("dagsterDaemon",): {
        "enabled", "image", "runCoordinator", "heartbeatTolerance", "env", "envConfigMaps", "envSecrets",
        "deploymentLabels", "labels", "nodeSelector", "affinity", "tolerations", "podSecurityContext",
        "securityContext", "resources", "checkDbReadyInitContainer", "livenessProbe", "readinessProbe",
        "startupProbe", "annotations", "runMonitoring", "runRetries", "sensors", "schedules", "backfills",
        "schedulerName", "logFormat", "volumeMounts", "volumes", "initContainerResources", "extraContainers",
        "extraPrependedInitContainers"},
    ("dagsterDaemon", "runCoordinator"): {"enabled", "type", "config"},
    ("concurrency",): {"enabled", "pools", "runs"},
    ("concurrency", "pools"): {"defaultLimit", "granularity", "opGranularityRunBuffer"},
    ("concurrency", "runs"): {"maxConcurrentRuns", "tagConcurrencyLimits"},
    ("postgresql",): {"image", "enabled", "postgresqlHost", "postgresqlUsername", "postgresqlPassword",
                      "postgresqlDatabase", "postgresqlParams", "postgresqlScheme", "service"},
    ("postgresql", "service"): {"port"},
    ("computeLogManager",): {"type", "config"},
    ("telemetry",): {"enabled"},
}
# The chart's enumerations for the `type` keys values.yaml sets.
CHART_ENUMS = {
    ("runLauncher", "type"): {"CeleryK8sRunLauncher", "K8sRunLauncher", "CustomRunLauncher"},
    ("dagsterDaemon", "runCoordinator", "type"): {"QueuedRunCoordinator", "CustomRunCoordinator"},
    ("computeLogManager", "type"): {"NoOpComputeLogManager", "AzureBlobComputeLogManager", "GCSComputeLogManager",
                                    "S3ComputeLogManager", "LocalComputeLogManager", "CustomComputeLogManager"},
}
# Kubernetes objects (EnvVar, SecretEnvSource, Volume, VolumeMount) and the user's own names: not chart keys.
FREE_FORM = {("dagster-user-deployments", "deployments", "[]", key) for key in ("env", "envSecrets", "volumes", "volumeMounts")}


def instance_yaml() -> dict:
    return yaml.safe_load((DEPLOY / "dagster.yaml").read_text())


def helm_values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text())


@pytest.fixture
def instance_env(monkeypatch):
    for name, value in INSTANCE_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def instance_ref(tmp_path, instance_env) -> InstanceRef:
    """deploy/dagster.yaml through Dagster's own loading and schema validation (no storage is opened)."""
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    return InstanceRef.from_dir(str(tmp_path))


def resolved(data) -> tuple[type, dict]:
    """The class a ConfigurableClassData names and its config processed by the class's own schema."""
    klass = class_from_code_pointer(data.module_name, data.class_name)
    result = process_config(klass.config_type(), data.config_dict)
    assert result.success, (data.class_name, result.errors)
    return klass, result.value


def test_instance_stores_everything_in_postgres_from_the_environment(instance_ref):
    klass, config = resolved(instance_ref.storage_data)
    assert klass is DagsterPostgresStorage
    assert config["postgres_db"] == {"hostname": "postgres.mobility.svc", "port": 6543, "username": "dagster",
                                     "password": "s3cret", "db_name": "dagster_runs", "params": {},
                                     "scheme": "postgresql"}
    assert [resolved(data)[0] for data in (instance_ref.run_storage_data, instance_ref.event_storage_data,
                                           instance_ref.schedule_storage_data)] == [
        PostgresRunStorage, PostgresEventLogStorage, PostgresScheduleStorage]


def test_instance_launches_runs_as_kubernetes_jobs_with_the_warehouse_volume(instance_ref):
    klass, config = resolved(instance_ref.run_launcher_data)
    assert klass is K8sRunLauncher
    assert (config["job_namespace"], config["job_image"], config["service_account_name"]) == (
        "mobility", "registry.example/mobility-warehouse:0.1.0", "mobility-runs")
    assert (config["instance_config_map"], config["postgres_password_secret"]) == (
        "dagster-instance", PASSWORD_SECRET_NAME)
    assert "MOBILITY_HOME=/var/lib/mobility" in config["env_vars"]
    assert config["volume_mounts"] == [{"name": "warehouse", "mountPath": "/var/lib/mobility"}]
    assert config["volumes"] == [{"name": "warehouse", "persistentVolumeClaim": {"claimName": "mobility-warehouse"}}]
    assert [resolved(instance_ref.run_coordinator_data)[0].__name__, resolved(instance_ref.scheduler_data)[0].__name__,
            resolved(instance_ref.compute_logs_data)[0].__name__] == [
        "QueuedRunCoordinator", "DagsterDaemonScheduler", "NoOpComputeLogManager"]


def test_instance_validation_rejects_misspelt_keys(tmp_path, instance_env):
    config = instance_yaml()
    config["run_cordinator"] = config.pop("run_coordinator")
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))
    with pytest.raises(DagsterInvalidConfigError, match="run_cordinator"):
        InstanceRef.from_dir(str(tmp_path))
    # A class's own config is checked by its schema, as resolved() does for every class above.
    launcher = instance_yaml()["run_launcher"]["config"]
    launcher["job_namspace"] = launcher.pop("job_namespace")
    result = process_config(K8sRunLauncher.config_type(), launcher)
    assert not result.success and "job_namspace" in result.errors[0].message


def test_instance_keeps_the_build_file_pool_of_one_machine(instance_ref, tmp_path):
    assert instance_ref.settings["concurrency"] == {"pools": {"granularity": "op", "default_limit": 1},
                                                    "runs": {"max_concurrent_runs": 1}}
    assert instance_ref.settings["concurrency"]["pools"] == instance.INSTANCE_SETTINGS["concurrency"]["pools"]
    assert instance_ref.settings["telemetry"] == instance.INSTANCE_SETTINGS["telemetry"]
    # The instance file is mounted read-only from a ConfigMap: loading the code must not rewrite it.
    mounted = tmp_path / "dagster.yaml"
    before = mounted.read_text()
    instance.write_instance_settings(mounted)
    assert mounted.read_text() == before
    without_pools = {key: value for key, value in instance_yaml().items() if key != "concurrency"}
    mounted.write_text(yaml.safe_dump(without_pools))
    instance.write_instance_settings(mounted)
    assert yaml.safe_load(mounted.read_text())["concurrency"] == instance.INSTANCE_SETTINGS["concurrency"]


def test_one_run_at_a_time_because_every_step_but_the_landing_scan_opens_the_build_file():
    from orchestration.definitions import warehouse_definitions

    outside_pool = {node.definition.name for job in warehouse_definitions().resolve_all_job_defs() for node in job.graph.nodes
                    if node.definition.pool != BUILD_FILE_POOL}
    assert outside_pool == {"landing__pilot_uploads"}
    assert instance_yaml()["concurrency"]["runs"]["max_concurrent_runs"] == 1


def load_definitions(monkeypatch, executor: str | None):
    """A fresh copy of orchestration/definitions.py, loaded as the code server loads it."""
    if executor is None:
        monkeypatch.delenv(settings.EXECUTOR_ENV, raising=False)
    else:
        monkeypatch.setenv(settings.EXECUTOR_ENV, executor)
    spec = importlib.util.spec_from_file_location("definitions_under_test",
                                                  settings.REPO_ROOT / "orchestration" / "definitions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.warehouse_definitions()


def test_every_job_runs_on_the_k8s_job_executor_when_asked(monkeypatch):
    jobs = load_definitions(monkeypatch, "k8s").resolve_all_job_defs()
    assert {job.name for job in jobs} >= {"build_warehouse", "pilot_city_intake"}
    assert {job.name: job.executor_def for job in jobs} == {job.name: k8s_job_executor for job in jobs}


def test_every_job_runs_in_process_by_default(monkeypatch):
    jobs = load_definitions(monkeypatch, None).resolve_all_job_defs()
    assert {job.name: job.executor_def for job in jobs} == {job.name: in_process_executor for job in jobs}


def test_an_unknown_executor_is_refused_by_name(monkeypatch):
    monkeypatch.setenv(settings.EXECUTOR_ENV, "spark")
    with pytest.raises(ValueError, match=r"MOBILITY_EXECUTOR='spark' .* use one of in_process, k8s"):
        settings.executor_name()


def chart_key_errors(value, path=()) -> list[str]:
    """Every key of `value` the chart does not declare at its place."""
    if path in FREE_FORM:
        return []
    if isinstance(value, list):
        return [error for item in value for error in chart_key_errors(item, (*path, "[]"))]
    if not isinstance(value, dict):
        return []
    if path not in CHART_KEYS:
        return [f"{'.'.join(path)}: no chart keys recorded for this object"]
    errors = [f"{'.'.join((*path, key))}: not a key of the chart" for key in value if key not in CHART_KEYS[path]]
    return errors + [error for key, item in value.items() if key in CHART_KEYS[path]
                     for error in chart_key_errors(item, (*path, key))]


def test_helm_values_use_only_the_charts_keys():
    values = helm_values()
    assert chart_key_errors(values) == []
    for path, allowed in CHART_ENUMS.items():
        found = values
        for key in path:
            found = found[key]
        assert found in allowed, path
    assert chart_key_errors({"runLauncher": {"config": {"k8sRunLauncher": {"jobNamepsace": "x"}}}}) == [
        "runLauncher.config.k8sRunLauncher.jobNamepsace: not a key of the chart"]


def test_the_install_command_sets_only_chart_keys():
    keys = re.findall(r"--set ([\w.\-\[\]]+)=", SCALING_DOC.read_text())
    assert "postgresql.postgresqlHost" in keys
    for key in keys:
        *parents, leaf = key.replace("[0]", ".[]").split(".")
        assert leaf in CHART_KEYS[tuple(parents)], key


def test_helm_values_serve_the_warehouse_code_location_like_the_instance():
    values, instance = helm_values(), instance_yaml()
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    workspace = yaml.safe_load((settings.REPO_ROOT / "workspace.yaml").read_text())
    module = workspace["load_from"][0]["python_module"]["module_name"]
    assert deployment["dagsterApiGrpcArgs"] == ["--module-name", module] and module == "orchestration.definitions"
    assert deployment["includeConfigInLaunchedRuns"] == {"enabled": True}
    assert deployment["env"]["MOBILITY_EXECUTOR"] in settings.EXECUTORS
    launcher = instance["run_launcher"]["config"]
    assert f"MOBILITY_HOME={deployment['env']['MOBILITY_HOME']}" in launcher["env_vars"]
    assert (deployment["volumes"], deployment["volumeMounts"]) == (launcher["volumes"], launcher["volume_mounts"])
    assert [secret["name"] for secret in deployment["envSecrets"]] == launcher["env_secrets"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert values["dagsterDaemon"]["enabled"] and values["dagsterDaemon"]["runCoordinator"]["enabled"]
    assert values["telemetry"] == instance["telemetry"]


def test_helm_values_render_the_same_concurrency_as_the_instance():
    concurrency = helm_values()["concurrency"]
    assert concurrency["enabled"] is True
    snake = {"defaultLimit": "default_limit", "granularity": "granularity", "maxConcurrentRuns": "max_concurrent_runs"}
    rendered = {part: {snake[key]: value for key, value in concurrency[part].items()} for part in ("pools", "runs")}
    assert rendered == instance_yaml()["concurrency"]
