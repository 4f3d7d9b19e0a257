"""Grades two wrong solutions whose output once knocked the grader over, and
checks what the front end will read: googletest's JSON report.

- 02-prints-the-last-byte-of-each-read prints invalid UTF-8 (half a Korean
  character): the report must be valid UTF-8, with the bytes shown escaped
  (\\xNN) in the failure messages;
- 01-a-100-KB-line-above-the-report prints one line of 100 KB: the test program
  must not crash, and the messages must show the line cut, not whole.

Both must fail, never pass. Usage: report_survives_output.py TEST_PROGRAM VARIANTS_DIR
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = [
    ("02-prints-the-last-byte-of-each-read", "Exercise02*", "\\x"),
    ("01-a-100-KB-line-above-the-report", "Exercise01*", "bytes in all)"),
]


def check(program, variants, variant, filter_, shown):
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        env = dict(os.environ,
                   EXERCISE_PROGRAMS=str(variants / variant / "programs"),
                   EXERCISE_SOURCES=str(variants / variant / "sources"))
        ran = subprocess.run([program, f"--gtest_filter={filter_}",
                              f"--gtest_output=json:{report}"],
                             env=env, capture_output=True, check=False)
        if ran.returncode not in (0, 1):
            return f"{variant}: the test program ended with status {ran.returncode}"
        if not report.exists():
            return f"{variant}: no report"
        data = report.read_bytes()
        try:
            text = data.decode("utf-8")  # strict: a raw invalid byte fails here
        except UnicodeDecodeError as e:
            return f"{variant}: the report is not valid UTF-8: {e}"
        failures = [f["failure"] for suite in json.loads(text)["testsuites"]
                    for test in suite["testsuite"] for f in test.get("failures", [])]
        if not failures:
            return f"{variant}: no test failed"
        if not any(shown in f for f in failures):
            return f"{variant}: no failure message shows {shown!r}"
        if max(len(f) for f in failures) > 60000:
            return f"{variant}: a failure message carries the whole long line"
    return None


def main():
    program, variants = sys.argv[1], Path(sys.argv[2])
    problems = [p for case in CASES if (p := check(program, variants, *case))]
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
