"""docs/record-outputs.py where no server is needed: its usage errors, a
build that lacks a program, and the listings with their snippet markers
blanked. The runs themselves are checked by the docs build and its tests."""

import importlib.util
import io
import os
import tempfile
import unittest
from contextlib import redirect_stderr
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("record_outputs", ROOT / "docs" / "record-outputs.py")
ro = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ro)


class RecordOutputs(unittest.TestCase):
    def test_wrong_arguments_are_a_usage_error(self):
        with redirect_stderr(io.StringIO()) as said:
            self.assertEqual(ro.main(["record-outputs.py", "build/dev"]), 2)
        self.assertTrue(said.getvalue().startswith("usage: "))

    def test_a_build_without_the_programs_says_which_one_in_one_line(self):
        with tempfile.TemporaryDirectory() as build, tempfile.TemporaryDirectory() as out:
            with redirect_stderr(io.StringIO()) as said:
                self.assertEqual(ro.main(["record-outputs.py", build, out]), 1)
            self.assertEqual(os.listdir(out), [])
        self.assertIn("poetry-server/slowpoetry is not built", said.getvalue())
        self.assertEqual(len(said.getvalue().splitlines()), 1)

    def test_listings_blank_the_snippet_markers_and_keep_every_line(self):
        source = ROOT / "part05-client2" / "main.cpp"
        with tempfile.TemporaryDirectory() as out:
            ro.listings(Path(out))
            copy = (Path(out) / "listings" / "part05-client2" / "main.cpp").read_text(encoding="utf-8")
        original = source.read_text(encoding="utf-8")
        self.assertIn("//! [", original)
        self.assertNotIn("//! [", copy)
        self.assertEqual(len(copy.splitlines()), len(original.splitlines()))


if __name__ == "__main__":
    unittest.main()
