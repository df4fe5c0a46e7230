"""A run's process is told alive or gone from its id and the run's start time.

Marking a killed build's run failed, and freeing its pool slot, is tested end to end with real
killed builds in test_crash_safety.py."""

import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.runs.recovery import process_running


def test_a_live_process_that_started_the_run_is_running():
    assert process_running(os.getpid(), since=time.time())


def test_a_process_younger_than_the_run_is_another_program_with_its_id():
    assert not process_running(os.getpid(), since=time.time() - 3600)


def test_an_exited_process_is_gone():
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    assert not process_running(int(done.stdout), since=time.time())


def test_a_killed_process_not_yet_reaped_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        child.kill()
        stat = Path(f"/proc/{child.pid}/stat")
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":  # dead, still in the process table
            time.sleep(0.01)
        assert not process_running(child.pid, since=time.time())
    finally:
        child.wait()
