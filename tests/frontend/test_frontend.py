"""Tests of ./workbook's front end (frontend/): the command table, argument
errors, reading the test program's report, grading's bookkeeping, the
exercise loop's state, and what each command builds, runs and installs.

Commands that build or serve are run with the build and the servers
replaced by recorders: what is tested is what they ask for, in what order.
Run: python3 -m unittest discover -s tests/frontend (ctest runs it).
"""

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
STATE = tempfile.mkdtemp(prefix="workbook-state-")
os.environ["WORKBOOK_STATE"] = STATE  # before frontend reads it
sys.path.insert(0, str(ROOT))

from frontend import __main__ as cli  # noqa: E402
from frontend import commands, exercises, grade, packages, patches, results  # noqa: E402
from frontend.project import EXERCISES, CommandFailed, UsageError  # noqa: E402


def run_cli(*argv):
    """(exit status, stdout, stderr) of ./workbook ARGV, as a real process."""
    ran = subprocess.run([str(ROOT / "workbook"), *argv], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, check=False)
    return ran.returncode, ran.stdout, ran.stderr


class TheTable(unittest.TestCase):
    def test_the_help_lists_every_command_the_table_dispatches(self):
        text = cli.help_text()
        for name, command in cli.COMMANDS.items():
            self.assertIn("  " + command.usage, text, name)

    def test_every_command_that_installs_is_a_command(self):
        self.assertLessEqual(set(packages.NEEDS), set(cli.COMMANDS))

    def test_the_demo_installs_the_build_packages_only(self):
        self.assertEqual(packages.NEEDS["demo"], packages.BUILD)
        self.assertNotIn("chromium", packages.NEEDS["demo"])

    def test_setup_installs_what_every_command_needs(self):
        for name, needed in packages.NEEDS.items():
            self.assertLessEqual(set(needed), set(packages.NEEDS["setup"]), name)

    def test_help_and_no_arguments_print_the_help_and_succeed(self):
        for argv in ([], ["help"], ["--help"]):
            status, out, _ = run_cli(*argv)
            self.assertEqual(status, 0, argv)
            self.assertIn("usage: ./workbook COMMAND", out)


class BadInput(unittest.TestCase):
    """Every command with arguments turns bad ones away: one line, status 2."""

    CASES = [["nonsense"], ["exercises", "extra"], ["check"], ["check", "7"], ["check", "0"],
             ["check", "1", "2"], ["watch", "9"], ["hint", "abc"], ["hint", "1", "--fr"],
             ["reset", "five"], ["reset", "1", "--now"], ["solution", "5"], ["grade"],
             ["grade", "--out"], ["demo", "fast"], ["test", "quick"], ["build", "x"],
             ["docs", "x"], ["bench", "x"], ["stacks", "--bogus"], ["stacks", "--twisted", "--svg"],
             ["stacks", "x", "--twisted"], ["trace"], ["trace", "nope"],
             ["trace", "part05-client2", "--turns", "0"], ["serve"], ["setup", "x"],
             ["help", "me"], ["patches", "fix"], ["lint", "x"], ["memcheck", "x"],
             # Digits to Unicode but not to a person typing; what a terminal would obey.
             ["check", "\u0661"], ["trace", "part05-client2", "--turns", "\u00b2"],
             ["check", "1\x1b[2J"], ["new\nline"], ["hint", os.fsdecode(b"\xff\xfe")]]

    def test_each_is_one_line_on_stderr_and_status_2(self):
        for argv in self.CASES:
            status, out, err = run_cli(*argv)
            self.assertEqual((status, out, len(err.splitlines())), (2, "", 1), argv)
            self.assertTrue(err[:-1].isprintable(), (argv, err))

    def test_a_folder_that_is_no_workbook_is_refused_before_building(self):
        with tempfile.TemporaryDirectory() as empty, mock.patch.object(grade, "build") as built:
            with self.assertRaises(UsageError):
                grade.grade([empty], "out")
            built.assert_not_called()

    def test_a_missing_poem_is_refused_before_building(self):
        with mock.patch.object(commands, "build_targets") as built:
            with self.assertRaises(UsageError):
                commands.serve(["no/such/poem.txt"])
            built.assert_not_called()


