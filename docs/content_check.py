#!/usr/bin/env python3
"""Reads the built site's course pages, English and Korean, as a careful
reader would, and fails on what a browser cannot see:

- literal backticks in the text (a code span Doxygen did not render);
- a typographic dash where a command has `--` (`compare-stacks –svg`), or
  any en or em dash inside a code span;
- snippet markers (`//! [PoetrySocket]`) shown in a code block;
- a code symbol cited in the prose that the compiled sources do not have;
- an English page and its Korean twin that cite different code symbols;
- the course out of order: following "Next" from the home page, each
  exercise comes right after the last page of its part (stages.json).

A *code symbol* is the text of a code span, or of a link to the API
reference, in a page's prose (not in code blocks) that reads as a C++ or
Python name: after dropping template arguments (`<...>`), one trailing
argument list (`(...)`) and a trailing `*` or `&`, it is a path of names
joined by `::`, `.` or `->`, and it is qualified, or had an argument list,
or is one name with a capital letter or an underscore in it (`dataReceived`,
`PoetryProtocol`, `EV_READ`, `reactor_`). Plain lowercase words (`main`,
`release`), acronyms (`TCP`, `TODO`), file names (`main.cpp`), commands,
paths and program output are not symbols.

A symbol *exists* when its first name is `std` or `boost` (the standard
library's and Boost's), or it stands in a table column headed "Twisted"
(the Python names the shim mirrors), or every name in it is an identifier of
the compiled C++ sources (comments aside), of libevent's headers, or of the
list of Twisted's names (docs/twisted-names.txt); and, when it is qualified
by a class or namespace that Doxygen documents, the last name is a member of
that class or of one of its bases (the tag file), or the sources spell the
qualified name out.

English and Korean twins are compared on the last name of each symbol.

usage: content_check.py --site HTML_DIR --source SOURCE_DIR [--tagfile FILE]
                        [--include DIR]...
Exit status: 0 every page passes, 1 problems found (one line each),
2 bad arguments or no site.
"""

import argparse
import html.parser
import json
import os
import re
import sys

# The reference part of the navigation tree; the course ends where it begins.
REFERENCE = {"annotated.html", "classes.html", "namespaces.html", "files.html",
             "hierarchy.html", "functions.html", "namespacemembers.html", "globals.html"}
VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "wbr"}
NAME = r"~?[A-Za-z_]\w*"
PATH = re.compile(rf"{NAME}(?:(?:::|\.|->){NAME})*")
SEPARATOR = re.compile(r"::|\.|->")
FILE_EXTENSIONS = {"cpp", "cc", "h", "hpp", "md", "txt", "json", "py", "sh", "msc", "svg",
                   "html", "png", "cmake", "js", "css", "log", "dot", "in", "ko"}
EXTERNAL = {"std", "boost"}
SNIPPET_MARKER = re.compile(r"^[\s\d]*(//[/!]?\s*\[[\w.-]+\])\s*$")
DASHES = "\u2013\u2014"
NEXT_LABELS = ("Next:", "다음:")
CODE_IN_PROSE = str.maketrans({"`": "'", "\u2013": "-", "\u2014": "-"})


def symbol_path(text):
    """The symbol a code span cites, or None if it is not one."""
    text = " ".join(text.split())
    while True:  # template arguments, innermost first
        stripped = re.sub(r"<[^<>]*>", "", text)
        if stripped == text:
            break
        text = stripped
    called = bool(re.search(r"\([^()]*\)$", text))
    text = re.sub(r"\([^()]*\)$", "", text).rstrip("*&")
    if not PATH.fullmatch(text):
        return None
    names = SEPARATOR.split(text)
    if "." in text and names[-1].lower() in FILE_EXTENSIONS:
        return None
    if len(names) > 1:
        return text
    name = names[0]
    if re.fullmatch(r"[A-Z0-9]+", name):
        return None
    if called or "_" in name or re.search(r"[A-Z]", name):
        return text
    return None


def last_name(path):
    return SEPARATOR.split(path)[-1].lstrip("~")


