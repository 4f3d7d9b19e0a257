#!/usr/bin/env python3
"""Adds the course pages to the search box of a built site: searching
`dataReceived` lists, beside the API entries Doxygen made, each course page
whose prose cites it, linked at the section that does.

Doxygen 1.9.4 indexes pages by their title only. Its index is, per
category (All, Classes, ..., Pages), one file search/CATEGORY_N.js per first
letter, holding `var searchData=[ ['id',['Name',[url,1,scope],...]], ...]`;
the letters are listed in search/searchdata.js (indexSectionsWithContent),
and the box matches what is typed against the start of each id. This
script adds, in the All and Pages categories, one child [page URL, 1, page
title > section] under each symbol the page cites (content_check.py says
what a symbol is), making the entry when Doxygen has none. Run by
build-site.cmake after each Doxygen build:

usage: search_course.py HTML_DIR      (the site's folder of one language)
Exit status: 0 done, 2 no built site there.
"""

import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import content_check  # noqa: E402

CATEGORIES = ("all", "pages")
TOKEN = re.compile(r"\s*(?:(\[)|(\])|(,)|'((?:[^'\\]|\\.)*)'|(-?\d+))")


class Raw(str):
    """A JavaScript string as written in the file, escapes and all."""


def parse(text, pos=0):
    """One value of Doxygen's search data (arrays, 'strings', integers)."""
    m = TOKEN.match(text, pos)
    if not m:
        raise ValueError(f"unexpected text at {pos}: {text[pos:pos + 30]!r}")
    if m.group(1):
        items, pos = [], m.end()
        while True:
            close = TOKEN.match(text, pos)
            if close and close.group(2):
                return items, close.end()
            item, pos = parse(text, pos)
            items.append(item)
            comma = TOKEN.match(text, pos)
            if comma and comma.group(3):
                pos = comma.end()
    if m.group(4) is not None:
        return Raw(m.group(4)), m.end()
    if m.group(5) is not None:
        return int(m.group(5)), m.end()
    raise ValueError(f"unexpected {m.group(0)!r} at {pos}")


def write(value):
    if isinstance(value, list):
        return "[" + ",".join(write(v) for v in value) + "]"
    if isinstance(value, Raw):
        return f"'{value}'"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(value)


def convert_to_id(text):
    """search.js's convertToId: the id the box matches what is typed against."""
    out = ""
    for c in text:
        if re.match(r"[a-z0-9\u0080-\uffff]", c):
            out += c
        else:
            out += f"_{ord(c):02x}" if ord(c) < 16 else f"_{ord(c):x}"
    return out


def course_citations(site):
    """Each name cited on the course pages: its first citation on each
    page, as (page file, section id, page title, section title)."""
    names = ["index"] + [n for n in content_check.course_order(site) if n != "index"]
    cited = {}
    for name, page in content_check.read_pages(site, names).items():
        for path, _, _, section, heading in page.symbols:
            symbol = content_check.last_name(path)
            where = cited.setdefault(symbol, [])
            if name not in [w[0] for w in where]:
                where.append((name, section, page.title, heading))
    return cited


def add_to_index(site, cited):
    searchdata = os.path.join(site, "search", "searchdata.js")
    with open(searchdata, encoding="utf-8") as f:
        data = f.read()
    letters = dict(re.findall(r'(\d+): "([^"]*)"', data.split("indexSectionNames")[0]))
    sections = {v: k for k, v in re.findall(
        r'(\d+): "([^"]*)"', data.split("indexSectionNames")[1].split("indexSectionLabels")[0])}
    added = 0
    for category in CATEGORIES:
        key = sections[category]
        by_letter = {}
        for symbol in cited:
            by_letter.setdefault(symbol[0].lower(), []).append(symbol)
        for letter, symbols in sorted(by_letter.items()):
            if letter not in letters[key]:
                letters[key] += letter
                data = re.sub(rf'(\b{key}: ")[^"]*"', rf'\g<1>{letters[key]}"', data, count=1)
            number = f"{letters[key].index(letter):x}"
            added += add_to_file(os.path.join(site, "search", f"{category}_{number}"),
                                 symbols, cited)
    with open(searchdata, "w", encoding="utf-8") as f:
        f.write(data)
    return added


def add_to_file(base, symbols, cited):
    """Adds the citations of SYMBOLS to BASE.js, making BASE.js and
    BASE.html if Doxygen did not."""
    entries = []
    if os.path.isfile(base + ".js"):
        with open(base + ".js", encoding="utf-8") as f:
            text = f.read()
        entries, _ = parse(text, text.index("["))
    else:
        with open(base + ".html", "w", encoding="utf-8") as f:
            f.write(RESULTS_PAGE.replace("FILE", os.path.basename(base)))
    added = 0
    used = {int(e[0].rsplit("_", 1)[1]) for e in entries if re.search(r"_\d+$", e[0])}
    for symbol in symbols:
        entry = next((e for e in entries if e[1][0] == symbol), None)
        if entry is None:
            number = max(used, default=-1) + 1
            used.add(number)
            entry = [Raw(f"{convert_to_id(symbol.lower())}_{number}"), [symbol]]
            entries.append(entry)
        for name, section, title, heading in cited[symbol]:
            url = f"../{name}.html" + (f"#{section}" if section else "")
            if any(child[0] == url for child in entry[1][1:]):
                continue
            scope = title + (f" \u203a {heading}" if heading else "")
            entry[1].append([url, 1, html.escape(scope, quote=False)])
            added += 1
    entries.sort(key=lambda e: re.sub(r"_\d+$", "", e[0]))
    with open(base + ".js", "w", encoding="utf-8") as f:
        f.write("var searchData=\n[\n" + ",\n".join("  " + write(e) for e in entries) + "\n];\n")
    return added


# A results page, as Doxygen 1.9.4 writes one per letter (search/all_3.html).
RESULTS_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "https://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title></title>
<meta http-equiv="Content-Type" content="text/xhtml;charset=UTF-8"/>
<link rel="stylesheet" type="text/css" href="search.css"/>
<script type="text/javascript" src="FILE.js"></script>
<script type="text/javascript" src="search.js"></script>
</head>
<body class="SRPage">
<div id="SRIndex">
<div class="SRStatus" id="Loading">Loading...</div>
<div id="SRResults"></div>
<script type="text/javascript">createResults();</script>
<div class="SRStatus" id="Searching">Searching...</div>
<div class="SRStatus" id="NoMatches">No Matches</div>
<script type="text/javascript">
document.getElementById("Loading").style.display="none";
document.getElementById("NoMatches").style.display="none";
var searchResults = new SearchResults("searchResults");
searchResults.Search();
window.addEventListener("message", function(event) {
  if (event.data == "take_focus") {
    var elem = searchResults.NavNext(0);
    if (elem) elem.focus();
  }
});
</script>
</div>
</body>
</html>
"""


def main(argv):
    if len(argv) != 1:
        print("usage: search_course.py HTML_DIR")
        return 2
    site = argv[0]
    if not os.path.isfile(os.path.join(site, "search", "searchdata.js")):
        print(f"no search index in {site}/search: build the site first")
        return 2
    cited = course_citations(site)
    added = add_to_index(site, cited)
    print(f"search: {len(cited)} names cited on the course pages, {added} links to them added")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
