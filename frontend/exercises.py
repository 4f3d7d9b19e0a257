"""The exercise loop: exercises, check, watch, hint, reset, solution.

What the loop remembers lives in .workbook/ (not in git):
    .workbook/passed/NN      exercise NN passed `check` (its files' checksum)
    .workbook/hints/NN.LANG  how many hints of exercise NN were shown in LANG
    .workbook/backup/...     the work `reset` replaced
"""

import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import patches, results
from .build import build, run_build
from .project import EXERCISES, ROOT, STATE, CommandFailed, UsageError, build_dir, say

PRESET = "dev"  # the build the loop uses


def checksum(exercise):
    """One checksum of the student's files of EXERCISE."""
    digest = hashlib.sha256()
    for name in patches.work_files(ROOT / "solutions" / exercise.folder):
        mine = ROOT / "exercises" / exercise.folder / name
        digest.update(mine.read_bytes() if mine.is_file() else b"")
    return digest.hexdigest()


def has_passed(exercise):
    marker = STATE / "passed" / exercise.nn
    return marker.is_file() and marker.read_text().strip() == checksum(exercise)


def remember_pass(exercise):
    (STATE / "passed").mkdir(parents=True, exist_ok=True)
    (STATE / "passed" / exercise.nn).write_text(checksum(exercise) + "\n")


def is_pristine(exercise):
    """True if the student's files are still the untouched starter."""
    with tempfile.TemporaryDirectory() as work:
        patches.starter(exercise, Path(work))
        return all((Path(work) / name).read_bytes() ==
                   (ROOT / "exercises" / exercise.folder / name).read_bytes()
                   for name in patches.work_files(work))


def next_exercise(after=None):
    """The first exercise after AFTER (or from the start) not passed, wrapping."""
    start = EXERCISES.index(after) + 1 if after else 0
    for exercise in EXERCISES[start:] + EXERCISES[:start]:
        if not has_passed(exercise):
            return exercise
    return None


def grade_student_work(exercise):
    """Runs EXERCISE's tests on the student's build; returns the Results."""
    return results.run(results.suites(exercise), build_dir(PRESET) / "exercises",
                       ROOT / "exercises")


def check(exercise):
    """Builds EXERCISE (a build error fails the check), grades it and tells
    the story. Returns True if and only if it passes."""
    say(f"== {exercise.title}", f"Building exercises/{exercise.folder} ...")
    ok, words = run_build(PRESET, [f"exercise-{exercise.folder}"])
    if not ok:
        say(f"\nExercise {exercise.number} does not build, so it was not graded."
            " The compiler said:\n", _indent(words),
            "\nLook at the first error above: the file and line come first.")
        return False
    if "warning: " in words:
        say("It builds; the compiler warned (worth a look, they do not stop the build):",
            _indent(words))
    build(PRESET, ["exercise-tests"], "Building the grading tests")
    say("Running its tests: each starts its own servers, runs your get-poetry against them",
        "and compares what it does with what it should do.")
    found = grade_student_work(exercise)
    results.tell(found)
    if results.all_passed(found):
        remember_pass(exercise)
        _tell_done(exercise)
        return True
    say(f"\nExercise {exercise.number} is not done yet: {results.count(found)}.",
        "Read the first failure above: what ran, what was expected, what happened.",
        f"Stuck? ./workbook hint {exercise.number} gives a hint; asking again gives the next.")
    return False


def _tell_done(exercise):
    following = next_exercise(exercise)
    if following:
        say(f"\nExercise {exercise.number} done. Next: exercise {following.number},"
            f" exercises/{following.folder}/README.md (./workbook check {following.number}).")
    else:
        say(f"\nExercise {exercise.number} done. Every exercise is done.")
    say(f"Compare with the official solution: ./workbook solution {exercise.number}")


def _indent(text):
    return "\n".join("    " + line for line in text.splitlines())


def state(exercise):
    """Where the student is with EXERCISE, in words."""
    if has_passed(exercise):
        return "done"
    if not run_build(PRESET, [f"exercise-{exercise.folder}"], label=None)[0]:
        return f"does not build (./workbook check {exercise.number} shows why)"
    if is_pristine(exercise):
        return "not started"
    found = grade_student_work(exercise)
    if results.all_passed(found):
        remember_pass(exercise)
        return "done"
    return f"not yet ({results.count(found)})"


def list_all():
    """Each exercise with its state, and which is next."""
    build(PRESET, ["exercise-tests"], "Building the grading tests")
    for exercise in EXERCISES:
        title = exercise.title.split(": ", 1)[-1]
        say(f"  {exercise.number}  {exercise.folder:<26} {title:<44} {state(exercise)}")
    following = next_exercise()
    if following:
        say(f"\nNext: exercise {following.number}, exercises/{following.folder}/README.md;"
            f" ./workbook check {following.number} grades it, ./workbook watch re-grades on every save.")
    else:
        say("\nEvery exercise is done.")


