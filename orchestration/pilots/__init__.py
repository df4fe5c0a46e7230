"""Pilot programs: the data contract cities upload to, their landing zone, residents'
privacy, the bundled synthetic pilots, and the Dagster assets and sensor that load them."""
