"""Tests of the front end's helpers on their own: the build's progress
line, the poetry servers it starts, the checks' choice of folders and
programs, and the seal's commands, each against what it promises in its
docstring. Fake programs (small shell scripts) stand in for the servers
and the clients, so nothing here builds or sandboxes anything.

Run: python3 -m unittest discover -s tests/frontend (ctest runs it).
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from frontend import build, checks, grade, seal, servers  # noqa: E402
from frontend.project import STAGES, CommandFailed, Stage  # noqa: E402


def script(path, text):
    """Writes the shell script TEXT at PATH, executable; returns PATH."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)
    return path


def ended(pid):
    """Whether process PID has ended (a zombie not yet reaped counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True


def wait_until(condition, seconds):
    """Whether CONDITION came true within SECONDS."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def ninja(total):
    """What ninja prints for a build of TOTAL steps, with a warning and its
    own closing line among them."""
    lines = [f"[{done}/{total}] Building CXX object step{done}.o\n" for done in range(1, total + 1)]
    lines.insert(3, "main.cpp:4:1: warning: unused variable\n")
    return lines + ["ninja: build stopped.\n"]


class TheBuildsProgress(unittest.TestCase):
    def test_in_a_log_it_says_each_tenth_of_the_way_once(self):
        with mock.patch.object(sys.stdout, "isatty", return_value=False), \
                redirect_stdout(io.StringIO()) as out:
            words = build._follow(ninja(40), "Building")
        said = out.getvalue().splitlines()
        self.assertEqual(words, ["main.cpp:4:1: warning: unused variable"])
        self.assertEqual(len(said), 11)  # the first step, then each tenth
        self.assertEqual(said[-1], "Building: 40 of 40 steps")

    def test_on_a_terminal_it_rewrites_one_line_and_clears_it(self):
        out = io.StringIO()
        out.isatty = lambda: True
        with mock.patch.object(build.sys, "stdout", out):
            build._follow(ninja(5), "Building")
        shown = out.getvalue()
        self.assertNotIn("\n", shown)
        self.assertTrue(all(len(part) <= 100 for part in shown.split("\r")))
        self.assertTrue(shown.endswith("\r" + " " * 100 + "\r"))
        self.assertIn("Building: 5 of 5 steps (Building CXX object step5.o)", shown)

    def test_a_quiet_build_shows_nothing_and_keeps_the_words(self):
        with redirect_stdout(io.StringIO()) as out:
            words = build._follow(ninja(3), None)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(len(words), 1)


class TheServers(unittest.TestCase):
    """Servers against a fake one that says what slowpoetry says."""

    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="workbook-servers-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(self.work)], check=False)
        # It says its port, notes its process id, then serves until stopped.
        self.server = script(self.work / "server", 'echo $$ >> "$0.pids"\n'
                             'echo "Serving $1 on port $((4000 + $(wc -l < "$0.pids"))).\"\n'
                             "exec sleep 300\n")

    def pids(self):
        return [int(pid) for pid in Path(f"{self.server}.pids").read_text().split()]

    def test_each_gets_the_port_it_said_and_all_stop_when_the_block_ends(self):
        with servers.Servers() as running:
            ports = [running.start(self.server, poem) for poem in ("a.txt", "b.txt")]
            self.assertEqual(running.said, "Serving b.txt on port 4002.")
        self.assertEqual(ports, [4001, 4002])
        for pid in self.pids():  # ended and reaped: the id is free
            self.assertRaises(ProcessLookupError, os.kill, pid, 0)

    def test_the_last_one_stops_alone_and_gives_its_status(self):
        with servers.Servers() as running:
            running.start(self.server, "a.txt")
            running.start(self.server, "b.txt")
            self.assertEqual(running.stop_last(), -15)  # SIGTERM
            first = self.pids()[0]
            os.kill(first, 0)  # still serving
        self.assertRaises(ProcessLookupError, os.kill, first, 0)

    def test_a_server_that_ends_without_a_port_is_an_error_with_its_words(self):
        broken = script(self.work / "broken", 'echo "slowpoetry: no such poem: $1" >&2\nexit 2\n')
        with servers.Servers() as running:
            with self.assertRaisesRegex(CommandFailed, "broken did not start: slowpoetry: no such poem: x"):
                running.start(broken, "x")

    def test_a_recorded_run_gets_a_port_per_poem_and_the_trace_file(self):
        build_dir = self.work / "build"
        (build_dir / "poetry-server").mkdir(parents=True)
        (build_dir / "poetry-server" / "slowpoetry").symlink_to(self.server)
        script(build_dir / "stage" / "client", 'echo "ports: $*"\necho "trace: $REACTOR_TRACE"\nexit 3\n')
        trace = self.work / "run.json"
        status = servers.record_run(build_dir, Stage("stage", 5, "t", "client"), trace, ["a.txt", "b.txt"])
        self.assertEqual(status, 3)
        self.assertEqual(trace.with_suffix(".log").read_text(), f"ports: 4001 4002\ntrace: {trace}\n")


