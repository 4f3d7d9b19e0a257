#!/usr/bin/env python3
"""How many small mistakes in the official solutions the grader catches.

Each official solution is changed where a student writes (the lines its
starter.patch takes out), one change at a time: a statement left out, a
comparison turned (< and <=, > and >=, == and !=), && and || swapped, a
condition negated, true and false swapped, a whole number changed by one.
Each such mutant is built as `./workbook grade` builds a student's program
and graded by the same tests. The tests fail a mutant: caught. They pass
it: it survives, and is listed, to be read: either a mistake the grader
misses or a change that makes no difference to what the program does.

    bench/grader_mutants.py [--exercise N] [--jobs J] [--everywhere]

on the dev build. --everywhere changes every line of the solution, not only
the student's: a student may break what was given too.

Exit status: 0 done (survivors are a finding, not a failure), 2 bad
arguments.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontend import grade, patches, results  # noqa: E402
from frontend.build import build  # noqa: E402
from frontend.project import EXERCISES, CommandFailed, Exercise  # noqa: E402

PRESET = "dev"
GRADE_BOUND = 300  # seconds for one mutant's tests; a mutant that hangs is caught
SWAPS = [(" < ", " <= "), (" <= ", " < "), (" > ", " >= "), (" >= ", " > "),
         (" == ", " != "), (" != ", " == "), (" && ", " || "), (" || ", " && "),
         ("true", "false"), ("false", "true")]


@dataclass(frozen=True)
class Mutant:
    """The solution with its line LINE (from 1) replaced by TEXT, or with
    the SPAN lines from LINE on left out (TEXT None)."""

    exercise: Exercise
    line: int
    before: str
    text: str | None
    span: int = 1

    def source(self, lines):
        changed = list(lines)
        changed[self.line - 1:self.line - 1 + self.span] = [] if self.text is None else [self.text]
        return "".join(changed)

    def shown(self):
        after = f"(left out, {self.span} lines)" if self.span > 1 else \
            "(left out)" if self.text is None else f"`{self.text.strip()}`"
        return f"main.cpp:{self.line}: `{self.before.strip()}` -> {after}"


def work_lines(exercise):
    """The numbers of the lines of the solution's main.cpp that its
    starter.patch takes out: what the student writes."""
    taken, old, in_main = [], 0, False
    patch = ROOT / "solutions" / exercise.folder / "starter.patch"
    for line in patch.read_text(encoding="utf-8").splitlines():
        if line.startswith("--- "):
            in_main = line.endswith("/main.cpp")
        elif line.startswith("@@") and in_main:
            old = int(re.match(r"@@ -(\d+)", line)[1])
        elif in_main and old and not line.startswith("+++"):
            if line.startswith("-"):
                taken.append(old)
            if not line.startswith("+"):
                old += 1
    return taken


def _outside_strings(text, at):
    return text[:at].count('"') % 2 == 0


def _closing(text, opening):
    """The index of the parenthesis that closes the one at OPENING, or -1."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def mutations(text):
    """Each way of changing the line TEXT by one small mistake."""
    code = _code(text)
    for old, new in SWAPS:
        for found in re.finditer(re.escape(old) if old[0] == " " else rf"\b{old}\b", code):
            if _outside_strings(code, found.start()):
                yield text[:found.start()] + new + text[found.end():]
    for found in re.finditer(r"(?<![\w.])\d+(?![\w.])", code):
        if _outside_strings(code, found.start()):
            yield text[:found.start()] + str(int(found[0]) + 1) + text[found.end():]
    for found in re.finditer(r"\b(if|while) \(", code):
        opening = found.end() - 1
        closing = _closing(code, opening)
        if closing > 0:
            yield text[:opening + 1] + "!(" + text[opening + 1:closing] + ")" + text[closing:]


def _code(text):
    """TEXT without its comment."""
    comment = text.find("//")
    return text[:comment] if comment >= 0 and _outside_strings(text, comment) else text


