"""`python -m orchestration.build` as a data engineer runs it: a real process, here in a process
group of its own so that a SIGKILL reaches the check processes too. Its output goes to a file,
never a pipe: a killed build's orphans could hold a pipe open for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from orchestration import settings

POLL_SECONDS = 0.02
# A bound on waiting, so a build that hangs fails the test with its output instead of hanging it.
HANG_SECONDS = 900


class Build:
    def __init__(self, home: Path, env: dict[str, str], name: str) -> None:
        self.home = home
        self.logs_before = set((home / "logs").glob("*.log"))
        self._log_path: Path | None = None
        self.output_path = home.parent / f"{name}.out"
        self.started_at = time.monotonic()
        self.seconds = 0.0  # until it ended or was killed
        with self.output_path.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "orchestration.build"], cwd=settings.REPO_ROOT, env=env,
                stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def output(self) -> str:
        return self.output_path.read_text()

    @property
    def log_path(self) -> Path | None:
        """The run's log file (every Dagster event, written as it happens): the one that appeared
        while this build ran (builds of one home run one after another)."""
        if self._log_path is None:
            new = set((self.home / "logs").glob("*.log")) - self.logs_before
            assert len(new) <= 1, f"more than one new log: {new}"
            self._log_path = new.pop() if new else None
        return self._log_path

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path else ""

    def run_id(self) -> str:
        return self.log_path.stem

    def started(self, step: str) -> bool:
        return f'Started execution of step "{step}"' in self.log()

    def finished(self, step: str) -> bool:
        return f'Finished execution of step "{step}"' in self.log()

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Return once `condition` holds; the build is killed if anything else happens first."""
        deadline = time.monotonic() + HANG_SECONDS
        try:
            while not condition():
                if self.process.poll() is not None:
                    raise AssertionError(f"the build ended (exit {self.process.returncode}) before {what}:\n{self.output[-3000:]}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"no {what} after {HANG_SECONDS} s:\n{self.output[-3000:]}")
                time.sleep(POLL_SECONDS)
        except BaseException:
            self.kill()
            raise

    def kill(self) -> int:
        """SIGKILL to the whole group; returns how many live processes the group had."""
        members = group_members(self.process.pid)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the group has ended
        self.process.wait()
        self.seconds = time.monotonic() - self.started_at
        return len(members)

    def survivors(self) -> list[int]:
        """The group's processes still alive a moment after a kill (a SIGKILL takes effect at once)."""
        deadline = time.monotonic() + 10
        while group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        return group_members(self.process.pid)

    def finish(self) -> int:
        try:
            code = self.process.wait(timeout=HANG_SECONDS)
            self.seconds = time.monotonic() - self.started_at
            return code
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the build did not finish in {HANG_SECONDS} s:\n{self.output[-3000:]}") from None
        except BaseException:
            self.kill()
            raise


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
