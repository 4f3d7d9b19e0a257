"""docs/browser-check.py's judges, without a browser: what the browser
measures on a page (LAYOUT_SCRIPT) or lists in the search box, given as
the numbers of a page with the defect (the judge must fail) and of the page
fixed (it must pass). The numbers of the unfixed pages are those the site
had: a 114 px column on a phone, output lines of 1387 px in a 965 px box."""

import copy
import importlib.util
import os
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("browser_check",
                                              os.path.join(ROOT, "docs", "browser-check.py"))
bc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bc)

PHONE = (390, 844)
DESKTOP = (1280, 800)


def block(**changes):
    fixed = {"text": "$ build/dev/poetry-server/slowpoetry --delay 0.1 -", "wraps": False,
             "overflowX": "auto", "clientWidth": 965, "scrollWidth": 1387, "scrollbar": 10,
             "right": 1250, "visibleRight": 1265}
    fixed.update(changes)
    return fixed


FIXED_PHONE = {"viewport": [390, 844], "column": 374, "sideways": 0, "widest": None,
               "switchBox": {"left": 8, "right": 120, "top": 60, "bottom": 80, "shown": True},
               "blocks": [block(clientWidth=362, right=376, visibleRight=390)]}


def phone(**changes):
    seen = copy.deepcopy(FIXED_PHONE)
    seen.update(changes)
    return seen


class Layout(unittest.TestCase):
    def test_fixed_phone_page_passes(self):
        self.assertEqual(bc.layout_problems("part4.html", PHONE, FIXED_PHONE), [])

    def test_narrow_column_fails(self):
        problems = bc.layout_problems("part4.html", PHONE, phone(column=114))
        self.assertEqual(problems, [
            "part4.html at 390x844: the text column is 114 px wide, under 300: put the "
            "navigation tree away on narrow screens (docs/workbook.css)"])

    def test_switch_off_screen_fails(self):
        seen = phone(switchBox={"left": 436, "right": 551, "top": 19, "bottom": 37, "shown": True})
        problems = bc.layout_problems("ko/index.html", PHONE, seen)
        self.assertEqual(len(problems), 1)
        self.assertIn("ko/index.html at 390x844: the English | 한국어 switch is off screen "
                      "(at x 436 to 551", problems[0])
        self.assertIn("let the title area wrap", problems[0])

    def test_switch_missing_or_hidden_fails(self):
        hidden = dict(FIXED_PHONE["switchBox"], shown=False)
        for box in (None, hidden):
            problems = bc.layout_problems("index.html", PHONE, phone(switchBox=box))
            self.assertIn("switch is not shown", problems[0])

    def test_page_scrolling_sideways_fails(self):
        seen = phone(sideways=218, widest={"name": "img in div.mscgraph", "right": 608})
        problems = bc.layout_problems("part4.html", PHONE, seen)
        self.assertEqual(problems, [
            "part4.html at 390x844: the page scrolls sideways by 218 px: img in div.mscgraph "
            "reaches 608 px, past the window; let it wrap, or scroll in its own box "
            "(docs/workbook.css)"])

    def test_wrapped_code_fails_once_a_page(self):
        seen = phone(blocks=[block(wraps=True, text="int main() {"), block(wraps=True)])
        problems = bc.layout_problems("part4.html", PHONE, seen)
        self.assertEqual(len(problems), 1)
        self.assertIn("2 code blocks wrap their lines (the first: 'int main() {')", problems[0])
        seen = phone(blocks=[block(wraps=True, text="int main() {"), block()])
        self.assertIn("at 390x844: a code block wraps its lines (the first: 'int main() {')",
                      bc.layout_problems("part4.html", PHONE, seen)[0])

    def test_output_cut_off_without_scroll_bar_fails(self):
        # The site as it was at 1280 px: overflow-x: auto, but the scroll
        # bar shows only while scrolling.
        seen = {"viewport": [1280, 800], "column": 1004, "sideways": 0, "widest": None,
                "switchBox": {"left": 1100, "right": 1250, "top": 20, "bottom": 40, "shown": True},
                "blocks": [block(scrollbar=0)]}
        problems = bc.layout_problems("exercise4.html", DESKTOP, seen)
        self.assertEqual(problems, [
            "exercise4.html at 1280x800: a code block is cut off: its lines are 1387 px wide in "
            "a box of 965 px, with no scroll bar ('$ build/dev/poetry-server/slowpoetry "
            "--delay 0.1 -'): let it scroll with a visible scroll bar (overflow-x: auto, "
            "docs/workbook.css)"])
        seen["blocks"] = [block(overflowX="hidden")]
        self.assertEqual(len(bc.layout_problems("exercise4.html", DESKTOP, seen)), 1)
        seen["blocks"] = [block()]
        self.assertEqual(bc.layout_problems("exercise4.html", DESKTOP, seen), [])

    def test_block_past_the_column_fails(self):
        seen = phone(blocks=[block(clientWidth=500, scrollWidth=500, right=520, visibleRight=390)])
        problems = bc.layout_problems("trace.html", PHONE, seen)
        self.assertEqual(len(problems), 1)
        self.assertIn("a code block reaches 520 px, past the column's 390 px", problems[0])


class Search(unittest.TestCase):
    def test_only_the_api_fails(self):
        problems = bc.search_problems("ko/index.html", "callLater",
                                      ["../classinternet_1_1ReactorBase.html#ab0c8"])
        self.assertEqual(problems, [
            "ko/index.html: searching 'callLater' lists no course page (Part 4, Part 5, the "
            "exercises), only: classinternet_1_1ReactorBase.html: docs/search_course.py adds "
            "them to the search index when the site is built"])

    def test_nothing_found_fails(self):
        self.assertIn("only: nothing", bc.search_problems("index.html", "callLater", [])[0])
        self.assertIn("showed no results", bc.search_problems("index.html", "callLater", None)[0])

    def test_a_course_page_passes(self):
        for page in ("../part4.html#autotoc_md7", "../part5_stack.html", "../exercise3.html#x"):
            hrefs = ["../classinternet_1_1ReactorBase.html#ab0c8", page]
            self.assertEqual(bc.search_problems("index.html", "callLater", hrefs), [], page)

    def test_other_pages_are_not_the_course(self):
        hrefs = ["../api.html", "../trace.html", "../index.html"]
        self.assertEqual(len(bc.search_problems("index.html", "callLater", hrefs)), 1)


if __name__ == "__main__":
    unittest.main()