class TheChecks(unittest.TestCase):
    def test_lint_reads_every_stage_and_solution_but_no_starter(self):
        folders = checks.lint_folders()
        for stage in STAGES:
            linted = not stage.folder.startswith("exercises/") and not stage.not_linted
            self.assertEqual(stage.folder in folders, linted, stage.folder)
        self.assertTrue(all((ROOT / f).is_dir() for f in folders))

    def test_lint_counts_the_files_clang_tidy_names(self):
        lines = [f"clang-tidy-14 -p=build file{i}.cpp\n" for i in range(20)] + ["x.cpp:1:1: warning: y\n"]
        with redirect_stdout(io.StringIO()) as out:
            kept = checks._counting(lines, 20)
        self.assertEqual(kept, "".join(lines))
        self.assertEqual(out.getvalue().splitlines()[-1], "lint: clang-tidy, 20 of 20 files done")
        self.assertEqual(len(out.getvalue().splitlines()), 10)

    def test_memcheck_runs_every_program_of_the_manifest(self):
        with tempfile.TemporaryDirectory() as build_dir, mock.patch.object(checks.subprocess, "run"):
            run = [command[0] for _, command in checks._programs(Path(build_dir), "1", "2")]
        for stage in STAGES:
            if stage.folder.startswith("exercises/"):
                continue  # a starter is unfinished on purpose
            self.assertIn(str(stage.binary(build_dir)), run, stage.folder)


