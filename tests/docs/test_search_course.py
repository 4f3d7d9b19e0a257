"""docs/search_course.py on a small site with Doxygen 1.9.4's search index:
before it runs, searching `dataReceived` finds only the API; after, it finds
the course pages that cite it too, at their section. The search is done as
search.js does it."""

import contextlib
import io
import os
import re
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "docs"))
import search_course as sc  # noqa: E402

SEARCHDATA = """var indexSectionsWithContent =
{
  0: "d",
  1: "p"
};

var indexSectionNames =
{
  0: "all",
  1: "pages"
};

var indexSectionLabels =
{
  0: "All",
  1: "Pages"
};

"""
ALL_0 = """var searchData=
[
  ['datareceived_0',['dataReceived',['../classinternet_1_1Protocol.html#a1',1,'internet::Protocol::dataReceived()']]],
  ['doread_1',['doRead',['../classinternet_1_1IReadDescriptor.html#a2',1,'internet::IReadDescriptor::doRead()'],['../classinternet_1_1tcp_1_1Connection.html#a3',1,'internet::tcp::Connection::doRead()']]]
];
"""
PAGES_0 = """var searchData=
[
  ['part_205_0',['Part 5',['../part5.html',1,'']]]
];
"""
NAVTREE = """var NAVTREE =
[
  [ "Home", "index.html", [
    [ "Part 5", "part5.html", null ],
    [ "Classes", "annotated.html", null ]
  ] ]
];
"""
PART5 = """<div class="header"><div class="headertitle"><div class="title">Part 5: it's the protocol</div></div></div>
<div class="contents"><div class="textblock"><p>Intro: <code>doRead()</code>.</p>
<h1><a class="anchor" id="autotoc_md18"></a>What changed</h1>
<p>The transport calls <code>dataReceived()</code> and <code>Reactor::callLater()</code>;
Twisted's <code>_doReadOrWrite</code> dispatches.</p></div></div>"""


def search(site, typed):
    """What search.js lists for TYPED in the All category: the URLs of the
    matching entries' results."""
    with open(os.path.join(site, "search", "searchdata.js"), encoding="utf-8") as f:
        letters = re.search(r'0: "([^"]*)"', f.read()).group(1)
    index = letters.find(typed[0].lower())
    if index < 0:
        return []
    with open(os.path.join(site, "search", f"all_{index:x}.js"), encoding="utf-8") as f:
        text = f.read()
    entries, _ = sc.parse(text, text.index("["))
    wanted = sc.convert_to_id(typed.lower())
    return [child[0] for entry in entries if entry[0].startswith(wanted)
            for child in entry[1][1:]]


def run_it(*args):
    with contextlib.redirect_stdout(io.StringIO()):
        return sc.main(list(args))


class SearchCourse(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.site = self.dir.name
        os.makedirs(os.path.join(self.site, "search"))
        for name, text in (("search/searchdata.js", SEARCHDATA), ("search/all_0.js", ALL_0),
                           ("search/pages_0.js", PAGES_0), ("navtreedata.js", NAVTREE),
                           ("part5.html", PART5), ("index.html", '<div class="contents"></div>')):
            with open(os.path.join(self.site, name), "w", encoding="utf-8") as f:
                f.write(text)

    def tearDown(self):
        self.dir.cleanup()

    def test_without_it_search_finds_only_the_api(self):
        self.assertEqual(search(self.site, "dataReceived"),
                         ["../classinternet_1_1Protocol.html#a1"])
        self.assertEqual(search(self.site, "callLater"), [])

    def test_with_it_search_finds_the_course_page_at_its_section(self):
        self.assertEqual(run_it(self.site), 0)
        self.assertEqual(search(self.site, "dataReceived"),
                         ["../classinternet_1_1Protocol.html#a1", "../part5.html#autotoc_md18"])
        self.assertEqual(search(self.site, "datarec"),
                         ["../classinternet_1_1Protocol.html#a1", "../part5.html#autotoc_md18"])
        self.assertEqual(search(self.site, "doRead"),
                         ["../classinternet_1_1IReadDescriptor.html#a2",
                          "../classinternet_1_1tcp_1_1Connection.html#a3", "../part5.html"])
        # A letter Doxygen had no file for gets one, and its results page.
        self.assertEqual(search(self.site, "callLater"), ["../part5.html#autotoc_md18"])
        self.assertEqual(search(self.site, "_doReadOrWrite"), ["../part5.html#autotoc_md18"])
        with open(os.path.join(self.site, "search", "all_1.html"), encoding="utf-8") as f:
            self.assertIn('src="all_1.js"', f.read())

    def test_the_scope_names_page_and_section_escaped(self):
        run_it(self.site)
        with open(os.path.join(self.site, "search", "all_0.js"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("'Part 5: it\\'s the protocol \u203a What changed'", text)
        entries, _ = sc.parse(text, text.index("["))
        self.assertEqual(sc.write(entries[0])[:40], "['datareceived_0',['dataReceived',['../c")

    def test_running_twice_adds_nothing_more(self):
        run_it(self.site)
        run_it(self.site)
        self.assertEqual(search(self.site, "dataReceived").count("../part5.html#autotoc_md18"), 1)

    def test_no_index_is_exit_2(self):
        with tempfile.TemporaryDirectory() as empty:
            self.assertEqual(run_it(empty), 2)
        self.assertEqual(run_it(), 2)


if __name__ == "__main__":
    unittest.main()
