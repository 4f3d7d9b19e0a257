"""`./workbook grade`: grades students' copies of the workbook, untouched.

Each student's work files are copied into a scratch folder of their own,
built there and graded by the same tests as `check`, each step sealed
(frontend/seal.py). The verdicts come from the test program's JSON report,
written where the student's code cannot write; a missing or late report, a
build that ran out of limits, a refused source: "error", never "pass".
results.json (Exercism's format, version 3) is written here, from the
report, with every message cut to size.
"""

import json
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

from . import patches, results, seal
from .build import build
from .project import EXERCISES, ROOT, CommandFailed, UsageError, build_dir, printable, say

PRESET = "dev"
CELL = 34  # characters of a table cell
MESSAGE = 16 << 10  # characters of one test's message in results.json
REACHES_OUT = re.compile(r'^\s*#\s*(include|include_next|embed)\s*[<"]\s*(/|[^">]*\.\.)', re.M)


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


def copy_work(exercise, folder, sources):
    """Copies the student's files of EXERCISE into SOURCES; returns why they
    are refused (a link out of the folder, an include of a path outside it),
    or None."""
    sources.mkdir(parents=True)
    for name in patches.work_files(ROOT / "solutions" / exercise.folder):
        mine = folder / exercise.folder / name
        if mine.is_symlink() or (mine.exists() and not mine.is_file()):
            return f"{name} is a link or not a file: only plain files are graded"
        if not mine.is_file():
            continue
        text = mine.read_bytes()
        if name == "main.cpp" and (found := REACHES_OUT.search(text.decode("utf-8", "replace"))):
            return f"main.cpp includes a file outside the exercise: {found[0].strip()[:80]}"
        (sources / name).write_bytes(text)
    return None


class Grader:
    """Grades students one after the other, with one kit of ours."""

    def __init__(self, kit, sealed):
        self.kit = kit
        self.sealed = sealed
        self.kit_paths = seal.make_kit(kit, PRESET, EXERCISES) if sealed else []
        self.commands = {e: ninja_commands(e) for e in EXERCISES}

    def sandbox(self, argv, readonly, writable, env=None):
        if not self.sealed:
            return [*map(str, argv)], dict(os.environ, **{k: str(v) for k, v in (env or {}).items()})
        return seal.command(self.kit, self.kit_paths, readonly, writable, argv, env or {}), None

    def build_one(self, exercise, scratch):
        """Builds the student's EXERCISE in SCRATCH; returns None, or the
        verdict ("does not build" or "error") and its words."""
        out = scratch / "build" / exercise.folder
        out.mkdir(parents=True)
        seal.give_to_sandbox(out)
        compile_argv, link_argv = self.commands[exercise]
        substitute = {"SOURCE": scratch / "sources" / exercise.folder / "main.cpp",
                      "OBJECT": out / "main.o", "PROGRAM": out / "get-poetry"}
        for argv in (compile_argv, link_argv):
            argv = [str(substitute.get(a, a)) for a in argv]
            command, env = self.sandbox(argv, [scratch / "sources"], [out])
            status = _run(command, env, out / "build.log")
            words = (out / "build.log").read_text("utf-8", "replace")[:MESSAGE]
            if status is None:
                return "error", "the build ran out of time"
            if words.startswith("bwrap: "):  # the sandbox, not the student's code
                return "error", "the sandbox could not start: " + words
            if status != 0:
                return "does not build", words
        return None

    def test_one(self, exercise, scratch):
        """Runs EXERCISE's tests on the student's program; returns the
        Results, or a string that says why there are none."""
        report = scratch / "report" / exercise.folder
        report.mkdir(parents=True)
        seal.give_to_sandbox(report)
        argv = [results.test_program(PRESET), f"--gtest_filter={results.suites(exercise)}",
                f"--gtest_output=json:{report / 'report.json'}", "--gtest_color=no"]
        env = {"EXERCISE_PROGRAMS": scratch / "programs", "EXERCISE_SOURCES": scratch / "sources"}
        command, full_env = self.sandbox(argv, [scratch / "programs", scratch / "sources",
                                                scratch / "build"], [report], env)
        status = _run(command, full_env, report / "tests.log")
        if status is None:
            return f"the tests took longer than {seal.LIMITS['wall seconds per exercise']} s"
        try:
            return results.read_report((report / "report.json").read_text("utf-8", "replace"))
        except (OSError, ValueError, KeyError):
            return f"the tests did not run to the end (exit status {status})"

    def grade_one(self, folder, out):
        """Grades the student FOLDER; writes OUT/results.json; returns the cells."""
        verdicts = {}
        with tempfile.TemporaryDirectory(prefix="workbook-student-") as scratch:
            scratch = Path(scratch)
            os.chmod(scratch, 0o755)
            for exercise in EXERCISES:
                verdicts[exercise] = self.verdict(exercise, folder, scratch)
        write_results(out, verdicts)
        return [_cell(v) for v in verdicts.values()]

    def verdict(self, exercise, folder, scratch):
        """("pass"|"fail"|"error"|"does not build", Results or message)."""
        refused = copy_work(exercise, folder, scratch / "sources" / exercise.folder)
        if refused:
            return "error", refused
        failed = self.build_one(exercise, scratch)
        if failed:
            return failed
        programs = scratch / "programs" / exercise.folder
        programs.mkdir(parents=True)
        program = scratch / "build" / exercise.folder / "get-poetry"
        (programs / "get-poetry").write_text(seal.inner_wrapper(program) if self.sealed
                                             else f"#!/bin/sh\nexec {shlex.quote(str(program))} \"$@\"\n")
        os.chmod(programs / "get-poetry", 0o755)
        found = self.test_one(exercise, scratch)
        if isinstance(found, str):
            return "error", found
        if not found:
            return "error", "no test ran"
        return ("pass" if results.all_passed(found) else "fail"), found


