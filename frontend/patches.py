"""The starters and wrong solutions, kept as patches of the official solutions:

    solutions/NN-name/starter.patch     the solution -> the untouched starter
    solutions/NN-name/wrong/NAME.patch  the solution -> a plausible mistake;
                                        its first line says which

`./workbook reset N` rebuilds a starter from them; CI builds every variant
and grades it (tests/exercises/CMakeLists.txt). For maintainers:
`./workbook patches refresh` rewrites every starter.patch after a starter in
exercises/ was edited; `./workbook patches check` says whether each starter
is its solution plus starter.patch and every wrong patch applies.
"""

import difflib
import subprocess
import tempfile
from pathlib import Path

from .project import EXERCISES, ROOT, CommandFailed, say

WORK_FILES = ("main.cpp", "answers.txt")  # what a student edits


def work_files(folder):
    """The student's files that FOLDER holds, by name."""
    return [name for name in WORK_FILES if (Path(folder) / name).is_file()]


def variant(exercise, patch, dest):
    """Writes into DEST the work files as PATCH makes them from the solution."""
    solution = ROOT / "solutions" / exercise.folder
    dest.mkdir(parents=True, exist_ok=True)
    for name in work_files(solution):
        (dest / name).write_bytes((solution / name).read_bytes())
    applied = subprocess.run(
        ["patch", "--quiet", "--forward", "--no-backup-if-mismatch", "-p1",
         "-d", str(dest), "-i", str(Path(patch).resolve())],
        capture_output=True, check=False)
    if applied.returncode != 0:
        raise CommandFailed(f"{Path(patch).relative_to(ROOT)} does not apply to {solution.relative_to(ROOT)}")


def starter(exercise, dest):
    """The untouched starter of EXERCISE, written into DEST."""
    variant(exercise, ROOT / "solutions" / exercise.folder / "starter.patch", dest)


def refresh():
    """Rewrites each starter.patch from exercises/: the solution -> the starter."""
    for exercise in EXERCISES:
        solution = ROOT / "solutions" / exercise.folder
        lines = [f"The untouched starter of exercise {exercise.nn}: the solution with the work taken out.\n"]
        for name in work_files(solution):
            before = (solution / name).read_text(encoding="utf-8").splitlines(keepends=True)
            after = (ROOT / "exercises" / exercise.folder / name).read_text(
                encoding="utf-8").splitlines(keepends=True)
            lines += difflib.unified_diff(before, after, f"a/{name}", f"b/{name}")
        (solution / "starter.patch").write_text("".join(lines), encoding="utf-8")
        say(f"rewrote solutions/{exercise.folder}/starter.patch")


def check():
    """Every starter is its solution plus starter.patch; every wrong patch applies."""
    problems = []
    for exercise in EXERCISES:
        with tempfile.TemporaryDirectory() as work:
            problems += _check_exercise(exercise, Path(work))
    for problem in problems:
        say(problem)
    if problems:
        raise CommandFailed()
    say("Every starter and wrong-solution patch is in order.")


def _check_exercise(exercise, work):
    problems = []
    try:
        starter(exercise, work / "starter")
        for name in work_files(work / "starter"):
            mine = ROOT / "exercises" / exercise.folder / name
            if not mine.is_file() or mine.read_bytes() != (work / "starter" / name).read_bytes():
                problems.append(f"exercises/{exercise.folder}/{name} is not the solution plus"
                                " starter.patch (./workbook patches refresh rewrites the patch)")
    except CommandFailed as failed:
        problems.append(str(failed))
    for index, patch in enumerate(sorted((ROOT / "solutions" / exercise.folder).glob("wrong/*.patch"))):
        try:
            variant(exercise, patch, work / f"wrong{index}")
        except CommandFailed as failed:
            problems.append(str(failed))
    return problems
