#!/usr/bin/env python3
"""How fast each fuzzer's coverage grows, from an empty corpus as in a
fresh build: the edges (cov) and features (ft) libFuzzer reports by 1, 2,
5, 10, 15, 20 and 30 s. It says how long each fuzz test needs to run
(fuzz/CMakeLists.txt). Two fuzzers at a time, one per core.

    bench/fuzz_coverage.py [BUILD_DIR]      (default build/asan)
"""

import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKS = (1, 2, 5, 10, 15, 20, 30)
FUZZERS = ("arguments", "utf8", "reactor", "stack", "tracechart", "tracejson")


def growth(build, name):
    """NAME's (cov, ft) at each of MARKS seconds, from an empty corpus."""
    with tempfile.TemporaryDirectory() as corpus:
        started = time.monotonic()
        seen = {}
        with subprocess.Popen([str(build / "fuzz" / f"fuzz-{name}"), f"-max_total_time={MARKS[-1]}",
                               "-rss_limit_mb=2048", "-timeout=10", corpus, str(ROOT / "fuzz" / "corpus" / name)],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                              errors="replace") as fuzzer:
            for line in fuzzer.stderr:
                found = re.search(r"cov: (\d+) ft: (\d+)", line)
                if found:
                    seen[time.monotonic() - started] = f"{found[1]}/{found[2]}"
    at = [max((t for t in seen if t <= mark), default=None) for mark in MARKS]
    return [seen[t] if t is not None else "-" for t in at]


def main():
    build = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "asan"
    with ThreadPoolExecutor(2) as pool:
        rows = list(pool.map(lambda name: (name, growth(build, name)), FUZZERS))
    print("| fuzzer | " + " | ".join(f"{m} s" for m in MARKS) + " |")
    print("|---" * (len(MARKS) + 1) + "|")
    for name, cells in rows:
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