def ninja_commands(exercise):
    """The compile and link commands of grade-NN, with SOURCE, OBJECT and
    PROGRAM where the student's file, object and program go."""
    build = build_dir(PRESET)
    listed = subprocess.run(["ninja", "-C", str(build), "-t", "commands", f"grade-{exercise.nn}"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    source = f"grade/sources/{exercise.folder}/main.cpp"
    compile_argv = shlex.split(next(line for line in listed if source in line and " -c " in line))
    link_argv = shlex.split(listed[-1].removeprefix(": && ").removesuffix(" && :"))
    return _rewrite(compile_argv, build), _rewrite(link_argv, build)


def _rewrite(argv, build):
    """ARGV with the depfile options dropped, our paths made absolute and the
    student's made placeholders."""
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in ("-MT", "-MF"):
            skip = True
        elif arg == "-MD":
            continue
        elif i and argv[i - 1] == "-o":
            out.append("OBJECT" if arg.endswith(".o") else "PROGRAM")
        elif arg.endswith("main.cpp.o"):
            out.append("OBJECT")
        elif arg.endswith("main.cpp"):
            out.append("SOURCE")
        else:
            out.append(str(build / arg) if not arg.startswith(("-", "/")) and (build / arg).exists() else arg)
    return out


def _run(command, env, log):
    """Runs COMMAND, sealed (ENV None) or not; its exit status, None if late."""
    if env is None:
        return seal.run(command, log)
    with open(log, "wb") as out:
        try:
            return subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=seal.LIMITS["wall seconds per exercise"], check=False).returncode
        except subprocess.TimeoutExpired:
            return None


def _cell(verdict):
    """The table cell of a verdict: pass, fail: TEST, does not build, error: WHY."""
    kind, detail = verdict
    if kind == "fail":
        return "fail: " + next(r.name.split(".", 1)[1] for r in detail if not r.passed)
    if kind == "error":
        return "error: " + detail.splitlines()[0] if detail else "error"
    return kind


def write_results(out, verdicts):
    """OUT/results.json, Exercism's format (version 3), from the VERDICTS."""
    tests, kinds = [], {kind for kind, _ in verdicts.values()}
    for exercise, (kind, detail) in verdicts.items():
        if isinstance(detail, str):
            status = "error" if kind == "error" else "fail"
            tests.append({"name": f"Exercise{exercise.nn}", "status": status, "message": detail[:MESSAGE]})
        else:
            tests += [{"name": r.name, "status": "pass" if r.passed else "fail",
                       "message": None if r.passed else r.story[:MESSAGE]} for r in detail]
    status = "error" if "error" in kinds else "pass" if kinds == {"pass"} else "fail"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"version": 3, "status": status, "tests": tests},
                                                 ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def grade(paths, out, unsealed=False):
    """Grades each student folder of PATHS into OUT; prints a table."""
    folders = [exercises_folder(Path(p)) for p in paths]  # all checked first
    if not unsealed and (reason := seal.check_bwrap()):
        raise CommandFailed(f"workbook: grade: {reason}; ./workbook grade --unsealed grades"
                            " without the sandbox (only for code you trust)")
    build(PRESET, ["exercise-tests"], "Building the grading tests")
    with tempfile.TemporaryDirectory(prefix="workbook-kit-") as kit:
        grader = Grader(Path(kit), not unsealed)
        say(f"{'student':<16}" + "".join(f" | {'exercise ' + str(e.number):<{CELL}}" for e in EXERCISES))
        for folder, name in zip(folders, student_names(folders)):
            cells = grader.grade_one(folder, Path(out) / name)
            say(f"{printable(name)[:16]:<16}" + "".join(f" | {printable(c)[:CELL]:<{CELL}}" for c in cells))
    say("\nResults, one results.json per student (Exercism test runner format, version 3):"
        f" {os.path.join(out, 'STUDENT', 'results.json')}")