class Page(html.parser.HTMLParser):
    """What one built page shows inside its div.contents: the prose text,
    the code symbols (with the section they are in), the code blocks, and
    where its "Next" link leads."""

    def __init__(self, name, markup):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.title = ""
        self.prose = []
        self.spans = []
        self.symbols = []  # (path, cited text, Twisted column?, section id, section title)
        self.blocks = []
        self.next = None
        self._stack = []  # (tag, role)
        self._buffers = {}
        self._tables = []
        self._section = ("", "")
        self._paragraph = ""
        self.feed(markup)
        self.close()

    def _inside(self, role):
        return any(r == role for _, r in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        contents = self._inside("contents")
        role = None
        if tag == "div" and "contents" in classes and not contents:
            role = "contents"
        elif tag == "div" and "title" in classes and not contents:
            role = "title"
        elif not contents or self._inside("skip"):
            pass
        elif tag in ("script", "style"):
            role = "skip"
        elif tag == "pre" or (tag == "div" and "fragment" in classes):
            role = "block" if not self._inside("block") else None
        elif self._inside("block") or self._inside("code"):
            pass
        elif tag in ("code", "tt", "kbd"):
            role = "code"
        elif tag == "a" and "el" in classes and re.match(
                r"(class|struct|namespace|union)|.*_8h", attrs.get("href") or ""):
            role = "code"
        elif re.fullmatch(r"h[1-6]", tag):
            role = "heading"
        if role:
            self._buffers[role] = ""
        if contents and tag == "a" and attrs.get("class") == "anchor" and self._inside("heading"):
            self._section = (attrs.get("id") or "", "")
        if contents and tag == "a" and self.next is None and \
                self._paragraph.rstrip().endswith(NEXT_LABELS):
            self.next = (attrs.get("href") or "").split("#")[0]
        if contents and tag == "p":
            self._paragraph = ""
        if contents and tag == "table":
            self._tables.append({"headers": [], "column": -1, "in_header": False})
        if self._tables and tag == "tr":
            self._tables[-1]["column"] = -1
        if self._tables and tag in ("th", "td"):
            table = self._tables[-1]
            table["column"] += 1
            table["in_header"] = tag == "th"
            if tag == "th":
                table["headers"].append("")
        if tag not in VOID:
            self._stack.append((tag, role))
        elif tag == "br" and self._inside("block"):
            self.handle_data("\n")

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self._stack):
            return
        while self._stack:
            open_tag, role = self._stack.pop()
            if role:
                self._finish(role, self._buffers.pop(role, ""))
            if open_tag == "table" and self._tables and self._inside("contents"):
                self._tables.pop()
            if open_tag == tag:
                break
        if tag == "div" and self._inside("block"):
            self._buffers["block"] += "\n"
        elif tag in ("p", "li", "div", "tr", "h1", "h2", "h3", "h4", "summary") and \
                self._inside("contents"):
            self.prose.append("\n")

    def _finish(self, role, text):
        if role == "title":
            self.title = " ".join(text.split())
        elif role == "block":
            self.blocks.append(text)
        elif role == "heading":
            self._section = (self._section[0], " ".join(text.split()))
        elif role == "code":
            self.spans.append(text)
            path = symbol_path(text)
            if path:
                table = self._tables[-1] if self._tables else None
                twisted = bool(table and 0 <= table["column"] < len(table["headers"])
                               and "Twisted" in table["headers"][table["column"]])
                self.symbols.append((path, " ".join(text.split()), twisted) + self._section)

    def handle_data(self, data):
        for role in self._buffers:
            self._buffers[role] += data
        if self._tables and self._tables[-1]["in_header"] and self._tables[-1]["headers"]:
            self._tables[-1]["headers"][-1] += data
        if self._inside("contents") and not (self._inside("block") or self._inside("skip")):
            if self._inside("code"):  # shown, for context, but never taken for markup
                data = data.translate(CODE_IN_PROSE)
            self.prose.append(data)
            self._paragraph += data

    def text(self):
        return "".join(self.prose)


def course_order(site, lang_dir=""):
    """The course pages of the navigation tree (navtreedata.js and the files
    it loads), in tree order; the reference part (classes, files) is left out."""
    folder = os.path.join(site, lang_dir)
    entry = re.compile(r'\[ "(?:[^"\\]|\\.)*", "([^"#]*)(?:#[^"]*)?", (?:"([A-Za-z0-9_]+)"|\[|null)')
    pages = []

    def walk(js):
        with open(os.path.join(folder, js), encoding="utf-8") as f:
            text = f.read()
        for href, child in entry.findall(text):
            if href in REFERENCE:
                break
            name = href[:-len(".html")] if href.endswith(".html") else None
            if name and name not in pages:
                pages.append(name)
            if child:
                walk(child + ".js")

    walk("navtreedata.js")
    return pages


def read_pages(folder, names):
    pages = {}
    for name in names:
        path = os.path.join(folder, name + ".html")
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                pages[name] = Page(name, f.read())
    return pages


def context(text, start, end, width=30):
    return "..." + " ".join(text[max(0, start - width):end + width].split()) + "..."


# The checks. Each takes what it needs and returns its problems, one line each.