class WhenTheMachineSaysNo(unittest.TestCase):
    def test_a_read_only_tree_is_said_so_not_blamed_on_the_code(self):
        from frontend import build
        with mock.patch.object(build.os, "access", return_value=False):
            with self.assertRaises(CommandFailed) as said:
                build.configure("dev")
        self.assertIn("read-only", str(said.exception))

    def test_a_build_is_configured_again_once_packages_were_installed_since(self):
        from frontend import build
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            (folder / "build.ninja").touch()
            (folder / ".workbook-configured").touch()
            status = folder / "dpkg-status"
            status.touch()
            os.utime(status, (1, 1))  # installed long before the build was configured
            cmake = mock.Mock(return_value=subprocess.CompletedProcess([], 0, "", ""))
            with mock.patch.object(build, "build_dir", return_value=folder), \
                    mock.patch.object(build, "DPKG_STATUS", status), \
                    mock.patch.object(build.subprocess, "run", cmake), redirect_stdout(io.StringIO()) as out:
                build.configure("dev")
                cmake.assert_not_called()
                os.utime(folder / ".workbook-configured", (10, 10))
                os.utime(status, (20, 20))  # something installed since
                build.configure("dev")
                cmake.assert_called_once()
                build.configure("dev")  # the stamp is new now: once is enough
                cmake.assert_called_once()
        self.assertIn("Configuring build/dev again", out.getvalue())

    def test_a_file_that_cannot_be_written_is_one_line_and_status_1(self):
        denied = PermissionError(13, "Permission denied", "/x/.workbook/hints/01.en")
        with mock.patch.object(exercises, "hint", side_effect=denied), \
                mock.patch("sys.stderr", io.StringIO()) as err:
            self.assertEqual(cli.main(["hint", "1"]), 1)
        self.assertEqual(err.getvalue(), "workbook: Permission denied: /x/.workbook/hints/01.en\n")

    def test_a_closed_standard_output_is_status_3(self):
        with mock.patch.object(exercises, "hint", side_effect=BrokenPipeError), \
                mock.patch.object(cli.os, "dup2"):
            self.assertEqual(cli.main(["hint", "1"]), 3)


REPORT = {"testsuites": [
    {"name": "Exercise01", "testsuite": [
        {"name": "Passes", "result": "COMPLETED"},
        {"name": "Fails", "result": "COMPLETED",
         "failures": [{"failure": "/x/ExerciseTest.cpp:326\nFailed\nExpected: 0\nWhat ran: get-poetry"}]},
        {"name": "Skipped", "result": "SKIPPED"}]}]}


class TheReport(unittest.TestCase):
    def test_results_come_from_the_json_report_without_the_framing(self):
        found = results.read_report(json.dumps(REPORT))
        self.assertEqual([(r.name, r.passed) for r in found],
                         [("Exercise01.Passes", True), ("Exercise01.Fails", False)])
        self.assertEqual(found[1].story, "Expected: 0\nWhat ran: get-poetry")
        self.assertEqual(results.count(found), "1 of 2 tests pass")
        self.assertFalse(results.all_passed(found))
        self.assertFalse(results.all_passed([]))

    def test_a_run_that_leaves_no_report_is_an_error(self):
        with tempfile.TemporaryDirectory() as work:
            dead = Path(work) / "exercise-tests"
            dead.write_text("#!/bin/sh\nkill -9 $$\n")
            dead.chmod(0o755)
            with mock.patch.object(results, "test_program", return_value=dead):
                with self.assertRaises(CommandFailed):
                    results.run("Exercise01.*", work, work)


    def test_a_run_past_its_bound_is_an_error_and_stops_all_it_started(self):
        with tempfile.TemporaryDirectory() as work:
            late = Path(work) / "exercise-tests"
            late.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {work}/child\nwait\n")
            late.chmod(0o755)
            with mock.patch.object(results, "test_program", return_value=late):
                with self.assertRaisesRegex(CommandFailed, "longer than 1 s"):
                    results.run("Exercise01.*", work, work, bound=1)
            child = int((Path(work) / "child").read_text())
        for _ in range(600):  # killed with its group; reaped by init, at the latest in 30 s
            try:
                if Path(f"/proc/{child}/stat").read_text().rsplit(") ", 1)[1].startswith("Z"):
                    break
            except FileNotFoundError:
                break
            time.sleep(0.05)
        else:
            self.fail(f"the test program's child {child} outlived it")


