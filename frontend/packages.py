"""The Debian packages each command needs, in one place, and installing them.

A command asks once, before it starts (see frontend/__main__.py): the demo
installs the build's packages only, the docs add Doxygen's, the tests add the
browser and the checkers. `./workbook setup` installs every list, for a classroom
image.
"""

import os
import shutil
import subprocess

from .project import CommandFailed, say

BUILD = ["g++", "cmake", "ninja-build", "pkg-config", "libevent-dev",
         "libboost-stacktrace-dev", "nlohmann-json3-dev", "libgtest-dev",
         "libgmock-dev", "patch"]
CHART = ["mscgen"]
DOCS = ["doxygen", "graphviz", "mscgen"]
BROWSER = ["chromium", "fonts-noto-cjk"]  # the docs' browser check
CLANG = ["clang", "libclang-rt-14-dev"]  # the asan preset's compiler, and libFuzzer
CHECKS = ["valgrind", "clang-tidy", "cppcheck"] + CLANG
SEAL = ["bubblewrap"]  # grading seals students' code
TWISTED = ["python3-twisted"]  # real Twisted, for Debian's /usr/bin/python3
BENCH = ["socat", *TWISTED, "gnuplot-nox", "time", "bc"]

# What each command needs; a command not named here needs nothing.
NEEDS = {
    "demo": BUILD, "build": BUILD, "serve": BUILD, "stacks": BUILD,
    "trace": BUILD + CHART, "docs": BUILD + DOCS + TWISTED,
    "test": BUILD + DOCS + BROWSER + CHECKS + TWISTED + SEAL, "bench": BUILD + BENCH,
    "exercises": BUILD, "check": BUILD, "watch": BUILD, "grade": BUILD + SEAL,
    "reset": ["patch"], "solution": ["patch"], "patches": ["patch"],
    "lint": BUILD + CHECKS, "memcheck": BUILD + CHECKS,
    "setup": BUILD + SEAL + DOCS + BROWSER + CHECKS + BENCH + TWISTED,
}
# What an option adds to its command's needs: `stacks --twisted` runs real
# Twisted; any command given the asan preset builds with clang.
OPTION_NEEDS = {"stacks": {"twisted": TWISTED}}
PRESET_NEEDS = {"asan": CLANG}


def needs(command, options=None):
    """The packages COMMAND needs, given its parsed OPTIONS (a dict)."""
    options = options or {}
    extra = [p for option, more in OPTION_NEEDS.get(command, {}).items()
             if options.get(option) for p in more]
    return NEEDS.get(command, []) + extra + PRESET_NEEDS.get(options.get("preset"), [])


def missing(packages):
    """The packages of the list that dpkg does not have installed."""
    if not shutil.which("dpkg-query"):
        return []  # not a Debian system: the build says what it lacks
    query = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *packages],
        capture_output=True, text=True, check=False)
    have = {line.split()[0] for line in query.stdout.splitlines()
            if line.endswith(" installed")}
    return [p for p in dict.fromkeys(packages) if p not in have]


def install_for(command, options=None):
    """Installs what COMMAND (with its parsed OPTIONS) needs and is missing,
    showing apt's progress."""
    needed = missing(needs(command, options))
    if not needed:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    say(f"Installing {len(needed)} Debian packages for '{command}': {' '.join(needed)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    steps = [["apt-get", "update", "-q"],
             ["apt-get", "install", "-y", "-q", "--no-install-recommends", *needed]]
    for step in steps:
        if subprocess.run(sudo + step, env=env, check=False).returncode != 0:
            raise CommandFailed(f"workbook: '{' '.join(step[:2])}' failed; see above")
