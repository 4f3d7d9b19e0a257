"""Configuring and building with CMake presets, with progress on screen.

Ninja prints "[done/total] what" before each step; a build shows the latest
one on a line of its own that it keeps rewriting (on a terminal) or one line
every tenth of the way (in a log), so nothing sits silent while it works.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from .project import ROOT, CommandFailed, build_dir, say

STEP = re.compile(r"^\[(\d+)/(\d+)\] (.*)$")
DPKG_STATUS = Path("/var/lib/dpkg/status")


def configure(preset):
    """Configures the preset's build folder unless it already is, and
    configures it again once packages have been installed since: CMake
    looks for Doxygen, say, only when it configures."""
    folder = build_dir(preset)
    writable = folder if folder.exists() else ROOT
    if not os.access(writable, os.W_OK):
        raise CommandFailed(f"workbook: {writable} is read-only, so nothing can be built there;"
                            " work in a copy of the workbook you can write to")
    stamp = folder / ".workbook-configured"
    if (folder / "build.ninja").exists() and stamp.exists() and not _installed_since(stamp):
        return
    if not (folder / "build.ninja").exists():
        say(f"Configuring build/{preset} (once; a few seconds) ...")
    else:
        say(f"Configuring build/{preset} again{': packages were installed since' if stamp.exists() else ''} ...")
    result = subprocess.run(["cmake", "--preset", preset], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stdout.write(result.stdout + result.stderr)
        raise CommandFailed(f"workbook: configuring build/{preset} failed; CMake said why above")
    stamp.touch()


def _installed_since(stamp):
    """Whether dpkg has installed or removed anything since STAMP was touched."""
    try:
        return DPKG_STATUS.stat().st_mtime > stamp.stat().st_mtime
    except FileNotFoundError:  # not a Debian system
        return False


def build(preset, targets=(), label="Building"):
    """Builds TARGETS (everything if none) of PRESET, showing progress.

    Returns the compiler's words (ninja's progress lines left out); raises
    CommandFailed, after showing them, if the build fails.
    """
    configure(preset)
    ok, words = run_build(preset, targets, label)
    if not ok:
        say(words)
        raise CommandFailed(f"workbook: the build of build/{preset} failed; the first error is above")
    return words


def run_build(preset, targets=(), label="Building"):
    """Builds as build() does but never raises: returns (succeeded, words)."""
    configure(preset)
    command = ["cmake", "--build", "--preset", preset]
    for target in targets:
        command += ["--target", target]
    env = dict(os.environ, NINJA_STATUS="[%f/%t] ")
    with subprocess.Popen(command, cwd=ROOT, env=env, text=True, errors="replace",
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        words = _follow(process.stdout, label)
    return process.returncode == 0, "\n".join(words)


def _follow(lines, label):
    """Shows ninja's progress from LINES (unless LABEL is None); returns
    every other line."""
    words, shown, tty = [], -1, sys.stdout.isatty()
    for line in lines:
        step = STEP.match(line.rstrip("\n"))
        if not step:
            if not line.startswith("ninja: "):
                words.append(line.rstrip("\n"))
            continue
        done, total = int(step[1]), int(step[2])
        if done == 0 or label is None:  # no work yet, or a quiet build
            continue
        tenth = done * 10 // total
        if tty:
            text = f"\r{label}: {done} of {total} steps ({step[3][:50]})"
            sys.stdout.write(text.ljust(100)[:100])
            sys.stdout.flush()
        elif tenth != shown:
            say(f"{label}: {done} of {total} steps")
            shown = tenth
    if tty and label is not None:
        sys.stdout.write("\r" + " " * 100 + "\r")
    return words
