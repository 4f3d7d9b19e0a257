"""The seal of `./workbook grade`, tried by hostile students.

Each hostile copy is exercise 1's solution or starter with a few lines
added that run before main(): they try to write outside their folder, read
an instructor's file, replace the grader, kill or stop it, forge its
report, flood it, fork past the limit, sleep forever, or read a file at
compile time. Each must be contained and graded error or fail; the honest
student beside them still passes, the starter still fails, and the
instructor's tree is byte-identical afterwards.

Needs the dev build and bwrap; run by ctest (label grade).
"""

import hashlib
import json
import os
import secrets
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from frontend import grade, patches, seal  # noqa: E402
from frontend.project import EXERCISES, build_dir  # noqa: E402

EXERCISE = EXERCISES[0]
GRADER = build_dir("dev") / "tests/exercises/exercise-tests"
SECRET = ROOT / ".workbook" / "instructor-secret.txt"
OUTSIDE = ROOT / "written-by-a-student.txt"

HOSTILE = {
    "writes outside its folder": ("solution", f"""
        std::FILE* f = std::fopen("{OUTSIDE}", "w");
        if (f == nullptr) _exit(1);
        std::fputs("mine now", f);
        std::fclose(f);"""),
    "reads an instructor's file": ("solution", f"""
        std::FILE* f = std::fopen("{SECRET}", "r");
        if (f == nullptr) _exit(1);
        char text[200] = {{}};
        std::fread(text, 1, sizeof text - 1, f);
        std::printf("%s\\n", text);"""),
    "replaces the grader": ("solution", f"""
        std::FILE* f = std::fopen("{GRADER}", "w");
        if (f == nullptr) _exit(1);
        std::fputs("#!/bin/sh\\nexit 0\\n", f);
        std::fclose(f);"""),
    "kills the grader": ("starter", "kill(getppid(), SIGKILL);"),
    "stops the grader": ("starter", "kill(getppid(), SIGSTOP);"),
    "forges a report": ("starter", """
        const char* pass = "{\\"testsuites\\": []}";
        for (const char* path : {"report.json", "/tmp/report.json", "../report.json"}) {
          if (std::FILE* f = std::fopen(path, "w")) { std::fputs(pass, f); std::fclose(f); }
        }"""),
    "floods stdout": ("starter", """
        static char line[1 << 16];
        std::memset(line, 'x', sizeof line - 1);
        for (int i = 0; i < 800; ++i) std::puts(line);"""),
    "prints one 100 KB line": ("starter", """
        std::string line(100 * 1024, 'x');
        std::puts(line.c_str());"""),
    "forks past the limit": ("starter", """
        for (int i = 0; i < 5000; ++i) {
          const pid_t child = fork();
          if (child == 0) { pause(); _exit(0); }
          if (child < 0) break;
        }"""),
    "sleeps forever": ("starter", "for (;;) pause();"),
}
PRELUDE = """
#include <signal.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <string>
namespace {
const int kHostile = [] {%s
  return 0;
}();
}  // namespace
"""


def tree_digest():
    """One digest of the instructor's tree: every file but the build's
    scratch and Python's byte-code caches (tests running beside this one
    write those as they import our modules), and the grader program itself."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).parts
        if (path.is_file() and relative[0] not in ("build", ".git") and "__pycache__" not in relative
                and path != SECRET):
            digest.update(str(path).encode() + path.read_bytes())
    digest.update(GRADER.read_bytes())
    return digest.hexdigest()


class TheSeal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = seal.check_bwrap()
        if reason:
            raise unittest.SkipTest(reason)
        cls.work = tempfile.TemporaryDirectory()
        os.chmod(cls.work.name, 0o755)  # the sandbox runs as nobody
        cls.kit = tempfile.TemporaryDirectory()
        cls.grader = grade.Grader(Path(cls.kit.name), sealed=True)
        SECRET.parent.mkdir(exist_ok=True)
        cls.token = secrets.token_hex(16)
        SECRET.write_text(cls.token)
        cls.before = tree_digest()

    @classmethod
    def tearDownClass(cls):
        SECRET.unlink(missing_ok=True)
        cls.work.cleanup()
        cls.kit.cleanup()

    def student(self, name, base, extra=""):
        """A student folder with exercise 1 as BASE (solution or starter) plus EXTRA."""
        folder = Path(self.work.name) / name.replace(" ", "-") / "exercises"
        source = folder / EXERCISE.folder
        source.mkdir(parents=True)
        if base == "starter":
            patches.starter(EXERCISE, source)
        else:
            (source / "main.cpp").write_bytes((ROOT / "solutions" / EXERCISE.folder / "main.cpp").read_bytes())
        if extra:
            with open(source / "main.cpp", "a", encoding="utf-8") as main:
                main.write(PRELUDE % extra)
        return folder

    def verdict(self, folder):
        scratch = Path(tempfile.mkdtemp(dir=self.work.name))
        os.chmod(scratch, 0o755)
        kind, detail = self.grader.verdict(EXERCISE, folder, scratch)
        out = Path(self.work.name) / "out" / folder.parent.name
        grade.write_results(out, {EXERCISE: (kind, detail)})
        return kind, (out / "results.json").read_text(encoding="utf-8")

    def test_the_honest_student_passes_and_the_starter_fails(self):
        self.assertEqual(self.verdict(self.student("honest", "solution"))[0], "pass")
        self.assertEqual(self.verdict(self.student("untouched", "starter"))[0], "fail")

    def test_every_hostile_student_is_contained_and_never_passes(self):
        for name, (base, code) in HOSTILE.items():
            # The sleeper is stopped by the wall: a short one, so that it need
            # not take 120 s. The others end on their own, however busy the
            # machine, within the real one.
            wall = 20 if name == "sleeps forever" else seal.LIMITS["wall seconds per exercise"]
            with self.subTest(name), mock.patch.dict(seal.LIMITS, {"wall seconds per exercise": wall}):
                kind, written = self.verdict(self.student(name, base, code))
                self.assertIn(kind, ("fail", "error"), written[:2000])
                if name in ("prints one 100 KB line", "floods stdout"):
                    # Output alone must not knock the grader over: a verdict.
                    self.assertEqual(kind, "fail", written[:2000])
                self.assertNotIn(self.token, written)
                self.assertLess(len(written.encode()), 512 * 1024)
                json.loads(written)
        self.assertFalse(OUTSIDE.exists())
        self.assertEqual(tree_digest(), self.before)

    def test_compile_time_reads_from_outside_are_refused_before_building(self):
        reaching = self.student("includes", "solution")
        main = reaching / EXERCISE.folder / "main.cpp"
        main.write_text('#include "/dev/zero"\n' + main.read_text())
        self.assertEqual(self.verdict(reaching)[0], "error")
        linked = self.student("links", "solution")
        (linked / EXERCISE.folder / "main.cpp").unlink()
        (linked / EXERCISE.folder / "main.cpp").symlink_to(SECRET)
        kind, written = self.verdict(linked)
        self.assertEqual(kind, "error")
        self.assertNotIn(self.token, written)


if __name__ == "__main__":
    reason = seal.check_bwrap()
    if reason:
        print(f"skipped: {reason}")
        sys.exit(77)  # ctest shows it skipped (SKIP_RETURN_CODE), never passed
    unittest.main()
