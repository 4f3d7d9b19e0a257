"""Running the exercises' grading tests and reading what they found.

The test program (tests/exercises/ExerciseTest.cpp) writes its results as
googletest's JSON report; nothing here reads its text output. A run that
leaves no report (the program died, or was killed) is an error, never a
pass.
"""

import json
import os
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .project import CommandFailed, build_dir

WHERE = re.compile(r"^\S+:\d+\n(Failed\n)?")  # "file:line" and ADD_FAILURE's "Failed"


@dataclass
class Result:
    """One test: its name, whether it passed, and its story if not."""

    name: str
    passed: bool
    story: str = ""


def test_program(preset="dev"):
    return build_dir(preset) / "tests/exercises/exercise-tests"


def suites(exercise):
    """The googletest filter of EXERCISE's tests, its guards included."""
    return f"Exercise{exercise.nn}.*:Exercise{exercise.nn}Guard.*"


def run(tests, programs, sources, preset="dev", options=(), bound=None):
    """Runs the TESTS (a googletest filter) on the programs under PROGRAMS
    (sources under SOURCES), with more googletest OPTIONS; returns the
    Results in order. Raises CommandFailed when the test program left no
    report, or ran past BOUND seconds (then it is stopped, with all it
    started, as on Ctrl-C)."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        env = dict(os.environ, EXERCISE_PROGRAMS=str(programs), EXERCISE_SOURCES=str(sources))
        argv = [str(test_program(preset)), f"--gtest_filter={tests}",
                f"--gtest_output=json:{report}", "--gtest_color=no", *options]
        try:
            status, said = _run_all(argv, env, bound)
        except subprocess.TimeoutExpired:
            raise CommandFailed(f"the tests took longer than {bound} s") from None
        if not report.exists():
            raise CommandFailed(f"the tests did not run to the end (exit status {status});"
                                f" their last words:\n{said}")
        return read_report(report.read_text(encoding="utf-8", errors="replace"))


def _run_all(argv, env, bound):
    """(exit status, the last of its output) of ARGV, in a session of its
    own, so that when it is late or interrupted everything it started
    (servers, the program graded) is stopped with it."""
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", start_new_session=True) as running:
        try:
            out, err = running.communicate(timeout=bound)
        except BaseException:  # late, or Ctrl-C
            os.killpg(running.pid, signal.SIGKILL)
            running.communicate()
            raise
    return running.returncode, out[-2000:] + err[-2000:]


def read_report(text):
    """The Results in googletest's JSON report TEXT (skipped tests left out)."""
    results = []
    for suite in json.loads(text).get("testsuites", []):
        for test in suite.get("testsuite", []):
            if test.get("result") == "SKIPPED":
                continue
            failures = [WHERE.sub("", f.get("failure", "")) for f in test.get("failures", [])]
            name = f"{suite['name']}.{test['name']}"
            results.append(Result(name, not failures, "\n".join(failures)))
    return results


def tell(results):
    """Prints each test, each failure with its story, indented."""
    for result in results:
        if result.passed:
            print(f"  passes: {result.name}")
        else:
            story = "\n".join("    " + line for line in result.story.rstrip().splitlines())
            print(f"\n  FAILS:  {result.name}\n{story}\n")


def all_passed(results):
    return bool(results) and all(r.passed for r in results)


def count(results):
    """'3 of 5 tests pass'."""
    return f"{sum(r.passed for r in results)} of {len(results)} tests pass"
