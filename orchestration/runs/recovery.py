"""Runs whose process is gone: killed, out of memory, or the machine restarted mid-run.

Only a run's own process marks it finished, so such a run stays "started" in the Dagster
instance, and the `build_file` pool slot its step held stays taken: every later run would wait
for it ("Step blocked by limit for pool build_file") for ever. A build first marks each such run
failed and frees its slots.

A run's process is the one that logged its start. The instance keeps its state under
MOBILITY_HOME, so that process id means a process on this machine.
"""

import os
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

UNFINISHED = [DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
# A process's start time read from /proc rests on the boot time, kept in whole seconds and moved
# by clock adjustments: a live run's process must never look younger than its run.
CLOCK_SLACK_SECONDS = 60


def fail_abandoned_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed every unfinished run whose process has gone, and free its pool slots.
    Returns one line per run, for the build's output."""
    lines = []
    for run in instance.get_runs(RunsFilter(statuses=UNFINISHED)):
        started = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.RUN_START, limit=1).records
        if not started:
            continue  # never started: it holds no slot
        entry = started[0].event_log_entry
        pid = entry.dagster_event.pid
        if pid is None or process_running(pid, since=entry.timestamp):
            continue
        message = f"Run {run.run_id[:8]} stopped without finishing: its process ({pid}) is gone."
        instance.report_run_failed(run, message=message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        lines.append(f"{message} Marked failed; its pool slots are free.")
    return lines


def process_running(pid: int, since: float) -> bool:
    """Whether `pid` is a live process started no later than `since` (epoch seconds): a newer
    process with that id is another program, and a zombie has exited."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    if not Path("/proc/self").exists():
        return True  # no /proc (macOS): that it exists is all we can tell
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False  # it exited meanwhile
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    state, start_ticks = fields[0], int(fields[19])
    started = boot_time() + start_ticks / os.sysconf("SC_CLK_TCK")
    return state != "Z" and started <= since + CLOCK_SLACK_SECONDS


def boot_time() -> int:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return int(line.split()[1])
    raise RuntimeError("/proc/stat has no btime line")
