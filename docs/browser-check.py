#!/usr/bin/env python3
"""Reads every tutorial page of the built site, English and Korean, in
headless Chromium at 1280x800 and at a phone's 390x844, and fails if a page
does not read correctly:

- a figure or iframe is clipped: its content is wider or taller than its box,
  or the box reaches past the visible part of the page;
- literal markup shows in the text (outside code): `*word*`, `**`,
  `mainpage`, `\\ref`, `@ref` and the like;
- a link inside the site points at a file or an anchor that does not exist,
  or a picture does not load;
- a fold (`<details>`) has no summary of its own: Doxygen broke it up, one
  fold per paragraph;
- the English | 한국어 switch is missing, or Korean text may break mid-word
  (no `word-break: keep-all`);
- the course is out of order (Start here, Part 4, Part 5, Exercises, Seeing
  the reactor, the API);
- at either size: the text column is narrower than 300 px, the switch is
  off screen, the page scrolls sideways, a code block wraps its lines, or a
  code or output block is cut off (wider than the column, or its lines wider
  than its box without a scroll bar to show it);
- searching `dataReceived` or `callLater` in the search box, in either
  language, lists no course page (Part 4, Part 5, the exercises).

What the browser measures is judged by plain functions (layout_problems,
search_problems), which tests/docs tests without a browser.

It saves a screenshot of each key page, and of each figure on it, in
--screenshots, and of each key page on the phone (phone-*.png). Chromium is driven through its DevTools protocol over a pipe
(--remote-debugging-pipe); the site is served from a loopback port, so
nothing leaves the machine. Only the Python standard library is used.

usage: browser-check.py --chromium PATH --site HTML_DIR --screenshots DIR
"""

import argparse
import base64
import functools
import html.parser
import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import content_check  # noqa: E402

WIDTH, HEIGHT = 1280, 800
PHONE = (390, 844)
# The narrowest text column that still reads as text.
MIN_COLUMN = 300
# What a search must find, and which pages teach.
SEARCH_TERMS = ["dataReceived", "callLater"]
TEACHING = re.compile(r"(part\d+\w*|exercise\d+)\.html")
# The course, in order, on each language's list of pages.
COURSE = ["start", "part4", "part5", "exercises", "trace", "api"]
KEY_PAGES = ["index", "start", "part4", "part5", "part5_simple", "part5_stack",
             "exercises", "exercise1", "exercise4", "trace", "api", "troubleshooting"]
# Bounds generous enough for a loaded machine.
LOAD_TIMEOUT = 60.0