class Grading(unittest.TestCase):
    def test_students_with_the_same_folder_name_keep_apart(self):
        names = grade.student_names([Path("/a/alice"), Path("/b/alice/exercises"), Path("/c/alice")])
        self.assertEqual(names, ["alice", "alice-2", "alice-3"])

    def test_a_grader_that_dies_gives_error_never_pass(self):
        with tempfile.TemporaryDirectory() as scratch, \
                mock.patch.object(grade, "ninja_commands"), \
                mock.patch.object(grade, "_run", return_value=137):
            grader = grade.Grader(Path(scratch), sealed=False)
            found = grader.test_one(EXERCISES[0], Path(scratch))
        self.assertIsInstance(found, str)
        self.assertIn("did not run to the end", found)

    def test_one_error_makes_the_whole_result_an_error(self):
        verdicts = {EXERCISES[0]: ("error", "the tests took longer than 120 s"),
                    EXERCISES[1]: ("pass", [results.Result("Exercise02.A", True)])}
        with tempfile.TemporaryDirectory() as out:
            grade.write_results(Path(out), verdicts)
            written = json.loads((Path(out) / "results.json").read_text())
        self.assertEqual(written["status"], "error")
        self.assertEqual([t["status"] for t in written["tests"]], ["error", "pass"])
        self.assertEqual([grade._cell(v) for v in verdicts.values()],
                         ["error: the tests took longer than 120 s", "pass"])

    def test_sources_that_reach_outside_their_folder_are_refused(self):
        with tempfile.TemporaryDirectory() as work:
            student = Path(work) / "student" / EXERCISES[0].folder
            student.mkdir(parents=True)
            (student / "main.cpp").write_text('#include "/etc/hostname"\nint main() {}\n')
            self.assertIn("outside", grade.copy_work(EXERCISES[0], student.parent, Path(work) / "a"))
            (student / "main.cpp").unlink()
            (student / "main.cpp").symlink_to("/etc/hostname")
            self.assertIn("link", grade.copy_work(EXERCISES[0], student.parent, Path(work) / "b"))


class TheLoop(unittest.TestCase):
    def setUp(self):
        for kept in Path(STATE).rglob("*"):
            if kept.is_file():
                kept.unlink()

    def hint(self, lang):
        out = io.StringIO()
        with redirect_stdout(out):
            exercises.hint(EXERCISES[0], lang)
        return out.getvalue()

    def test_hints_come_one_by_one_and_each_language_counts_its_own(self):
        sections = exercises._sections(ROOT / "exercises" / EXERCISES[0].folder / "HINTS.md")
        first = self.hint("en")
        self.assertTrue(first.startswith(sections[0].rstrip()), first)
        self.assertTrue(self.hint("en").startswith(sections[1].rstrip()))
        self.assertTrue(self.hint("ko").startswith("## "))  # Korean starts at its first
        self.assertIn("힌트 1/", self.hint("ko").replace("힌트 2/", "힌트 1/"))

    def test_after_the_last_hint_it_is_repeated_then_said_so(self):
        count = len(exercises._sections(ROOT / "exercises" / EXERCISES[0].folder / "HINTS.md"))
        for _ in range(count):
            self.hint("en")
        again = self.hint("en")
        self.assertTrue(again.startswith("## "), again)
        self.assertTrue(again.rstrip().endswith("README.md says the rest.)"), again)

    def test_a_pass_is_remembered_only_for_the_files_as_they_are(self):
        exercise = EXERCISES[0]
        self.assertFalse(exercises.has_passed(exercise))
        exercises.remember_pass(exercise)
        self.assertTrue(exercises.has_passed(exercise))
        with mock.patch.object(exercises, "checksum", return_value="edited"):
            self.assertFalse(exercises.has_passed(exercise))

    def test_the_solution_waits_for_a_pass_unless_forced(self):
        with self.assertRaises(CommandFailed):
            exercises.solution(EXERCISES[0], force=False)
        status, out, _ = run_cli("solution", "1", "--force")
        self.assertEqual(status, 0)
        self.assertIn("+++ solution/main.cpp", out)

    def test_reset_leaves_a_starter_alone_and_asks_without_a_terminal(self):
        with mock.patch.object(exercises, "is_pristine", return_value=True):
            with redirect_stdout(io.StringIO()) as out:
                exercises.reset(EXERCISES[0], yes=False)
        self.assertIn("untouched starter already", out.getvalue())
        with mock.patch.object(exercises, "is_pristine", return_value=False), \
                mock.patch("sys.stdin", io.StringIO("")):
            with self.assertRaises(UsageError):
                exercises.reset(EXERCISES[0], yes=False)

    def test_check_and_the_list_grade_the_students_build(self):
        passed = [results.Result("Exercise01.A", True)]
        with mock.patch.object(exercises, "run_build", return_value=(True, "")), \
                mock.patch.object(exercises, "build"), \
                mock.patch.object(results, "run", return_value=passed) as ran, \
                redirect_stdout(io.StringIO()) as out:
            self.assertTrue(exercises.check(EXERCISES[0]))
            exercises.list_all()
        self.assertIn("Exercise 1 done", out.getvalue())
        self.assertEqual(ran.call_args_list[0].args[1].name, "exercises")

    def test_check_fails_on_a_build_error_and_shows_the_compiler(self):
        with mock.patch.object(exercises, "run_build", return_value=(False, "main.cpp:3: error: x")), \
                redirect_stdout(io.StringIO()) as out:
            self.assertFalse(exercises.check(EXERCISES[0]))
        self.assertIn("    main.cpp:3: error: x", out.getvalue())

    def test_watch_moves_on_when_an_exercise_passes(self):
        following = iter([EXERCISES[0], None])
        with mock.patch.object(exercises, "check", return_value=True) as checked, \
                mock.patch.object(exercises, "next_exercise", side_effect=lambda after: next(following)), \
                mock.patch.object(exercises, "_wait_for_change") as waited, \
                redirect_stdout(io.StringIO()) as out:
            exercises.watch(EXERCISES[-1])
        self.assertEqual([c.args[0] for c in checked.call_args_list], [EXERCISES[-1], EXERCISES[0]])
        self.assertIn("nothing left to watch", out.getvalue())
        waited.assert_called_once()


