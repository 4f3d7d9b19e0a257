#!/usr/bin/env python3
"""The figures of the reactor at work are drawn from real runs, never by hand.

Records client 1.0, client 2.0 and exercise 4's solution with REACTOR_TRACE, checks
that each run has the shape the pages describe (trace-chart --check), and
draws the figures from them as mscgen charts, which Doxygen embeds
(\\mscfile). Run by the docs build and by the test docs-figures-from-real-runs.

Usage: docs/record-figures.py BUILD_DIR OUT_DIR
Exit status: 0 done, 1 a run failed or broke the shape, 2 bad arguments.
"""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from frontend.project import stage  # noqa: E402 (after the path is set)
from frontend.servers import record_run  # noqa: E402

RUNS = {"client1": ("part04-client1", ["poetry/small-hours.txt", "poetry/patient-socket.txt"]),
        "client2": ("part05-client2", ["poetry/small-hours.txt", "poetry/patient-socket.txt"]),
        "connection-lost": ("solutions/04-connection-lost-stack", ["poetry/small-hours.txt"])}
FIGURES = {"client1_loop": ("client1", ["--turns", "8"]),
           "reactor_loop": ("client2", ["--turns", "8"]),
           "born": ("client2", ["--part", "born"]),
           "meets": ("client2", ["--part", "meets"]),
           "data_received": ("client2", ["--part", "data"]),
           "connection_lost": ("connection-lost", ["--part", "lost"])}


def main(build, out):
    chart = str(build / "trace-chart/trace-chart")
    for name, (folder, poems) in RUNS.items():
        trace = out / f"{name}.json"
        if record_run(build, stage(folder), trace, poems) != 0:
            sys.stderr.write(f"record-figures: {folder} failed; its output:\n"
                             + trace.with_suffix(".log").read_text(errors="replace"))
            return 1
        if subprocess.run([chart, "--check", str(trace)], check=False).returncode != 0:
            return 1
    for name, (run, flags) in FIGURES.items():
        drawn = subprocess.run([chart, *flags, str(out / f"{run}.json")], capture_output=True,
                               text=True, check=False)
        if drawn.returncode != 0:
            sys.stderr.write(drawn.stderr)
            return 1
        (out / f"{name}.msc").write_text(drawn.stdout, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: docs/record-figures.py BUILD_DIR OUT_DIR")
    (folder := Path(sys.argv[2]).resolve()).mkdir(parents=True, exist_ok=True)
    sys.exit(main(Path(sys.argv[1]).resolve(), folder))