class Chromium:
    """One headless Chromium, one tab, spoken to over --remote-debugging-pipe."""

    def __init__(self, path):
        self.profile = tempfile.mkdtemp(prefix="browser-check-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire_pipes():
            # Chromium reads commands on fd 3 and writes answers on fd 4.
            # Copies first: either end may itself be fd 3 or 4.
            reads, writes = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--remote-debugging-pipe",
             "--user-data-dir=" + self.profile,
             f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
            preexec_fn=wire_pipes, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.answers = {}
        self.events = queue.Queue()
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.resize(WIDTH, HEIGHT)

    def resize(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": mobile}, session=True)

    def type(self, text):
        """Types TEXT into the focused element, key by key."""
        for c in text:
            self.call("Input.dispatchKeyEvent",
                      {"type": "keyDown", "key": c, "text": c, "unmodifiedText": c}, session=True)
            self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": c}, session=True)

    def _read(self):
        pending = b""
        while True:
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                with self.lock:
                    self.answers[None] = "Chromium closed the pipe"
                    self.lock.notify_all()
                return
            pending += chunk
            while b"\0" in pending:
                raw, pending = pending.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self.lock:
                        self.answers[message["id"]] = message
                        self.lock.notify_all()
                else:
                    self.events.put(message)

    def call(self, method, params=None, session=False, timeout=LOAD_TIMEOUT):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.next_id not in self.answers:
                if None in self.answers:
                    raise RuntimeError(self.answers[None])
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no answer to {method} in {timeout:.0f} s")
                self.lock.wait(left)
            answer = self.answers.pop(self.next_id)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def open(self, url):
        while not self.events.empty():
            self.events.get_nowait()
        self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + LOAD_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"{url} did not finish loading in {LOAD_TIMEOUT:.0f} s")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if event.get("method") == "Page.loadEventFired":
                return

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True,
                            "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except RuntimeError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# What the page is asked, in the page: the figures, the text outside code,
# the links, the switch, the style of Korean text.
PAGE_SCRIPT = r"""
(async () => {
  // Give the tree view and the figures' iframes time to settle.
  await new Promise(r => setTimeout(r, 50));
  const out = {clipped: [], text: "", links: [], images: [], switchHref: null,
               wordBreak: null, figures: 0, folds: []};
  const content = document.getElementById("doc-content") || document.body;
  const area = content.getBoundingClientRect();
  const visibleRight = area.left + content.clientWidth;
  const name = el => (el.getAttribute("src") || el.getAttribute("data") || el.tagName);
  const visible = el => el.getClientRects().length > 0 && el.offsetWidth > 0;
  for (const frame of document.querySelectorAll("div.contents iframe, div.contents img, div.contents object, div.contents svg")) {
    if (!visible(frame)) continue;
    out.figures++;
    const box = frame.getBoundingClientRect();
    if (box.right > visibleRight + 1)
      out.clipped.push(`${name(frame)}: ${Math.round(box.width)} px wide, reaches ${Math.round(box.right)} px, the page shows up to ${Math.round(visibleRight)} px`);
    if (frame.tagName === "IFRAME") {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) { out.clipped.push(`${name(frame)}: its content cannot be read`); continue; }
      const root = doc.documentElement;
      const svg = doc.querySelector("svg");
      const inner = svg ? svg.getBoundingClientRect() : {width: root.scrollWidth, height: root.scrollHeight};
      const w = Math.max(root.scrollWidth, inner.width), h = Math.max(root.scrollHeight, inner.height);
      if (w > frame.clientWidth + 1 || h > frame.clientHeight + 1)
        out.clipped.push(`${name(frame)}: content ${Math.round(w)}x${Math.round(h)} px in a box of ${frame.clientWidth}x${frame.clientHeight} px`);
    }
    if (frame.tagName === "IMG" && frame.complete && frame.naturalWidth === 0)
      out.images.push(name(frame));
  }
  for (const fold of document.querySelectorAll("div.contents details")) {
    const first = fold.firstElementChild;
    if (!first || first.tagName !== "SUMMARY")
      out.folds.push(fold.textContent.trim().replace(/\s+/g, " ").slice(0, 60));
  }
  const copy = (document.querySelector("div.contents") || document.body).cloneNode(true);
  for (const code of copy.querySelectorAll("pre, code, div.fragment, div.line, tt, kbd, script, style, div.dotgraph, iframe"))
    code.remove();
  const header = document.querySelector("div.header");
  out.text = (header ? header.innerText + "\n" : "") + copy.innerText;
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (href.startsWith("javascript:")) continue;
    out.links.push(a.href);
  }
  const other = document.getElementById("langother");
  out.switchHref = other ? other.href : null;
  const p = document.querySelector("div.contents p") || document.body;
  out.wordBreak = getComputedStyle(p).wordBreak;
  out.lang = document.documentElement.getAttribute("lang");
  return out;
})()
"""

LITERAL_MARKUP = [
    (re.compile(r"\*\*"), "**"),
    (re.compile(r"(?:^|[^\w*])\*[^\s*][^*\n]{0,80}?\*(?![\w*])"), "*word*"),
    (re.compile(r"\*[^\s*][^*\n]{0,80}?\*[\uac00-\ud7a3]"), "*word* before a particle"),
    (re.compile(r"\bmainpage\b"), "mainpage"),
    (re.compile(r"[\\@](ref|subpage|snippet|verbinclude|includelineno|dotfile|page|anchor)\b"), "a Doxygen command"),
    (re.compile(r"\{#[\w-]+\}"), "a heading's {#id}"),
]


class Ids(html.parser.HTMLParser):
    """The ids and anchor names of one HTML file."""

    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


# What the page shows at this size: the text column, the switch, whether
# the page scrolls sideways, and each code or output block (folds opened).
LAYOUT_SCRIPT = r"""
(async () => {
  await new Promise(r => setTimeout(r, 50));
  for (const fold of document.querySelectorAll("div.contents details")) fold.open = true;
  // The window as the reader sees it (on a phone, innerWidth grows to
  // whatever is wider than the screen).
  const view = [Math.round(visualViewport.width), Math.round(visualViewport.height)];
  const out = {viewport: view, column: null,
               switchBox: null, sideways: 0, blocks: []};
  const column = document.querySelector("div.contents");
  if (column) out.column = Math.round(column.getBoundingClientRect().width);
  const sw = document.getElementById("langswitch");
  if (sw) {
    const range = document.createRange();
    range.selectNodeContents(sw);  // the words themselves, not their cell
    const r = range.getBoundingClientRect(), st = getComputedStyle(sw);
    out.switchBox = {left: Math.round(r.left), right: Math.round(r.right),
                     top: Math.round(r.top), bottom: Math.round(r.bottom),
                     shown: st.display !== "none" && st.visibility !== "hidden" && r.width > 0};
  }
  const content = document.getElementById("doc-content") || document.scrollingElement;
  out.sideways = Math.max(content.scrollWidth - content.clientWidth,
                          document.scrollingElement.scrollWidth - view[0]);
  const visibleRight = content.getBoundingClientRect().left + content.clientWidth;
  out.widest = null;
  const label = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id :
      typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
  const scrolled = el => {
    for (let p = el.parentElement; p && p !== content && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== "visible") return true;
    return false;
  };
  if (out.sideways > 1)
    for (const el of document.body.querySelectorAll("*")) {
      // How far it reaches, its overflowing text included; the deepest wins.
      const box = el.getBoundingClientRect();
      const right = getComputedStyle(el).overflowX === "visible"
                    ? Math.max(box.right, box.left + el.scrollWidth) : box.right;
      if (right <= visibleRight + 1 || scrolled(el)) continue;
      if (!out.widest || right >= out.widest.right)
        out.widest = {right: Math.round(right), name: label(el) + " in " + label(el.parentElement)};
    }
  for (const block of document.querySelectorAll("div.contents pre, div.contents div.fragment")) {
    if (!block.getClientRects().length) continue;
    const st = getComputedStyle(block);
    const lines = block.tagName === "PRE" ? [block] : Array.from(block.querySelectorAll("div.line"));
    out.blocks.push({
      text: block.textContent.trim().split("\n")[0].slice(0, 50),
      wraps: lines.some(l => !["pre", "nowrap"].includes(getComputedStyle(l).whiteSpace)),
      overflowX: st.overflowX, clientWidth: block.clientWidth, scrollWidth: block.scrollWidth,
      scrollbar: block.offsetHeight - block.clientHeight - parseFloat(st.borderTopWidth)
                 - parseFloat(st.borderBottomWidth),
      right: Math.round(block.getBoundingClientRect().right), visibleRight: Math.round(visibleRight)});
  }
  return out;
})()
"""

# The links the search box's results list shows for what was typed, once
# its results page has loaded; null until then.
SEARCH_RESULTS_SCRIPT = r"""
(() => {
  const frame = document.getElementById("MSearchResults");
  const doc = frame && frame.contentDocument;
  if (!doc || doc.readyState !== "complete" || !doc.location) return null;
  if (doc.location.pathname.endsWith("nomatches.html")) return [];
  if (unescape(doc.location.search.slice(1)) !== TERM) return null;
  if (!doc.getElementById("Searching") || doc.getElementById("Searching").style.display !== "none")
    return null;
  const rows = [...doc.querySelectorAll("div.SRResult")].filter(r => r.style.display === "block");
  return rows.flatMap(r => [...r.querySelectorAll("a")].map(a => a.getAttribute("href")))
             .filter(h => h && !h.startsWith("javascript:"));
})()
"""


def layout_problems(where, size, seen):
    """What is wrong with one page at one size, from LAYOUT_SCRIPT's
    measurements; one line each, with what to do."""
    at = f"{where} at {size[0]}x{size[1]}"
    problems = []
    if seen["column"] is not None and seen["column"] < MIN_COLUMN:
        problems.append(f"{at}: the text column is {seen['column']} px wide, under {MIN_COLUMN}: "
                        "put the navigation tree away on narrow screens (docs/workbook.css)")
    box = seen["switchBox"]
    width, height = seen["viewport"]
    if box is None or not box["shown"]:
        problems.append(f"{at}: the English | 한국어 switch is not shown (docs/header.html.in)")
    elif box["left"] < 0 or box["right"] > width + 1 or box["top"] < 0 or box["bottom"] > height:
        problems.append(f"{at}: the English | 한국어 switch is off screen (at x {box['left']} to "
                        f"{box['right']}, y {box['top']} to {box['bottom']}, in a {width}x{height} "
                        "window): let the title area wrap (docs/workbook.css)")
    if seen["sideways"] > 1:
        widest = seen.get("widest") or {"name": "something", "right": "?"}
        problems.append(f"{at}: the page scrolls sideways by {seen['sideways']} px: "
                        f"{widest['name']} reaches {widest['right']} px, past the window; let it "
                        "wrap, or scroll in its own box (docs/workbook.css)")
    wrapping = [b for b in seen["blocks"] if b["wraps"]]
    if wrapping:
        count = "a code block wraps its" if len(wrapping) == 1 else \
            f"{len(wrapping)} code blocks wrap their"
        problems.append(f"{at}: {count} lines (the first: "
                        f"{wrapping[0]['text']!r}): code keeps its lines and scrolls sideways "
                        "(white-space: pre, docs/workbook.css)")
    for block in seen["blocks"]:
        what = f"{block['text']!r}"
        if block["right"] > block["visibleRight"] + 1:
            problems.append(f"{at}: a code block reaches {block['right']} px, past the column's "
                            f"{block['visibleRight']} px ({what}): it is cut off; keep it in the column")
        if block["scrollWidth"] > block["clientWidth"] + 1 and \
                (block["overflowX"] not in ("auto", "scroll") or block["scrollbar"] < 3):
            problems.append(f"{at}: a code block is cut off: its lines are {block['scrollWidth']} px "
                            f"wide in a box of {block['clientWidth']} px, with no scroll bar "
                            f"({what}): let it scroll with a visible scroll bar "
                            "(overflow-x: auto, docs/workbook.css)")
    return problems


def search_problems(where, term, hrefs):
    """What is wrong with the search for TERM, given the links it listed
    (None: no results shown in time)."""
    if hrefs is None:
        return [f"{where}: searching {term!r} showed no results in {LOAD_TIMEOUT:.0f} s"]
    pages = {urllib.parse.urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs}
    if not any(TEACHING.fullmatch(p) for p in pages):
        listed = ", ".join(sorted(pages)) or "nothing"
        return [f"{where}: searching {term!r} lists no course page (Part 4, Part 5, the "
                f"exercises), only: {listed}: docs/search_course.py adds them to the search "
                "index when the site is built"]
    return []


def search(browser, term):
    """Types TERM into the search box of the open page; the links listed."""
    # The box is made by the page's script once the page is ready.
    if not wait_for(browser, "(() => { const f = document.getElementById('MSearchField');"
                             " if (!f) return null; f.focus(); f.value = ''; return true; })()"):
        return None
    browser.type(term)
    return wait_for(browser, SEARCH_RESULTS_SCRIPT.replace("TERM", json.dumps(term)))


def wait_for(browser, script):
    """SCRIPT's value once it is not null, or None if it stays null."""
    deadline = time.monotonic() + LOAD_TIMEOUT
    while time.monotonic() < deadline:
        value = browser.evaluate(script)
        if value is not None:
            return value
        time.sleep(0.1)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--site", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()

    if not args.chromium or not os.access(args.chromium, os.X_OK):
        print("Chromium not found: `./workbook setup` installs it (Debian package chromium)")
        return 1
    site = os.path.abspath(args.site)
    if not os.path.isfile(os.path.join(site, "index.html")) or \
       not os.path.isfile(os.path.join(site, "ko", "index.html")):
        print(f"no site in {site}: build it first (cmake --build --preset dev --target docs)")
        return 1
    shutil.rmtree(args.screenshots, ignore_errors=True)
    os.makedirs(args.screenshots)

    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    problems = []
    pages = []
    for lang_dir in ("", "ko/"):
        names = content_check.course_order(site, lang_dir)
        positions = [names.index(p) if p in names else -1 for p in COURSE]
        if -1 in positions or positions != sorted(positions):
            problems.append(f"{lang_dir or 'en/'}navtreedata.js: the course is not in order "
                            f"{COURSE}: {names}")
        for page in ["index"] + names:
            if (lang_dir, page) not in pages:
                pages.append((lang_dir, page))
    missing = [f"{d}{p}" for d in ("", "ko/") for p in KEY_PAGES if (d, p) not in pages]
    if missing:
        problems.append(f"pages missing from the site: {missing}")

    browser = Chromium(args.chromium)
    links = {}
    figures = 0
    try:
        for lang_dir, page in pages:
            where = f"{lang_dir}{page}.html"
            browser.open(base + where)
            seen = browser.evaluate(PAGE_SCRIPT)
            figures += seen["figures"]
            for clip in seen["clipped"]:
                problems.append(f"{where}: clipped figure: {clip}")
            for image in seen["images"]:
                problems.append(f"{where}: picture does not load: {image}")
            for fold in seen["folds"]:
                problems.append(f"{where}: a fold without a summary (<details> broken up "
                                f"by Doxygen): {fold!r}")
            for pattern, label in LITERAL_MARKUP:
                for match in pattern.finditer(seen["text"]):
                    start = max(0, match.start() - 30)
                    context = seen["text"][start:match.end() + 30].replace("\n", " ")
                    problems.append(f"{where}: literal markup ({label}) in the text: ...{context}...")
            if not seen["switchHref"]:
                problems.append(f"{where}: no English | 한국어 switch")
            else:
                links.setdefault(seen["switchHref"], where)
            if lang_dir == "ko/" and seen["wordBreak"] != "keep-all":
                problems.append(f"{where}: Korean text has word-break {seen['wordBreak']}, not keep-all")
            for link in seen["links"]:
                links.setdefault(link, where)
            if page in KEY_PAGES:
                shot = ("ko-" if lang_dir else "en-") + page
                browser.screenshot(os.path.join(args.screenshots, shot + ".png"))
                count = browser.evaluate(
                    "document.querySelectorAll('div.contents div.dotgraph').length")
                for i in range(count):
                    browser.evaluate(
                        f"document.querySelectorAll('div.contents div.dotgraph')[{i}]"
                        ".scrollIntoView({block: 'start'})")
                    browser.screenshot(os.path.join(args.screenshots, f"{shot}-figure{i + 1}.png"))
        for lang_dir in ("", "ko/"):
            browser.open(base + lang_dir + "index.html")
            for term in SEARCH_TERMS:
                problems += search_problems(f"{lang_dir}index.html", term, search(browser, term))
        # The layout, at both sizes, with scroll bars that show only when
        # a page asks for them (mobile emulation), as on phones and macOS:
        # there a line cut at the box's edge looks simply cut off.
        for size in ((WIDTH, HEIGHT), PHONE):
            browser.resize(*size, mobile=True)
            for lang_dir, page in pages:
                where = f"{lang_dir}{page}.html"
                browser.open(base + where)
                if size == PHONE and page in KEY_PAGES:
                    browser.screenshot(os.path.join(
                        args.screenshots, ("phone-ko-" if lang_dir else "phone-en-") + page + ".png"))
                problems += layout_problems(where, size, browser.evaluate(LAYOUT_SCRIPT))
    finally:
        browser.close()
        server.shutdown()

    # Every link inside the site leads to a file that exists, and to an
    # anchor in it that exists.
    ids = {}
    outside = set()
    for link, where in sorted(links.items()):
        url = urllib.parse.urlsplit(link)
        if not link.startswith(base):
            if url.scheme in ("http", "https"):
                outside.add(link)
            continue
        path = urllib.parse.unquote(url.path[len("/"):])
        file = os.path.join(site, path or "index.html")
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if not os.path.isfile(file):
            problems.append(f"{where}: dangling link to {path} (no such file)")
            continue
        if url.fragment and file.endswith(".html"):
            if file not in ids:
                collector = Ids()
                with open(file, encoding="utf-8", errors="replace") as f:
                    collector.feed(f.read())
                ids[file] = collector.ids
            if url.fragment not in ids[file]:
                problems.append(f"{where}: dangling link to {path}#{url.fragment} (no such anchor)")

    print(f"{len(pages)} pages read at {WIDTH}x{HEIGHT} and {PHONE[0]}x{PHONE[1]}, "
          f"{figures} figures, {len(SEARCH_TERMS)} searches in each language, "
          f"{len(links) - len(outside)} links inside the site checked; "
          f"{len(outside)} links leave the site (not followed: no network)")
    print(f"screenshots: {os.path.abspath(args.screenshots)}")
    for problem in problems:
        print("PROBLEM " + problem)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print("every page reads correctly")
    return 0


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    sys.exit(main())