class TheSeal(unittest.TestCase):
    KIT = Path("/kit")

    def command(self):
        with mock.patch.object(seal.os, "geteuid", return_value=1000):
            return seal.command(self.KIT, [Path("/w/build/internet")], [Path("/s/src")],
                                [Path("/s/out"), Path("/s/more")], ["cc", "a b.cpp"], {"X": 1})

    def test_the_sandbox_sees_ours_read_only_and_writes_only_where_it_is_given(self):
        argv = self.command()
        pairs = {(argv[i], argv[i + 1], argv[i + 2]) for i in range(len(argv) - 2)}
        self.assertIn(("--ro-bind", "/kit/w/build/internet", "/w/build/internet"), pairs)
        self.assertIn(("--ro-bind", "/s/src", "/s/src"), pairs)
        self.assertIn(("--bind", "/s/out", "/s/out"), pairs)
        binds = [argv[i + 1] for i, a in enumerate(argv) if a == "--bind"]
        self.assertEqual(binds, ["/s/out", "/s/more"])
        self.assertLess(argv.index("--unshare-all"), argv.index("--"))
        self.assertEqual(argv[argv.index("--chdir") + 1], "/s/out")
        self.assertEqual(argv[argv.index("--") + 1:], ["cc", "a b.cpp"])

    def test_the_sandbox_has_no_environment_but_what_it_is_given(self):
        argv = self.command()
        self.assertIn("--clearenv", argv)
        given = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setenv"}
        self.assertEqual(given, {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "X": "1"})

    def test_as_root_it_becomes_nobody_first(self):
        with mock.patch.object(seal.os, "geteuid", return_value=0):
            argv = seal.command(self.KIT, [], [], [Path("/s/out")], ["true"], {})
        self.assertEqual(argv[:2], ["setpriv", f"--reuid={seal.NOBODY}"])

    def test_the_inner_wrapper_runs_the_program_in_a_pid_namespace_of_its_own(self):
        with tempfile.TemporaryDirectory() as work:
            script(Path(work) / "bin" / "bwrap", 'printf "%s\\n" "$@"\n')  # says what it was given
            wrapper = Path(work) / "get-poetry"
            wrapper.write_text(seal.inner_wrapper("/tmp/it's here/get-poetry"))
            wrapper.chmod(0o755)
            env = dict(os.environ, PATH=f"{work}/bin:{os.environ['PATH']}")
            printed = subprocess.run([wrapper, "one arg", "two"], env=env, capture_output=True,
                                     text=True, check=True)
        argv = printed.stdout.splitlines()
        self.assertIn("--unshare-pid", argv)
        self.assertEqual(argv[argv.index("--") + 1:], ["/tmp/it's here/get-poetry", "one arg", "two"])

    def test_what_runs_sealed_runs_within_the_limits(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        if hard == resource.RLIM_INFINITY or hard > 1 << 20:  # so that the seal has to lower it
            resource.setrlimit(resource.RLIMIT_CORE, (1 << 20, hard))
            self.addCleanup(resource.setrlimit, resource.RLIMIT_CORE, (soft, hard))
        with tempfile.TemporaryDirectory() as work:
            log = Path(work) / "log"
            status = seal.run(["sh", "-c", "ulimit -t; ulimit -v; ulimit -f; ulimit -c"], log)
            said = log.read_text().split()
        self.assertEqual(status, 0)
        self.assertEqual(said, [str(seal.LIMITS["cpu seconds"]), str(seal.LIMITS["memory bytes"] >> 10),
                                str(seal.LIMITS["file bytes"] >> 9), "0"])  # ulimit counts KiB, blocks

    def test_what_runs_past_its_wall_time_is_killed_with_all_it_started(self):
        with tempfile.TemporaryDirectory() as work, \
                mock.patch.dict(seal.LIMITS, {"wall seconds per exercise": 1}):
            log = Path(work) / "log"
            # It starts a child that would outlive it, says the child's id, and waits.
            status = seal.run(["sh", "-c", "sleep 300 & echo $!; wait"], log)
            child = int(log.read_text())
        self.assertIsNone(status)
        self.assertTrue(wait_until(lambda: ended(child), 30), f"{child} outlived the sealed run")

    def test_the_build_commands_of_ours_become_a_students_with_placeholders(self):
        with tempfile.TemporaryDirectory() as build_dir:
            (Path(build_dir) / "internet").mkdir()
            (Path(build_dir) / "internet" / "libinternet.a").touch()
            compile_argv = ["g++", "-Iinclude", "-MD", "-MT", "x.o", "-MF", "x.d", "-o",
                            "grade/main.cpp.o", "-c", "/src/grade/sources/01/main.cpp"]
            link_argv = ["g++", "grade/main.cpp.o", "-o", "grade/get-poetry", "internet/libinternet.a"]
            self.assertEqual(grade._rewrite(compile_argv, Path(build_dir)),
                             ["g++", "-Iinclude", "-o", "OBJECT", "-c", "SOURCE"])
            self.assertEqual(grade._rewrite(link_argv, Path(build_dir)),
                             ["g++", "OBJECT", "-o", "PROGRAM", f"{build_dir}/internet/libinternet.a"])


if __name__ == "__main__":
    unittest.main()
