"""The workbook as the front end sees it: where things are, and stages.json.

Every path here is absolute, so a command means the same whatever folder it
was started from; paths a person types are taken from their shell's folder.
"""

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the exercise loop remembers (not in git); tests point it elsewhere.
STATE = Path(os.environ.get("WORKBOOK_STATE", ROOT / ".workbook"))


class UsageError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


class CommandFailed(Exception):
    """A step failed and has said why: exit status 1 (or the one given)."""

    def __init__(self, message="", status=1):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Stage:
    """A program of the course: its folder, CMake target and program file."""

    folder: str
    part: int
    target: str
    program: str
    not_linted: str = ""  # why the linters leave it out, if they do

    def binary(self, build):
        return Path(build) / self.folder / self.program


@dataclass(frozen=True)
class Exercise:
    """An exercise: exercises/FOLDER is the student's, solutions/FOLDER ours."""

    folder: str
    part: int

    @property
    def number(self):
        return int(self.folder.split("-", 1)[0])

    @property
    def nn(self):
        return self.folder.split("-", 1)[0]

    @property
    def title(self):
        readme = ROOT / "exercises" / self.folder / "README.md"
        return readme.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")

    def as_stage(self, kind):
        """The exercise's program as a stage: kind is "exercise" or "solution"."""
        folder = f"{kind}s/{self.folder}"
        return Stage(folder, self.part, f"{kind}-{self.folder}", "get-poetry")


def _manifest():
    return json.loads((ROOT / "stages.json").read_text(encoding="utf-8"))


MANIFEST = _manifest()
EXERCISES = [Exercise(e["folder"], e["part"]) for e in MANIFEST["exercises"]]
STAGES = [Stage(**s) for s in MANIFEST["stages"]] + [
    e.as_stage(kind) for kind in ("solution", "exercise") for e in EXERCISES
]


def stage(name):
    """The stage named by its folder (a trailing / is fine), or a usage error."""
    for candidate in STAGES:
        if candidate.folder == name.rstrip("/"):
            return candidate
    names = ", ".join(s.folder for s in STAGES)
    raise UsageError(f"unknown stage '{name}'; the stages: {names}")


def exercise(text):
    """Exercise N (1, 01 ...), or a usage error."""
    count = len(EXERCISES)
    if text.isascii() and text.isdigit() and 1 <= int(text) <= count:
        return EXERCISES[int(text) - 1]
    raise UsageError(
        f"there is no exercise '{text}': the exercises are 1 to {count}"
        " (./workbook exercises lists them)")


def build_dir(preset):
    return ROOT / "build" / preset


def printable(text):
    """TEXT safe to show on one line of a terminal: whatever is not printable
    as \\xNN or \\uNNNN, a byte that was not UTF-8 (which Python keeps as a
    lone surrogate) as \\xNN of the byte."""
    def shown(c):
        if c.isprintable():
            return c
        if 0xDC80 <= ord(c) <= 0xDCFF:
            return f"\\x{ord(c) - 0xDC00:02x}"
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return "".join(shown(c) for c in str(text))


def say(*lines):
    """Prints and flushes at once, so progress shows as it happens."""
    for line in lines:
        print(line, flush=True)


def warn(line):
    print(line, file=sys.stderr, flush=True)