def watch(exercise=None):
    """Checks on every save, on to the next exercise when one passes."""
    exercise = exercise or next_exercise()
    if exercise is None:
        say("Every exercise is done. ./workbook watch N watches exercise N all the same.")
        return
    try:
        while True:
            if check(exercise):
                exercise = next_exercise(exercise)
                if exercise is None:
                    say("Every exercise is done: nothing left to watch.")
                    return
            say(f"\nWatching exercises/{exercise.folder}/: save a change to check it."
                " Ctrl-C stops watching.")
            _wait_for_change(ROOT / "exercises" / exercise.folder)
    except KeyboardInterrupt:
        say("\nStopped watching.")


def _wait_for_change(folder):
    """Returns once a file under FOLDER is saved, created or deleted."""
    def stamp():
        return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                      for p in folder.rglob("*") if p.is_file())
    try:
        subprocess.run(["inotifywait", "-qq", "-r", "-e", "close_write,moved_to,create,delete",
                        str(folder)], check=False)
        time.sleep(0.2)  # editors save in steps: let one finish
    except FileNotFoundError:  # no inotify-tools: look once a second
        before = stamp()
        while stamp() == before:
            time.sleep(1)


def hint(exercise, lang):
    """The next hint of EXERCISE in LANG ("en" or "ko"), then how many remain."""
    name = "HINTS.ko.md" if lang == "ko" else "HINTS.md"
    sections = _sections(ROOT / "exercises" / exercise.folder / name)
    counter = STATE / "hints" / f"{exercise.nn}.{lang}"
    shown = int(counter.read_text()) if counter.is_file() else 0
    last = shown >= len(sections)
    shown = min(shown, len(sections) - 1)
    say(sections[shown].rstrip())
    counter.parent.mkdir(parents=True, exist_ok=True)
    counter.write_text(f"{shown + 1}\n")
    if last:
        say("(마지막 힌트를 다시 보여 드렸습니다. 나머지는 README.ko.md에 있습니다.)" if lang == "ko"
            else "(That was the last hint again. README.md says the rest.)")
    elif shown + 1 < len(sections):
        say(f"(힌트 {shown + 1}/{len(sections)}. 다음 힌트: ./workbook hint {exercise.number} --ko)"
            if lang == "ko" else
            f"(Hint {shown + 1} of {len(sections)}. Ask again for the next: ./workbook hint {exercise.number})")


def _sections(path):
    """The "## " sections of the Markdown file PATH, each with its heading."""
    sections = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections.append([])
        if sections:
            sections[-1].append(line)
    return ["\n".join(section) for section in sections]


def reset(exercise, yes):
    """Puts the untouched starter back, after asking; keeps the work replaced."""
    if is_pristine(exercise):
        say(f"exercises/{exercise.folder} is the untouched starter already: nothing to do.")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("reset asks before it replaces your work; without a terminal, add --yes")
        answer = input(f"Replace your work in exercises/{exercise.folder} with the untouched starter? [y/N] ")
        if answer.strip() not in ("y", "Y", "yes"):
            say("Nothing changed.")
            return
    backup = STATE / "backup" / f"{exercise.folder}-{time.strftime('%Y%m%d-%H%M%S')}"
    backup.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        patches.starter(exercise, Path(work))
        for name in patches.work_files(work):
            mine = ROOT / "exercises" / exercise.folder / name
            if mine.is_file():
                (backup / name).write_bytes(mine.read_bytes())
            mine.write_bytes((Path(work) / name).read_bytes())
    for kept in [STATE / "passed" / exercise.nn, *STATE.glob(f"hints/{exercise.nn}.*")]:
        kept.unlink(missing_ok=True)
    say(f"exercises/{exercise.folder} is the untouched starter again."
        f" Your work is kept in {backup.relative_to(ROOT)}.")


def solution(exercise, force):
    """The official solution as changes to the starter, once check N passed."""
    if not (STATE / "passed" / exercise.nn).is_file() and not force:
        raise CommandFailed(f"Exercise {exercise.number} has not passed yet: ./workbook check"
                            f" {exercise.number} first. (./workbook solution {exercise.number}"
                            " --force shows it anyway.)")
    say(f"The official solution of exercise {exercise.number}, as changes to the starter"
        f" (solutions/{exercise.folder}/README.md explains it):\n")
    with tempfile.TemporaryDirectory() as work:
        patches.starter(exercise, Path(work))
        for name in patches.work_files(work):
            subprocess.run(["diff", "-u", "--label", f"starter/{name}", "--label", f"solution/{name}",
                            str(Path(work) / name), str(ROOT / "solutions" / exercise.folder / name)],
                           check=False)