class WhatCommandsAskFor(unittest.TestCase):
    """The build, the servers and the programs replaced by recorders."""

    def setUp(self):
        self.built = mock.patch.object(commands, "build_targets").start()
        self.ran = mock.patch.object(commands, "run").start()
        servers = mock.patch.object(commands, "Servers").start().return_value.__enter__.return_value
        servers.start.side_effect = iter(range(10001, 10100))
        self.addCleanup(mock.patch.stopall)

    def test_the_demo_builds_a_server_and_client_2_only(self):
        with redirect_stdout(io.StringIO()):
            commands.demo("dev")
        self.built.assert_called_once_with("dev", ["slowpoetry", "part05-get-poetry"])
        self.assertEqual([str(a) for a in self.ran.call_args.args[0][1:]], ["10001", "10002", "10003"])

    def test_the_full_test_refuses_a_build_with_a_label_left_empty(self):
        listed = "Test project /x\nAll Labels:\n" + "".join(f"  {label}\n" for label in commands.DEV_LABELS)
        printed = mock.Mock(return_value=subprocess.CompletedProcess([], 0, listed.replace("  docs\n", ""), ""))
        with mock.patch.object(commands, "side_by_side") as together, \
                mock.patch.object(commands.subprocess, "run", printed), redirect_stdout(io.StringIO()):
            with self.assertRaisesRegex(CommandFailed, "no tests labelled docs"):
                commands.test(None)
            together.assert_not_called()
            printed.return_value = subprocess.CompletedProcess([], 0, listed, "")
            commands.test(None)
            together.assert_called_once()

    def test_the_full_test_builds_dev_then_runs_three_streams(self):
        with mock.patch.object(commands, "side_by_side") as together, \
                mock.patch.object(commands, "_require_labels"), redirect_stdout(io.StringIO()):
            commands.test(None)
        self.built.assert_called_once_with("dev")
        streams = together.call_args.args[0]
        run = [[" ".join(str(a) for a in c) for c in commands_] for _, commands_ in streams]
        self.assertEqual([c.split("/")[-1] for c in run[0]], ["ctest --preset dev-rest", "workbook memcheck dev"])
        self.assertEqual([c.split("/")[-1] for c in run[1]], ["workbook lint dev"])
        self.assertEqual(run[2], ["cmake --preset asan", "cmake --build --preset asan",
                                  "ctest --preset asan", "ctest --preset fuzz"])

    def test_every_test_label_runs_in_the_full_test(self):
        presets = json.loads((ROOT / "CMakePresets.json").read_text())["testPresets"]
        chosen = {p["name"]: p["filter"] for p in presets}
        labels = commands.DEV_LABELS | {"fuzz"}
        ran = set()
        for name in ("dev-rest", "asan", "fuzz"):
            include = chosen[name].get("include", {}).get("label")
            exclude = chosen[name].get("exclude", {}).get("label")
            ran |= {label for label in labels if (include is None or re.search(include, label))
                    and not (exclude and re.search(exclude, label))}
        self.assertEqual(ran, labels)

    def test_side_by_side_says_how_each_step_ended_and_fails_if_one_did(self):
        with redirect_stdout(io.StringIO()) as out:
            with self.assertRaises(CommandFailed) as said:
                commands.side_by_side([("good", [["true"], ["echo", "second"]]),
                                       ("bad: one", [["sh", "-c", "echo why; exit 3"], ["echo", "never"]]),
                                       ("slow", [["sleep", "1.5"]])], every=0.5)
        self.assertIn("-- good: passed", out.getvalue())
        self.assertIn("second", out.getvalue())
        self.assertIn("-- bad: one: FAILED (exit status 3)", out.getvalue())
        self.assertIn("why", out.getvalue())
        self.assertNotIn("never", out.getvalue())
        self.assertRegex(out.getvalue(), r"\[0:0\d\] slow: ")
        self.assertIn("bad: one", str(said.exception))

    def test_a_failed_step_shows_what_its_failed_tests_printed_however_long_the_log(self):
        ctest = ["    Start 327: grade-seal", "1/3 Test #118: BadInput.Spin ....***Skipped   0.02 sec",
                 "1/2 Test #327: grade-seal .......***Failed   72.64 sec", "AssertionError: digests differ"]
        ctest += [f"filler {i}" for i in range(100)]  # more than the last lines shown
        ctest[5:5] = ["    Start 6: docs-content", "2/2 Test   #5: docs-in-a-browser ....   Passed"]
        shown = commands._failed_tests(ctest, most=10)
        self.assertEqual(shown, ctest[2:5])
        with tempfile.TemporaryDirectory(dir=ROOT / "build") as folder:
            log = Path(folder) / "step.log"
            log.write_text("\n".join(ctest) + "\n", encoding="utf-8")
            with redirect_stdout(io.StringIO()) as out:
                self.assertFalse(commands._ended("dev: suite", log, 8))
        self.assertIn("AssertionError: digests differ", out.getvalue())
        self.assertIn("filler 99", out.getvalue())

    def test_a_preset_test_runs_its_suite_alone(self):
        commands.test("asan")
        self.ran.assert_called_once_with(["ctest", "--preset", "asan"])

    def test_build_docs_bench_and_the_checks_build_what_they_use(self):
        step = mock.Mock()
        with redirect_stdout(io.StringIO()):
            commands.build("release")
            commands.docs("dev")
            commands.bench()
            commands.checked("dev", step)
        self.assertEqual([c.args for c in self.built.call_args_list],
                         [("release",), ("dev", ["docs"]), ("release",), ("dev",)])
        step.assert_called_once_with("dev")

    def test_trace_records_the_stage_and_draws_it(self):
        chosen = commands.stage("part05-client2")
        with mock.patch.object(commands, "record_run", return_value=0) as recorded, \
                mock.patch("builtins.open", mock.mock_open()), \
                mock.patch.object(Path, "unlink"), mock.patch.object(Path, "mkdir"), \
                redirect_stdout(io.StringIO()):
            commands.trace(chosen, False, "12")
        self.assertEqual(recorded.call_args.args[1], chosen)
        self.assertEqual(self.ran.call_args.args[0][0], "mscgen")

    def test_stacks_compares_the_two_stack_editions(self):
        with mock.patch.object(commands.subprocess, "run"), redirect_stdout(io.StringIO()):
            commands.stacks("dev", None)
        self.assertTrue(str(self.ran.call_args.args[0][0]).endswith("compare-stacks"))

    def test_serve_serves_each_poem(self):
        with mock.patch.object(commands.signal, "pause", side_effect=KeyboardInterrupt), \
                redirect_stdout(io.StringIO()) as out:
            commands.serve([str(ROOT / "poetry/small-hours.txt")])
        self.assertIn("on port 10001", out.getvalue())

    def test_setup_installs_every_list_and_nothing_when_all_is_there(self):
        with mock.patch.object(packages, "missing", return_value=[]) as asked, \
                mock.patch.object(packages.subprocess, "run") as installed:
            packages.install_for("setup")
        asked.assert_called_once_with(packages.NEEDS["setup"])
        installed.assert_not_called()

    def test_the_patches_are_in_order(self):
        with redirect_stdout(io.StringIO()) as out:
            patches.check()
        self.assertIn("in order", out.getvalue())


if __name__ == "__main__":
    unittest.main()