def statement_span(lines, at):
    """How many lines the statement that starts at index AT takes (it ends
    with a semicolon where its parentheses close), or 0 if none does."""
    depth = 0
    for i in range(at, min(at + 8, len(lines))):
        code = _code(lines[i])
        depth += code.count("(") - code.count(")")
        if "{" in code or "}" in code:
            return 0
        if depth == 0 and code.rstrip().endswith(";"):
            return i - at + 1
    return 0


def mutants(exercise, everywhere=False):
    """Every mutant of EXERCISE's solution, in the order of its lines: of the
    lines the student writes, or of every line if EVERYWHERE."""
    lines = (ROOT / "solutions" / exercise.folder / "main.cpp").read_text(encoding="utf-8")
    lines = lines.splitlines(keepends=True)
    for number in range(1, len(lines) + 1) if everywhere else work_lines(exercise):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith(("//", "#")):
            for changed in mutations(text):
                yield Mutant(exercise, number, text, changed)
            if span := statement_span(lines, number - 1):
                yield Mutant(exercise, number, text, None, span)


def verdict(mutant, commands, scratch):
    """"caught", "survived" or "not built" for MUTANT, built and graded in SCRATCH."""
    exercise = mutant.exercise
    solution = ROOT / "solutions" / exercise.folder
    sources, programs = scratch / "sources" / exercise.folder, scratch / "programs" / exercise.folder
    sources.mkdir(parents=True)
    programs.mkdir(parents=True)
    for name in patches.work_files(solution):
        shutil.copy(solution / name, sources / name)
    lines = (solution / "main.cpp").read_text(encoding="utf-8").splitlines(keepends=True)
    (sources / "main.cpp").write_text(mutant.source(lines), encoding="utf-8")
    places = {"SOURCE": sources / "main.cpp", "OBJECT": scratch / "main.o", "PROGRAM": programs / "get-poetry"}
    for argv in commands:
        built = subprocess.run([str(places.get(a, a)) for a in argv], capture_output=True, check=False)
        if built.returncode != 0:
            return "not built"
    found = _grade(exercise, scratch)
    return "survived" if results.all_passed(found) else "caught"


def _grade(exercise, scratch):
    """The Results of EXERCISE's tests on the program in SCRATCH; a test
    program that dies or runs past GRADE_BOUND leaves none (caught)."""
    try:
        return results.run(results.suites(exercise), scratch / "programs", scratch / "sources",
                           PRESET, ["--gtest_fail_fast"], GRADE_BOUND)
    except CommandFailed:
        return []


def run(exercise, jobs, everywhere):
    """Grades every mutant of EXERCISE; returns {verdict: [Mutant]}."""
    compile_argv, link_argv = grade.ninja_commands(exercise)
    found = {"caught": [], "survived": [], "not built": []}

    def one(mutant):
        with tempfile.TemporaryDirectory(prefix="workbook-mutant-") as scratch:
            return mutant, verdict(mutant, (compile_argv, link_argv), Path(scratch))
    with ThreadPoolExecutor(jobs) as pool:
        for mutant, said in pool.map(one, mutants(exercise, everywhere)):
            found[said].append(mutant)
    return found


def main(argv):
    parser = argparse.ArgumentParser(prog="bench/grader_mutants.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercise", type=int, choices=range(1, len(EXERCISES) + 1), metavar="N")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="J")
    parser.add_argument("--everywhere", action="store_true", help="mutate every line, not only the student's")
    args = parser.parse_args(argv)
    build(PRESET, ["exercise-tests"], "Building the grading tests")
    chosen = [EXERCISES[args.exercise - 1]] if args.exercise else EXERCISES
    print("| exercise | mutants | caught | survived | not built |\n|---|---:|---:|---:|---:|", flush=True)
    survivors = []
    for exercise in chosen:
        found = run(exercise, max(1, args.jobs), args.everywhere)
        built = len(found["caught"]) + len(found["survived"])
        print(f"| {exercise.folder} | {built} | {len(found['caught'])} | {len(found['survived'])}"
              f" | {len(found['not built'])} |", flush=True)
        survivors += found["survived"]
    print("\nSurvivors:" if survivors else "\nNo mutant survived.")
    for mutant in survivors:
        print(f"- {mutant.exercise.folder}/{mutant.shown()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
