"""docs/browser-check.py's layout measurements in headless Chromium, on a
page laid out as Doxygen 1.9.4 lays out the site's (fixtures/page.html):
without docs/workbook.css, the page has the defects the site had (a narrow
column and the switch off screen on a phone, code wrapped, output cut off
without a scroll bar at 1280 px) and the check must report each; with it,
the check must pass. Needs Chromium (ctest docs-browser-checker); exits 77,
a skip, without it.

usage: browser_fixture_check.py [CHROMIUM]
"""

import importlib.util
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
spec = importlib.util.spec_from_file_location("browser_check",
                                              os.path.join(ROOT, "docs", "browser-check.py"))
bc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bc)

CHROMIUM = None
PHONE, DESKTOP = (390, 844), (1280, 800)


class Layout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        with open(os.path.join(HERE, "fixtures", "page.html"), encoding="utf-8") as f:
            page = f.read()
        shutil.copy(os.path.join(ROOT, "docs", "workbook.css"), cls.dir.name)
        for name, stylesheet in (("without.html", ""),
                                 ("with.html", '<link href="workbook.css" rel="stylesheet"/>')):
            with open(os.path.join(cls.dir.name, name), "w", encoding="utf-8") as f:
                f.write(page.replace("<!--STYLESHEET-->", stylesheet))
        cls.browser = bc.Chromium(CHROMIUM)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.dir.cleanup()

    def problems(self, name, size):
        self.browser.resize(*size, mobile=True)
        self.browser.open("file://" + os.path.join(self.dir.name, name))
        return bc.layout_problems(name, size, self.browser.evaluate(bc.LAYOUT_SCRIPT))

    def assertFound(self, problems, *texts):
        for text in texts:
            self.assertTrue(any(text in p for p in problems), f"{text!r} not in {problems}")

    def test_phone_without_the_stylesheet_fails(self):
        problems = self.problems("without.html", PHONE)
        self.assertFound(problems, "the text column is", "switch is off screen",
                         "wrap", "a code block is cut off",
                         "the page scrolls sideways")

    def test_phone_with_the_stylesheet_passes(self):
        self.assertEqual(self.problems("with.html", PHONE), [])

    def test_desktop_without_the_stylesheet_fails(self):
        problems = self.problems("without.html", DESKTOP)
        self.assertFound(problems, "wrap",
                         "a code block is cut off: its lines are")
        self.assertFalse(any("column" in p or "switch" in p for p in problems), problems)

    def test_desktop_with_the_stylesheet_passes(self):
        self.assertEqual(self.problems("with.html", DESKTOP), [])


if __name__ == "__main__":
    CHROMIUM = sys.argv[1] if len(sys.argv) > 1 else \
        shutil.which("chromium") or shutil.which("chromium-browser")
    if not CHROMIUM or not os.access(CHROMIUM, os.X_OK):
        print("Chromium not found: skipped (`./workbook setup` installs it)")
        sys.exit(77)
    unittest.main(argv=sys.argv[:1])
