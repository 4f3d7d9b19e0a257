"""`./workbook grade`: grades students' copies of the workbook, untouched.

Each student's work files are copied into build/dev/grade/sources, built
there (targets grade-NN) and graded by the same tests as `check`. The
verdicts come from the test program's JSON report; a student whose tests
left no report gets "error" in every cell, never "pass".
"""

import json
import os
import shutil
from pathlib import Path

from . import patches, results
from .build import build, run_build
from .project import EXERCISES, ROOT, CommandFailed, UsageError, build_dir, say

PRESET = "dev"
GRADE = build_dir(PRESET) / "grade"
CELL = 34  # characters of a table cell


def exercises_folder(path):
    """PATH's exercises/ folder (or PATH itself if it is one); a usage error
    if it is not a copy of the workbook."""
    folder = path / "exercises" if (path / "exercises").is_dir() else path
    for exercise in EXERCISES:
        if not (folder / exercise.folder / "main.cpp").is_file():
            raise UsageError(f"{path} is not a copy of the workbook: there is no"
                             f" exercises/{exercise.folder}/main.cpp in it")
    return folder.resolve()


def student_names(folders):
    """A folder name for each student, unique even when base names clash."""
    names, taken = [], set()
    for folder in folders:
        base = folder.parent.name if folder.name == "exercises" else folder.name
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        names.append(name)
    return names


def build_student(folder):
    """Copies FOLDER's work into the grading sources and builds each exercise;
    a build that fails leaves the compiler's words as build-error.txt."""
    shutil.rmtree(GRADE / "sources", ignore_errors=True)
    shutil.rmtree(GRADE / "programs", ignore_errors=True)
    for exercise in EXERCISES:
        sources = GRADE / "sources" / exercise.folder
        programs = GRADE / "programs" / exercise.folder
        sources.mkdir(parents=True)
        programs.mkdir(parents=True)
        for name in patches.work_files(ROOT / "solutions" / exercise.folder):
            if (folder / exercise.folder / name).is_file():
                shutil.copyfile(folder / exercise.folder / name, sources / name)
        ok, words = run_build(PRESET, [f"grade-{exercise.nn}"], label=None)
        if not ok:
            (programs / "build-error.txt").write_text(words, encoding="utf-8")


def grade_one(folder, out):
    """Grades one student's FOLDER; writes OUT/results.json. Returns the cells."""
    build_student(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").unlink(missing_ok=True)
    try:
        found = results.run("Exercise*", GRADE / "programs", GRADE / "sources",
                            {"EXERCISM_RESULTS": str(out / "results.json")})
    except CommandFailed:
        found = None
    if found is None or not (out / "results.json").is_file():
        (out / "results.json").write_text(json.dumps(
            {"version": 3, "status": "error", "message": "the tests did not run to the end"}) + "\n")
    return [_cell(exercise, found) for exercise in EXERCISES]


def _cell(exercise, found):
    """The table cell of EXERCISE: pass, fail: TEST, does not build, error."""
    if (GRADE / "programs" / exercise.folder / "build-error.txt").is_file():
        return "does not build"
    if found is None:
        return "error: the tests did not finish"
    mine = [r for r in found if r.name.startswith(f"Exercise{exercise.nn}")]
    failed = [r.name.split(".", 1)[1] for r in mine if not r.passed]
    return f"fail: {failed[0]}" if failed else "pass" if mine else "error: no test ran"


def grade(paths, out):
    """Grades each student folder of PATHS into OUT; prints a table."""
    folders = [exercises_folder(Path(p)) for p in paths]  # all checked first
    build(PRESET, ["exercise-tests"], "Building the grading tests")
    say(f"{'student':<16}" + "".join(f" | {'exercise ' + str(e.number):<{CELL}}" for e in EXERCISES))
    for folder, name in zip(folders, student_names(folders)):
        cells = grade_one(folder, Path(out) / name)
        say(f"{_printable(name)[:16]:<16}" + "".join(f" | {c[:CELL]:<{CELL}}" for c in cells))
    say("\nResults, one results.json per student (Exercism test runner format, version 3):"
        f" {os.path.join(out, 'STUDENT', 'results.json')}")


def _printable(text):
    """TEXT with control characters shown as escapes, for a table."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)