def check_backticks(where, page):
    text = page.text()
    return [f"{where}: literal backticks in the text {context(text, m.start(), m.end())}: "
            "Doxygen made no code span of them (inside a link's text it never does); "
            "write that text without backticks"
            for m in re.finditer(r"`[^`\n]{0,80}`|`", text)]


def check_dashes(where, page):
    problems = []
    text = page.text()
    for m in re.finditer(rf"(?:^|(?<=\s))[{DASHES}](?=[A-Za-z])", text):
        found = context(text, m.start(), m.end())
        problems.append(f"{where}: a dash where a command has -- {found}: "
                        "Doxygen makes -- in plain text a dash, so a copied command fails; "
                        "put the command in a code span")
    for code in page.spans:  # (a block may quote a poem, whose dashes are its own)
        for m in re.finditer(f"[{DASHES}]", code):
            found = context(code, m.start(), m.end())
            problems.append(f"{where}: a typographic dash inside code {found}: "
                            "code never has one; write -- or -")
    return problems


def check_snippet_markers(where, page):
    markers = []
    for block in page.blocks:
        for line in block.splitlines():
            m = SNIPPET_MARKER.match(line)
            if m and m.group(1) not in markers:
                markers.append(m.group(1))
    if not markers:
        return []
    return [f"{where}: snippet markers show in its code ({', '.join(markers)}): the reader "
            "sees the quoting machinery; show the code without its markers"]


def check_symbols_exist(where, page, known):
    problems = []
    for path, cited, twisted, *_ in page.symbols:
        if twisted:
            continue
        why = known.missing(path)
        if why:
            problems.append(f"{where}: `{cited}` is cited but {why}: correct the name, or, if it "
                            "is Twisted's, say so and list it in docs/twisted-names.txt")
    return problems


def check_parity(name, english, korean):
    if english is None or korean is None:
        missing = "ko/" if korean is None else ""
        return [f"{missing}{name}.html: missing; every course page has an English and a "
                "Korean twin"]
    en = {last_name(s[0]) for s in english.symbols}
    ko = {last_name(s[0]) for s in korean.symbols}
    problems = []
    if en - ko:
        problems.append(f"ko/{name}.html: does not cite {', '.join(sorted(en - ko))}, which "
                        f"{name}.html cites: cite the same code in both languages")
    if ko - en:
        problems.append(f"{name}.html: does not cite {', '.join(sorted(ko - en))}, which "
                        f"ko/{name}.html cites: cite the same code in both languages")
    return problems


def page_part(name, exercise_parts):
    m = re.fullmatch(r"part(\d+)(?:_\w+)?", name)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"exercise(\d+)", name)
    if m and 1 <= int(m.group(1)) <= len(exercise_parts):
        return exercise_parts[int(m.group(1)) - 1]
    return None


def check_course_order(lang_dir, pages, exercise_parts):
    """Follows "Next" from the home page. Each exercise page comes right
    after the last page of its part (or after another exercise of that
    part), and no page of a later part comes before it."""
    chain, name = [], "index"
    while name and name not in chain:
        chain.append(name)
        page = pages.get(name)
        name = page.next[:-len(".html")] if page and page.next and \
            page.next.endswith(".html") else None
    order = " -> ".join(chain)
    problems = []
    for number, part in enumerate(exercise_parts, 1):
        exercise = f"exercise{number}"
        where = f"{lang_dir}{exercise}.html"
        if exercise not in chain:
            problems.append(f"{where}: not reached by following Next from the home page "
                            f"(course: {order}): link it from the last page of Part {part}")
            continue
        at = chain.index(exercise)
        reasons = []
        if page_part(chain[at - 1], exercise_parts) != part:
            reasons.append(f"it comes after {chain[at - 1]}, not after a page of Part {part}")
        later = [p for p in chain[:at] if (page_part(p, exercise_parts) or 0) > part]
        if later:
            reasons.append(f"pages of a later part come before it ({', '.join(later)})")
        after = [p for p in chain[at + 1:] if page_part(p, exercise_parts) == part
                 and not p.startswith("exercise")]
        if after:
            reasons.append(f"pages of Part {part} come after it ({', '.join(after)})")
        if reasons:
            problems.append(f"{where}: out of order: {'; '.join(reasons)} (course: {order}): "
                            "put each exercise right after the last page of its part in the "
                            "Next links")
    return problems


