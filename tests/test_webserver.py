"""The real Dagster webserver, started from workspace.yaml as the command line starts it (no
host given), listens on this machine only and serves every asset and the lineage a data
engineer sees, in headless Chromium."""

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dagster import AssetKey

from orchestration import settings
from orchestration.definitions import warehouse_definitions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(test_home: Path):
    port = free_port()
    env = {**os.environ, "MOBILITY_HOME": str(test_home), "DAGSTER_HOME": str(settings.dagster_home())}
    log = (test_home / "webserver.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"), "-w", "workspace.yaml", "-p", str(port)],
        cwd=settings.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        assert process.poll() is None, (test_home / "webserver.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "webserver did not answer within 120 s"
        time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=30)
    log.close()


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (Linux's /proc/net tables)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # Each 32-bit word is in host (little-endian) order.
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(str(ipaddress.ip_address(words)))
    return found


def test_webserver_listens_on_this_machine_only(webserver):
    assert listening_addresses(int(webserver.rsplit(":", 1)[1])) == {"127.0.0.1"}


@pytest.mark.parametrize("override, host", [((), "127.0.0.1"), (("UI_HOST=0.0.0.0",), "0.0.0.0")])
def test_make_ui_binds_to_localhost_unless_told_otherwise(override, host):
    done = subprocess.run(["make", "--dry-run", "ui", *override], cwd=settings.REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    (command,) = [line for line in done.stdout.splitlines() if "/dg dev " in line]
    assert command.endswith(f"dg dev -h {host} -p 3000"), command


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["data"]


def test_code_location_loads_without_errors(webserver):
    data = graphql(webserver, """
        { workspaceOrError { ... on Workspace { locationEntries {
            name loadStatus
            locationOrLoadError { __typename ... on PythonError { message } }
        } } } }""")
    (entry,) = data["workspaceOrError"]["locationEntries"]
    assert entry["name"] == "mobility_warehouse"
    assert entry["loadStatus"] == "LOADED"
    assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation"


def test_webserver_serves_every_asset_with_its_lineage(webserver):
    nodes = graphql(webserver, "{ assetNodes { assetKey { path } dependencyKeys { path } } }")["assetNodes"]
    served = {tuple(n["assetKey"]["path"]): {tuple(d["path"]) for d in n["dependencyKeys"]} for n in nodes}
    expected = {tuple(k.path) for k in warehouse_definitions().resolve_asset_graph().get_all_asset_keys()}
    assert set(served) == expected
    assert served[("raw", "atlas_tract_household_income")] == {("source_files", "atlas_tract_household_income")}
    assert served[("staging", "stg_atlas__tract_household_income")] == {("raw", "atlas_tract_household_income")}
    assert ("staging", "stg_registry__cities") in served[("marts", "dim_city")]


def test_lineage_page_renders_in_headless_chromium(webserver, test_home):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "headless Chromium is needed: apt-get install chromium"
    key = AssetKey(["marts", "dim_city"])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{webserver}/assets/{'/'.join(key.path)}?view=lineage&lineageScope=upstream&lineageDepth=2",
                  wait_until="networkidle")
        page.get_by_text("stg_registry__cities").first.wait_for(timeout=60_000)
        text = page.inner_text("body")
        page.screenshot(path=str(test_home / "lineage.png"))
        browser.close()
    assert "dim_city" in text
    assert "stg_census__place_population" in text


def evaluate_freshness() -> None:
    """One pass of Dagster's freshness daemon over the session's instance (`make ui` runs the
    daemon, which does this every 30 s); the definitions load in this process."""
    from dagster import DagsterInstance
    from dagster._core.remote_origin import InProcessCodeLocationOrigin
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
    from dagster._daemon.freshness import FreshnessDaemon

    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="orchestration.definitions", working_directory=str(settings.REPO_ROOT)),
        location_name="mobility_warehouse",
    )
    with DagsterInstance.get() as instance, WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(origin)) as context:
        list(FreshnessDaemon().run_iteration(context))


FRESHNESS_QUERY = """{ assetNodes(assetKeys: [{path: ["marts", "dim_city"]}, {path: ["marts", "what_works"]},
    {path: ["publish"]}, {path: ["raw", "city_registry"]}]) {
      assetKey { path } freshnessStatusInfo { freshnessStatus }
      internalFreshnessPolicy { ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds } } } }"""


def test_ui_lists_the_freshness_of_marts_and_publish(webserver, build_run, test_home):
    evaluate_freshness()
    nodes = {tuple(n["assetKey"]["path"]): n for n in graphql(webserver, FRESHNESS_QUERY)["assetNodes"]}
    status = {key: (n["freshnessStatusInfo"] or {}).get("freshnessStatus") for key, n in nodes.items()}
    # Just built: passing. Raw tables follow their source files, not a clock: no policy.
    assert status == {("marts", "dim_city"): "HEALTHY", ("marts", "what_works"): "HEALTHY", ("publish",): "HEALTHY",
                      ("raw", "city_registry"): None}
    assert nodes[("publish",)]["internalFreshnessPolicy"] == {"failWindowSeconds": 14 * 86400,
                                                              "warnWindowSeconds": 7 * 86400 + 12 * 3600}

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{webserver}/assets/marts/dim_city", wait_until="networkidle")
        dismiss_welcome(page)
        page.get_by_text("Fails if more than 14 days since last materialization").wait_for(timeout=60_000)
        text = page.inner_text("body")
        page.screenshot(path=str(test_home / "ui_freshness.png"))
        browser.close()
    assert "Freshness policy\nPassing" in text


def dismiss_welcome(page) -> None:
    """The first visit shows a "Join the Dagster community" dialog; close it when it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_role("button", name="Skip").click(timeout=8_000)
    except PlaywrightTimeout:
        pass
