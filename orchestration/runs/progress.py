"""What `make warehouse` prints: one line per step as it finishes, and on failure what broke.

Every event still goes to the Dagster run (the UI) and, in full, to a log file.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterEventType, Field, String, logger

SHOW_TRACEBACK = "MOBILITY_TRACEBACK"  # set to 1 for the full traceback of a failed step


@dataclass
class StepTally:
    assets: int = 0  # materialized
    rows: int = 0
    checks: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class Problem:
    step: str
    text: str  # what broke: rule, file, row or column, value


class Progress(logging.Handler):
    """Turns the run's events into one line per finished step, and keeps what failed or warned."""

    def __init__(self, stream=None) -> None:
        super().__init__(logging.DEBUG)
        self.stream = stream or sys.stdout
        self.steps: dict[str, StepTally] = defaultdict(StepTally)
        self.failures: list[Problem] = []
        self.warnings: list[Problem] = []

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None or event.step_key is None:
            return
        tally = self.steps[event.step_key]
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            tally.assets += 1
            rows = event.event_specific_data.materialization.metadata.get("dagster/row_count")
            tally.rows += rows.value if rows is not None else 0
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            self.check(event.step_key, tally, event.event_specific_data)
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            shown = error.to_string() if os.environ.get(SHOW_TRACEBACK) else failure_text(error)
            self.failures.append(Problem(event.step_key, shown))
            self.line(event.step_key, tally, "FAILED")
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self.line(event.step_key, tally, f"{event.event_specific_data.duration_ms / 1000:.1f} s")

    def check(self, step: str, tally: StepTally, evaluation) -> None:
        if evaluation.passed:
            tally.checks["passed"] += 1
            return
        blocking = evaluation.severity.value == "ERROR"
        tally.checks["failed" if blocking else "warned"] += 1
        metadata = evaluation.metadata
        declared = metadata.get("declared_in")
        lines = [f"{evaluation.asset_key.to_user_string()}: {evaluation.description or 'check failed'}"]
        lines += [f"  declared in {declared.value}"] if declared else []
        (self.failures if blocking else self.warnings).append(Problem(step, "\n".join(lines)))

    def line(self, step: str, tally: StepTally, outcome: str) -> None:
        parts = [f"{step:<28}", f"{outcome:>8}"]
        if tally.assets:
            parts.append(f"{tally.assets:>3} assets" + (f" {tally.rows:>11,} rows" if tally.rows else ""))
        if tally.checks:
            parts.append("checks: " + ", ".join(f"{n} {kind}" for kind, n in tally.checks.items()))
        print("  " + "   ".join(parts), file=self.stream, flush=True)

    def logger_def(self):
        """A Dagster logger: every event to `log_file`, and to this handler."""

        @logger(config_schema={"log_file": Field(String)}, description="Step lines on stdout, every event to a file.")
        def progress_logger(init_context) -> logging.Logger:
            log = logging.getLogger(f"mobility.build.{id(self)}")
            log.setLevel(logging.DEBUG)
            log.propagate = False
            to_file = logging.FileHandler(init_context.logger_config["log_file"], encoding="utf-8")
            to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.handlers = [to_file, self]
            return log

        return progress_logger

    def report(self, log_file: Path) -> None:
        """After the run: what failed (or warned), and where the whole story is."""
        for title, problems in (("Failed", self.failures), ("Warnings (not blocking)", self.warnings)):
            if problems:
                print(f"\n{title}:", file=self.stream)
                for problem in problems:
                    print(f"- [{problem.step}] " + problem.text.replace("\n", "\n  "), file=self.stream)
        print(f"\nFull log: {log_file}", file=self.stream)


def failure_text(error) -> str:
    """The step's own message (it names the file, row or column, and rule), without the traceback."""
    while error.cause is not None and error.cls_name in ("DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"):
        error = error.cause
    return error.message.strip()


