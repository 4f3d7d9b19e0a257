"""The static and memory checks of `./workbook test`: lint and memcheck.

lint: clang-tidy (.clang-tidy at the root) and cppcheck over the shim and
every program of stages.json; any finding fails. The exercise starters are
left out: they are unfinished on purpose; so is a stage whose stages.json
entry says why (not_linted).

memcheck: every program under valgrind against live servers on loopback;
any memory error or definitely-lost byte fails.
"""

import json
import re
import shutil
import subprocess

from .project import EXERCISES, ROOT, STAGES, CommandFailed, build_dir, say
from .servers import Servers

SHARED = ["internet", "common", "poetry-server", "trace-chart", "fuzz", "docs/examples"]
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite"]


def lint_folders():
    """The folders linted: the shared code, every stage, every solution."""
    stages = [s.folder for s in STAGES if not s.folder.startswith("exercises/") and not s.not_linted]
    return [f for f in SHARED + stages if (ROOT / f).is_dir()]


def lint(preset="dev"):
    build = build_dir(preset)
    folders = lint_folders()
    tidy = shutil.which("run-clang-tidy") or shutil.which("run-clang-tidy-14")
    linted = f"^{ROOT}/({'|'.join(folders)})/"
    files = [f for f in _compiled(build) if re.search(linted, f)]
    say(f"lint: clang-tidy, {len(files)} files")
    # clang does not know one of gcc's flags the build uses; that is no finding.
    with subprocess.Popen([tidy, "-p", str(build), "-quiet", "-extra-arg=-Wno-ignored-optimization-argument",
                           linted], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as running:
        output = _counting(running.stdout, len(files))
    (build / "clang-tidy.log").write_text(output)
    # run-clang-tidy's status only says whether it ran; the findings are in its output.
    findings = sorted({re.sub(r"\x1b\[[0-9;]*m", "", line) for line in output.splitlines()
                       if re.search(r"(warning|error): ", line)})
    if findings:
        say(*findings)
        raise CommandFailed(f"lint: clang-tidy found problems (full log: {build}/clang-tidy.log)")
    say("lint: cppcheck")
    cppcheck = ["cppcheck", "--enable=warning,performance,portability", "--inline-suppr", "-q",
                "--error-exitcode=1", "--std=c++20", "-I", ".", "--suppress=missingIncludeSystem",
                "-j", "2", *folders]
    if subprocess.run(cppcheck, cwd=ROOT, check=False).returncode:
        raise CommandFailed("lint: cppcheck found problems (above)")
    say("lint: clean")


def _compiled(build):
    """Every file the build compiles, from its compile_commands.json."""
    return [entry["file"] for entry in json.loads((build / "compile_commands.json").read_text())]


def _counting(lines, total):
    """Reads run-clang-tidy's LINES, which name each file once it is done,
    saying every tenth of the TOTAL; returns them all."""
    kept, done, shown = [], 0, 0
    for line in lines:
        kept.append(line)
        if re.match(r"^\S*clang-tidy\S* ", line):
            done += 1
            if done * 10 // total > shown:
                shown = done * 10 // total
                say(f"lint: clang-tidy, {done} of {total} files done")
    return "".join(kept)


def memcheck(preset="dev"):
    build = build_dir(preset)
    failures = []
    with Servers() as servers:
        slow = str(servers.start(build / "poetry-server/slowpoetry", "poetry/small-hours.txt",
                                 "--delay", "0.001", "--num-bytes", "100"))
        # The fast server runs under memcheck too; it is judged when it stops.
        fast_log = build / "valgrind-fastpoetry.log"
        fast = str(servers.start(VALGRIND[0], "poetry/slow-postman-ko.txt", *VALGRIND[1:],
                                 f"--log-file={fast_log}", str(build / "poetry-server/fastpoetry")))
        for name, command in _programs(build, slow, fast):
            _memcheck_one(build, name, command, failures)
        # SIGTERM stops fastpoetry's reactor; memcheck then reports on exit.
        fast_status = servers.stop_last()
    if fast_status != 0:
        say(f"valgrind: fastpoetry: FAILED (status {fast_status})", fast_log.read_text(errors="replace"))
        failures.append("fastpoetry")
    else:
        say("valgrind: fastpoetry: clean")
    say(f"valgrind: {len(failures)} program(s) with errors")
    if failures:
        raise CommandFailed()


def _programs(build, slow, fast):
    """(name, command) for each program memcheck runs."""
    def at(folder, program):
        return str(build / folder / program)
    yield "client1", [at("part04-client1", "get-poetry"), slow, fast]
    yield "client1-stack", [at("part04-client1-stack", "get-poetry-stack"), fast]
    yield "client2", [at("part05-client2", "get-poetry"), slow, fast, "1"]
    yield "client2-simple", [at("part05-client2-simple", "get-poetry-simple"), slow, "[::1]:1", fast]
    yield "client2-stack", [at("part05-client2-stack", "get-poetry-stack"), fast]
    for exercise in EXERCISES:
        yield f"solution-{exercise.folder}", [at(f"solutions/{exercise.folder}", "get-poetry"), slow, fast]
    stacks = []
    for folder, program in (("part04-client1-stack", "get-poetry-stack"),
                            ("part05-client2-stack", "get-poetry-stack")):
        stacks.append(build / f"{folder}.stack.txt")
        with open(stacks[-1], "w", encoding="utf-8") as err:
            subprocess.run([at(folder, program), fast], cwd=ROOT, stderr=err,
                           stdout=subprocess.DEVNULL, check=False)
    yield "compare-stacks", [at("part05-client2-stack", "compare-stacks"), *map(str, stacks)]


def _memcheck_one(build, name, command, failures):
    log = build / f"valgrind-{name}.log"
    with open(log, "w", encoding="utf-8") as err:
        status = subprocess.run(VALGRIND + command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=err, check=False).returncode
    if status == 0:
        say(f"valgrind: {name}: clean")
    else:
        say(f"valgrind: {name}: FAILED (status {status})", log.read_text(errors="replace"))
        failures.append(name)
