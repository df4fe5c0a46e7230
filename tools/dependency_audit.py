#!/usr/bin/env python3
"""Known vulnerabilities in the installed packages, from pip-audit and PyPI's vulnerability data.

Run by `make test` beside the tests (and by `make audit`). Exits 1 when a vulnerability is known
for an installed release. When pip-audit cannot reach its data (no network, or a package index
that answers only for whole projects, not for one release), it says that nothing was audited,
and why, and exits 0: the tests' result stands.
"""

import json
import subprocess
import sys

PIP_AUDIT = [sys.executable, "-m", "pip_audit", "--local", "--format", "json", "--progress-spinner", "off"]


def main() -> int:
    done = subprocess.run(PIP_AUDIT, capture_output=True, text=True, timeout=900)
    try:
        dependencies = json.loads(done.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:300]
        print(f"dependency audit: NOT RUN: pip-audit failed before auditing anything ({reason})")
        return 0
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        first = skipped[0]["skip_reason"] if skipped else "no packages listed"
        print(f"dependency audit: NOT RUN: pip-audit found none of the {len(skipped)} installed packages in its "
              f"vulnerability service, so nothing was audited (first: {first}). It asks PyPI's JSON API for "
              "each release (pypi.org/pypi/<name>/<version>/json); a mirror or proxy without it gives this.")
        return 0
    vulnerable = [d for d in audited if d["vulns"]]
    for d in vulnerable:
        for vuln in d["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fixed release yet"
            print(f"dependency audit: {d['name']} {d['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"dependency audit: {len(audited)} packages audited, {len(vulnerable)} with known vulnerabilities"
          + (f"; {len(skipped)} not audited ({', '.join(d['name'] for d in skipped[:5])} ...)" if skipped else ""))
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
