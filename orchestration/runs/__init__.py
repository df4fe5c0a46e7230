"""How runs start, execute, show their progress and recover: jobs, schedules and sensors, the
build's step lines, and the local Dagster instance."""
