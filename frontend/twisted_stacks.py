"""Our stacks beside real Twisted's, row by row.

The stack editions of client 1.0 and 2.0 print their call stack at the first
read; so do two small clients of ours written on real Twisted
(part05-client2-stack/twisted/). Here each frame of either side is given its
part in the chain (ROLES: the program, run, the loop, the poll,
doReadOrWrite, doRead, dataReceived, and the few parts that exist on one
side only), and the two stacks are lined up on those parts, oldest call
first: a frame and its Twisted partner share a row ('='); a frame without
one has a row of its own ('<' ours only, '>' Twisted's only), explained
under the table.

Stack text comes from other programs, so it is read as untrusted input: at
most MAX_BYTES of it, at most MAX_FRAMES frames, bytes that are not UTF-8
replaced, control characters shown as \\xNN, long names shortened.

    python3 -m frontend.twisted_stacks [--check] OURS TWISTED
        lines up two saved stacks (ours from get-poetry-stack, Twisted's
        from client1_stack.py or client2_stack.py)
    python3 -m frontend.twisted_stacks [--check] --run BUILD_DIR
        runs the four programs against slow poetry servers on loopback and
        lines up client 1.0's stacks, then client 2.0's

--check: exit status 1 when a key part of ours (KEY_ROLES) has no Twisted
partner. Exit status: 0 done, 1 that, or a program or Twisted missing (one
line says which), 2 bad arguments or a file that holds no readable stack.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .project import ROOT, CommandFailed, UsageError, printable, stage
from .servers import Servers

MAX_BYTES = 4 << 20  # a stack of a thousand frames is some 200 KB
MAX_FRAMES = 1000
MAX_NAME = 60  # characters of a name shown in a cell
RUN_BOUND = 120  # seconds a client may take to reach its first read

TWISTED_CLIENTS = ROOT / "part05-client2-stack" / "twisted"
INSTALL = "sudo apt-get install python3-twisted (or ./workbook setup)"


class BadStack(Exception):
    """Text that holds no readable stack."""


@dataclass(frozen=True)
class Frame:
    """One call on a stack, as the program printed it."""

    function: str
    file: str = ""  # "" for a library frame of ours
    line: int = 0
    library: str = ""  # the shared object of a library frame of ours


# `  File "internet/ReactorBase.cpp", line 141, in internet::ReactorBase::run()`
# is how both Python's traceback and our workbook::printStack() print a
# frame; our library frames are `  [libevent_core-2.1.so.7] in event_base_loop`.
FILE_LINE = re.compile(r'  File "(.*)", line (\d{1,9}), in (.*)')
LIBRARY_LINE = re.compile(r"  \[(.*)\] in (.*)")


def parse(data):
    """The frames of the stack in DATA (bytes), oldest call first; other
    lines are skipped. Raises BadStack if there is none or too much."""
    if len(data) > MAX_BYTES:
        raise BadStack(f"larger than {MAX_BYTES >> 20} MiB: not a stack")
    frames = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        if found := FILE_LINE.fullmatch(line):
            frames.append(Frame(found[3], found[1], int(found[2])))
        elif found := LIBRARY_LINE.fullmatch(line):
            frames.append(Frame(found[2], library=found[1]))
        if len(frames) > MAX_FRAMES:
            raise BadStack(f"more than {MAX_FRAMES} frames: not a stack of these programs")
    if not frames:
        raise BadStack("no stack trace in it")
    return frames


# --- What a frame shows -------------------------------------------------------


def visible(text, limit=MAX_NAME):
    """TEXT for a terminal: control characters as \\xNN, at most LIMIT
    characters (the middle left out)."""
    text = printable(text[:4 * limit])
    if len(text) > limit:
        text = text[:limit // 2 - 2] + "..." + text[-(limit - limit // 2 - 1):]
    return text


def our_name(frame):
    """"internet::ReactorBase::run()" as "ReactorBase::run", as compare-stacks shows it."""
    if frame.function.startswith("("):
        return "(internal)"  # libevent's "(a function with no public name)"
    name = frame.function.split("(", 1)[0] or frame.function
    return name.removeprefix("internet::")


def our_owner(frame):
    if frame.file.startswith("internet/"):
        return "the shim"
    if frame.file.startswith("common/"):
        return "workbook helper"
    if frame.file.startswith("part"):
        return "YOUR CODE"
    if frame.library.startswith("libevent"):
        return "libevent"
    return frame.library.split(".so", 1)[0] or "?"


def twisted_module(frame):
    """"twisted/internet/tcp.py" for a frame of Twisted's own, else ""."""
    found = re.search(r"(?:^|/)(?:dist|site)-packages/(twisted/.+\.py)$", frame.file)
    return found[1] if found else ""