class Known:
    """The names the compiled sources have: identifiers of the C++ sources
    (comments removed) and of the headers given, Twisted's names from the
    list, and the members of each documented class (Doxygen's tag file)."""

    def __init__(self, source_dir, include_dirs=(), tagfile=None, twisted_file=None):
        self.identifiers = set()
        self.qualified_text = ""
        for root in [source_dir, *include_dirs]:
            for folder, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".") and
                           not (root == source_dir and d == "build")]
                for file in files:
                    if file.endswith((".h", ".hpp", ".cpp", ".cc")):
                        with open(os.path.join(folder, file), encoding="utf-8",
                                  errors="replace") as f:
                            code = strip_comments(f.read())
                        self.identifiers.update(re.findall(r"[A-Za-z_]\w*", code))
                        if root == source_dir:
                            self.qualified_text += code
        self.twisted = read_name_list(twisted_file) if twisted_file else set()
        self.members = read_tagfile(tagfile) if tagfile else {}

    def missing(self, path):
        """Why PATH does not exist, or None if it does."""
        names = [n.lstrip("~") for n in SEPARATOR.split(path)]
        if names[0] in EXTERNAL:
            return None
        unknown = [n for n in names if n not in self.identifiers and n not in self.twisted]
        if unknown:
            return f"the sources have no {', '.join(unknown)}"
        if "::" in path and "." not in path and "->" not in path:
            scope, member = path.rsplit("::", 1)
            for qualified in (scope, "internet::" + scope):
                if qualified in self.members:
                    if member.lstrip("~") in self.members[qualified] or \
                            re.search(rf"\b{re.escape(path)}\b", self.qualified_text):
                        return None
                    return f"{qualified} has no member {member}"
        return None


def strip_comments(code):
    """C++ without its comments; string literals kept (an environment
    variable's name lives in one)."""
    out = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/',
                 lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", code, flags=re.S)
    return out


def read_name_list(path):
    """docs/twisted-names.txt: one name a line, then its reason after #."""
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            name = line.split("#", 1)[0].strip()
            if name:
                names.add(name)
    return names


def read_tagfile(path):
    """Each documented class and namespace with its members' names, its
    bases' members included."""
    import xml.etree.ElementTree as ElementTree
    compounds, bases = {}, {}
    for compound in ElementTree.parse(path).getroot().iter("compound"):
        if compound.get("kind") not in ("class", "struct", "namespace", "union"):
            continue
        name = compound.findtext("name")
        members = {m.findtext("name") for m in compound.findall("member")}
        members |= {c.text.split("::")[-1] for c in compound.findall("class")}
        members |= {n.text.split("::")[-1] for n in compound.findall("namespace")}
        compounds[name] = members
        bases[name] = [re.sub(r"<.*", "", b.text) for b in compound.findall("base")]

    def all_members(name, seen=()):
        result = set(compounds.get(name, ()))
        for base in bases.get(name, ()):
            scope = name.rsplit("::", 1)[0] if "::" in name else ""
            for candidate in (base, f"{scope}::{base}" if scope else base, "internet::" + base):
                if candidate in compounds and candidate not in seen:
                    result |= all_members(candidate, seen + (name,))
                    break
        return result

    return {name: all_members(name) for name in compounds}


def check_site(site, known, exercise_parts):
    names = course_order(site)
    names = ["index"] + [n for n in names if n != "index"]
    ko_names = ["index"] + [n for n in course_order(site, "ko/") if n != "index"]
    english = read_pages(site, names)
    korean = read_pages(os.path.join(site, "ko"), ko_names)
    problems = []
    for lang_dir, pages in (("", english), ("ko/", korean)):
        for name, page in pages.items():
            where = f"{lang_dir}{name}.html"
            problems += check_backticks(where, page)
            problems += check_dashes(where, page)
            problems += check_snippet_markers(where, page)
            problems += check_symbols_exist(where, page, known)
        problems += check_course_order(lang_dir, pages, exercise_parts)
    for name in sorted(set(english) | set(korean)):
        problems += check_parity(name, english.get(name), korean.get(name))
    return problems, len(english) + len(korean)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--tagfile")
    parser.add_argument("--include", action="append", default=[])
    args = parser.parse_args(argv)
    site = os.path.abspath(args.site)
    if not os.path.isfile(os.path.join(site, "navtreedata.js")) or \
            not os.path.isfile(os.path.join(site, "ko", "navtreedata.js")):
        print(f"no site in {site}: build it first (cmake --build --preset dev --target docs)")
        return 2
    try:
        with open(os.path.join(args.source, "stages.json"), encoding="utf-8") as f:
            exercise_parts = [e["part"] for e in json.load(f)["exercises"]]
    except (OSError, ValueError, KeyError) as e:
        print(f"cannot read the course from {args.source}/stages.json: {e}")
        return 2
    known = Known(args.source, args.include, args.tagfile,
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "twisted-names.txt"))
    problems, count = check_site(site, known, exercise_parts)
    print(f"{count} course pages read, English and Korean")
    for problem in problems:
        print("PROBLEM " + problem)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print("every page reads as the code is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