def twisted_cell(frame):
    """"tcp.doRead  [Twisted]", or "dataReceived  [YOUR CODE]" for our client."""
    module = twisted_module(frame)
    if module:
        return f"{visible(Path(module).stem)}.{visible(frame.function)}  [Twisted]"
    return f"{visible(frame.function)}  [YOUR CODE]"


def our_cell(frame):
    return f"{visible(our_name(frame))}  [{visible(our_owner(frame))}]"


# --- Parts of the chain -------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """A part of the chain; ours and theirs say which frames of each side
    play it (None: no frame on that side does); alone says why."""

    name: str
    ours: object
    theirs: object
    alone: str = ""


def _in_twisted(module, *functions):
    return lambda f: twisted_module(f) == module and f.function in functions


ROLES = [
    Role("program", lambda f: our_name(f) in ("main", "poetryMain"),
         lambda f: not twisted_module(f) and f.function in ("<module>", "main")),
    Role("output check", lambda f: our_name(f) == "workbook::runWithOutputCheck", None,
         "the workbook's main() checks that standard output could be written;"
         " the Python clients have no such wrapper"),
    Role("run", lambda f: our_name(f) == "ReactorBase::run",
         _in_twisted("twisted/internet/base.py", "run")),
    Role("loop", lambda f: f.function == "event_base_loop",
         _in_twisted("twisted/internet/base.py", "mainLoop")),
    Role("poll", lambda f: f.library.startswith("libevent") and f.function != "event_base_loop",
         lambda f: (re.fullmatch(r"twisted/internet/\w*reactor\.py", twisted_module(f))
                    and f.function in ("doPoll", "doSelect"))),
    Role("callback", lambda f: our_name(f) == "ReactorBase::onReady", None,
         "libevent calls back a plain C function with the socket and a pointer;"
         " onReady() turns that into a call on the reactor, where Twisted's poll"
         " calls its dispatch itself"),
    Role("log context", None,
         lambda f: twisted_module(f) in ("twisted/python/log.py", "twisted/python/context.py"),
         "Twisted makes the call inside a log context named by the descriptor's"
         " logPrefix(), so whatever it logs is labelled with it; the shim keeps no"
         " log context"),
    Role("doReadOrWrite", lambda f: our_name(f) == "ReactorBase::doReadOrWrite",
         _in_twisted("twisted/internet/posixbase.py", "_doReadOrWrite")),
    Role("doRead", lambda f: our_name(f).endswith("::doRead"), lambda f: f.function == "doRead"),
    Role("doRead helper", None, _in_twisted("twisted/internet/tcp.py", "_dataReceived"),
         "Twisted's doRead() hands the bytes to _dataReceived(), which calls the"
         " protocol; the shim's doRead() calls it itself"),
    Role("dataReceived", lambda f: our_name(f).endswith("::dataReceived"),
         lambda f: f.function == "dataReceived"),
]
# The parts that must pair up: the chain the lesson is about.
KEY_ROLES = ["run", "loop", "poll", "doReadOrWrite", "doRead", "dataReceived"]


def role_of(frame, side):
    """The Role the frame plays on SIDE ("ours" or "theirs"), or None."""
    for role in ROLES:
        test = getattr(role, side)
        if test is not None and test(frame):
            return role
    return None


@dataclass(frozen=True)
class Row:
    role: object  # a Role or None
    ours: object  # a Frame or None
    theirs: object


def align(ours, theirs):
    """The rows: the longest run of frames, in order on both sides, whose
    parts match (a longest common subsequence), paired; every other frame
    on a row of its own, where it stands."""
    left = [role_of(f, "ours") for f in ours]
    right = [role_of(f, "theirs") for f in theirs]
    # longest[i][j]: how many pairs the frames from ours[i] and theirs[j] on can make.
    longest = [[0] * (len(theirs) + 1) for _ in range(len(ours) + 1)]
    for i in range(len(ours) - 1, -1, -1):
        for j in range(len(theirs) - 1, -1, -1):
            if left[i] is not None and left[i] is right[j]:
                longest[i][j] = longest[i + 1][j + 1] + 1
            else:
                longest[i][j] = max(longest[i + 1][j], longest[i][j + 1])
    rows, i, j = [], 0, 0
    while i < len(ours) or j < len(theirs):
        if i < len(ours) and j < len(theirs) and left[i] is not None and left[i] is right[j]:
            rows.append(Row(left[i], ours[i], theirs[j]))
            i, j = i + 1, j + 1
        elif j == len(theirs) or (i < len(ours) and longest[i + 1][j] >= longest[i][j + 1]):
            rows.append(Row(left[i], ours[i], None))
            i += 1
        else:
            rows.append(Row(right[j], None, theirs[j]))
            j += 1
    return rows


def unpaired(rows, wanted):
    """The parts in WANTED that no row pairs, each with the frames that
    play it alone: "doReadOrWrite (ours: none; Twisted's: posixbase._doReadOrWrite)"."""
    paired = {row.role.name for row in rows if row.ours and row.theirs}
    lost = []
    for name in wanted:
        if name in paired:
            continue
        alone = [row for row in rows if row.role and row.role.name == name]
        ours = [our_name(row.ours) for row in alone if row.ours] or ["none"]
        theirs = [twisted_cell(row.theirs).split()[0] for row in alone if row.theirs] or ["none"]
        lost.append(f"{name} (ours: {visible(', '.join(ours))}; Twisted's: {visible(', '.join(theirs))})")
    return lost


def table(rows, ours_title, theirs_title):
    """The rows as text, under the two titles."""
    cells = [(("=" if r.ours and r.theirs else "<" if r.ours else ">"),
              r.role.name if r.role else "?",
              our_cell(r.ours) if r.ours else "",
              twisted_cell(r.theirs) if r.theirs else "") for r in rows]
    width = max([len(ours_title)] + [len(c[2]) for c in cells])
    rule = max([len(theirs_title)] + [len(c[3]) for c in cells])
    lines = [f"    {'part':<15}{ours_title:<{width}}  {theirs_title}",
             f"    {'-' * 14} {'-' * width}  {'-' * rule}"]
    lines += [f" {mark}  {role:<15}{left:<{width}}  {right}".rstrip()
              for mark, role, left, right in cells]
    return "\n".join(lines)


def one_side_only(tables):
    """Why each part that has no partner in any of TABLES (lists of rows)
    has none, naming its frames."""
    alone = {}
    for rows in tables:
        for row in rows:
            if row.role and row.role.alone and not (row.ours and row.theirs):
                name = our_name(row.ours) if row.ours else twisted_cell(row.theirs).split()[0]
                alone.setdefault(row.role.alone, {})[visible(name)] = None
    lines = ["On one side only:"] if alone else []
    for why, names in alone.items():
        lines.append(textwrap.fill(f"{', '.join(names)}: {why}.", 79, initial_indent="  ",
                                   subsequent_indent="    "))
    return "\n".join(lines)


# --- Running the programs -----------------------------------------------------

# client 1.0 and 2.0: the stage of our stack edition and our Twisted client.
EDITIONS = [("client 1.0", "part04-client1-stack", "client1_stack.py",
             [r for r in KEY_ROLES if r != "dataReceived"]),
            ("client 2.0", "part05-client2-stack", "client2_stack.py", KEY_ROLES)]


def twisted_python():
    """Debian's python3, which python3-twisted is installed for (python3 on
    PATH may be another one), and Twisted's version; CommandFailed, saying
    how to install it, if either is missing."""
    python = shutil.which("python3", path="/usr/bin")
    if python:
        asked = subprocess.run([python, "-c", "import twisted; print(twisted.__version__)"],
                               capture_output=True, text=True, check=False)
        if asked.returncode == 0:
            return python, asked.stdout.strip()
    raise CommandFailed(f"workbook: the Twisted side needs Twisted for /usr/bin/python3: {INSTALL}")


def _stack_of(command, what):
    """The stack COMMAND prints on stderr (bounded): its frames."""
    with tempfile.TemporaryFile() as err:
        try:
            subprocess.run([str(c) for c in command], cwd=ROOT, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=err, timeout=RUN_BOUND, check=False)
        except OSError as error:
            raise CommandFailed(f"workbook: cannot run {what}: {error.strerror}") from error
        except subprocess.TimeoutExpired as late:
            raise CommandFailed(f"workbook: {what} did not reach its first read in {RUN_BOUND} s") from late
        err.seek(0)
        data = err.read(MAX_BYTES + 1)
    try:
        return parse(data), data
    except BadStack as bad:
        said = data[:2000].decode("utf-8", errors="replace").strip()
        raise CommandFailed(f"workbook: {what} printed no stack ({bad}): {visible(said, 200)}") from bad


@dataclass(frozen=True)
class Recorded:
    """One edition's two stacks, from a run."""

    title: str  # "client 1.0"
    folder: str  # our stack edition's stage
    client: str  # our Twisted client
    key: list  # the parts that must pair up
    ours: list  # our frames
    theirs: list  # Twisted's frames
    printed: bytes  # Twisted's stack as the client printed it


def record(build):
    """Runs each edition's two programs against a slow poetry server on
    loopback. Returns a Recorded per edition, and Twisted's version."""
    python, version = twisted_python()
    recorded = []
    with Servers() as servers:
        port = str(servers.start(Path(build) / "poetry-server/slowpoetry",
                                 "poetry/patient-socket.txt", "--delay", "0.05"))
        # The server serves one client at a time; each leaves at its first read.
        for title, folder, client, key in EDITIONS:
            ours, _ = _stack_of([stage(folder).binary(build), port], f"{folder}/get-poetry-stack")
            theirs, printed = _stack_of([python, TWISTED_CLIENTS / client, port], client)
            recorded.append(Recorded(title, folder, client, key, ours, theirs, printed))
    return recorded, version


def report(recorded, version):
    """Both tables, each under its title; and the parts that lost their partner."""
    out, lost, tables = [], [], []
    for run in recorded:
        tables.append(align(run.ours, run.theirs))
        out += [f"== {run.title}: ours beside real Twisted's, oldest call first ==",
                "'=' a frame and its Twisted partner, '<' ours alone, '>' Twisted's alone.", "",
                table(tables[-1], f"ours: {run.folder}", f"Twisted {visible(version, 20)}: {run.client}"), ""]
        lost += [f"{run.title}: {name}" for name in unpaired(tables[-1], run.key)]
    return "\n".join(out) + "\n" + one_side_only(tables), lost


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    try:
        if len(args) == 2 and args[0] == "--run":
            text, lost = report(*record(Path(args[1]).resolve()))
        elif len(args) == 2 and not args[0].startswith("-"):
            stacks = []
            for path in args:
                try:
                    with open(path, "rb") as file:
                        stacks.append(parse(file.read(MAX_BYTES + 1)))
                except OSError as error:
                    raise UsageError(f"cannot read {visible(path, 200)}: {error.strerror}") from error
                except BadStack as bad:
                    raise UsageError(f"{visible(path, 200)}: {bad}") from bad
            rows = align(*stacks)
            text = "\n\n".join(filter(None, [
                table(rows, f"ours: {visible(args[0])}", f"Twisted: {visible(args[1])}"),
                one_side_only([rows])]))
            # Two saved stacks: each key part either side plays must pair up.
            lost = unpaired(rows, [name for name in KEY_ROLES
                                   if any(row.role and row.role.name == name for row in rows)])
        else:
            raise UsageError("usage: python3 -m frontend.twisted_stacks [--check] OURS TWISTED"
                             " | [--check] --run BUILD_DIR")
    except UsageError as error:
        print(f"twisted_stacks: {error}", file=sys.stderr)
        return 2
    except CommandFailed as failed:
        print(str(failed), file=sys.stderr)
        return 1
    print(text)
    if check and lost:
        print(f"twisted_stacks: a key part without its pair: {'; '.join(lost)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
