#!/usr/bin/env python3
"""The program outputs the site shows come from real runs, never by hand.

Runs the stage programs against real slow poetry servers on free loopback
ports and writes each run as a transcript: the commands as a student types
them (from the top of the tree), each followed by what it printed. A
server's "Serving ... on port N." line is in the transcript, so the ports in
the client's command and output are the ports that were used. Also writes
the sources the full listings show (OUT_DIR/listings). Run by the docs build.

Usage: docs/record-outputs.py BUILD_DIR OUT_DIR
Exit status: 0 done, 1 a program is not built or a server did not start,
2 bad arguments.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from frontend.project import CommandFailed  # noqa: E402 (after the path is set)
from frontend.servers import Servers  # noqa: E402

PROGRAMS = ["poetry-server/slowpoetry", "part04-client1/get-poetry", "part04-client1-stack/get-poetry-stack",
            "part05-client2/get-poetry", "part05-client2-simple/get-poetry-simple",
            "part05-client2-stack/get-poetry-stack", "part05-client2-stack/compare-stacks",
            "solutions/04-connection-lost-stack/get-poetry", "docs/examples/call-later"]
# Small chunks, quickly: a few reads per poem, and the run over in a second.
FLAGS = ["--delay", "0.1", "--num-bytes", "100"]
POEMS = ["poetry/patient-socket.txt", "poetry/slow-postman-ko.txt", "poetry/small-hours.txt"]
ONE = POEMS[2]
MARKER = re.compile(r"^[ \t]*//! \[[A-Za-z0-9_]+\][ \t]*$", re.MULTILINE)


class Transcript:
    """OUT/NAME.txt: commands as typed and what they printed, in order."""

    def __init__(self, build, out, name):
        self.build = build
        self.typed = os.path.relpath(build, ROOT)  # build/dev, as a student types it
        self.file = open(out / f"{name}.txt", "w", encoding="utf-8")  # closed by close()

    def serve(self, servers, poems, flags=FLAGS):
        """Starts a slow server per poem; records each command and the line
        it said; returns the ports as strings."""
        ports = []
        for poem in poems:
            port = servers.start(self.build / "poetry-server/slowpoetry", poem, *flags)
            self.file.write(f"$ {self.typed}/poetry-server/slowpoetry {' '.join(flags)} {poem} &\n"
                            f"{servers.said}\n")
            ports.append(str(port))
        return ports

    def run(self, program, *args, trace=False):
        """Runs PROGRAM of the build with ARGS (REACTOR_TRACE=1 if TRACE),
        both streams into the transcript; a non-zero status as a shell shows it."""
        prefix = "REACTOR_TRACE=1 " if trace else ""
        self.file.write(f"$ {prefix}{self.typed}/{program} {' '.join(args)}".rstrip() + "\n")
        self.file.flush()
        env = dict(os.environ, REACTOR_TRACE="1") if trace else None
        status = subprocess.run([str(self.build / program), *args], cwd=ROOT, env=env, stdout=self.file,
                                stderr=subprocess.STDOUT, check=False).returncode
        if status != 0:
            self.file.write(f"$ echo $?\n{status}\n")

    def close(self):
        self.file.close()


def record(build, out, name, steps):
    """Writes the transcript NAME: STEPS(transcript, servers), then stops the servers."""
    transcript = Transcript(build, out, name)
    try:
        with Servers() as servers:
            steps(transcript, servers)
    finally:
        transcript.close()


def refused_port(build):
    """A loopback port where nothing listens any more: a server's, once stopped."""
    with Servers() as servers:
        return str(servers.start(build / "poetry-server/slowpoetry", ROOT / ONE))


def part4_and_5(build, out, nobody):
    """Client 1.0, callLater on its own, clients 2.0 and 2.1, one callback at a time."""
    record(build, out, "part4-run", lambda t, s: t.run("part04-client1/get-poetry", *t.serve(s, POEMS)))
    record(build, out, "part4-call-later", lambda t, s: t.run("docs/examples/call-later", trace=True))
    record(build, out, "part4-refused",
           lambda t, s: t.run("part04-client1/get-poetry", *t.serve(s, [ONE]), nobody))
    record(build, out, "part5-run",
           lambda t, s: t.run("part05-client2/get-poetry", *t.serve(s, POEMS), f"localhost:{nobody}"))
    record(build, out, "part5-simple-run",
           lambda t, s: t.run("part05-client2-simple/get-poetry-simple", *t.serve(s, POEMS), nobody))
    big = ["--delay", "0.1", "--num-bytes", "300"]
    record(build, out, "part5-one-at-a-time",
           lambda t, s: t.run("part05-client2/get-poetry", *t.serve(s, [ONE, POEMS[0]], big), trace=True))


def stacks(build, out):
    """Both stack editions, then side by side; then ours beside real Twisted's."""
    record(build, out, "part5-stack-run",
           lambda t, s: t.run("part05-client2-stack/get-poetry-stack", *t.serve(s, [ONE])))
    with Servers() as servers:
        port = str(servers.start(build / "poetry-server/slowpoetry", ONE, *FLAGS))
        printed = [subprocess.run([str(build / program), port], cwd=ROOT, capture_output=True, check=False).stderr
                   for program in ("part04-client1-stack/get-poetry-stack", "part05-client2-stack/get-poetry-stack")]
    (out / "part4-stack.txt").write_bytes(printed[0])
    stack_files = [out / "client1-stack.tmp", out / "client2-stack.tmp"]
    for path, text in zip(stack_files, printed):
        path.write_bytes(text)
    compared = subprocess.run([str(build / "part05-client2-stack/compare-stacks"), *map(str, stack_files)],
                              capture_output=True, text=True, check=False).stdout
    (out / "compare-stacks.txt").write_text("$ ./workbook stacks\n...\n== side by side ==\n" + compared,
                                            encoding="utf-8")
    for path in stack_files:
        path.unlink()
    # The aligner runs the four programs itself, against its own server, and
    # fails if a key frame of ours has lost its Twisted partner.
    with open(out / "twisted-stacks.txt", "w", encoding="utf-8") as text:
        text.write("$ ./workbook stacks --twisted\n...\n")
        text.flush()
        if subprocess.run([sys.executable, "-m", "frontend.twisted_stacks", "--check", "--run", str(build)],
                          cwd=ROOT, stdout=text, check=False).returncode != 0:
            raise CommandFailed("our stacks and Twisted's no longer align (twisted-stacks.txt)")


def traces_and_troubles(build, out, nobody):
    """The reactor's trace, solution 4's two ends, and the troubleshooting runs."""
    for name, program in (("trace-client2", "part05-client2/get-poetry"), ("trace-client1", "part04-client1/get-poetry")):
        record(build, out, name, lambda t, s, program=program: t.run(program, *t.serve(s, [ONE]), trace=True))
    lost = "solutions/04-connection-lost-stack/get-poetry"
    record(build, out, "solution4-clean", lambda t, s: t.run(lost, *t.serve(s, [ONE])))
    record(build, out, "solution4-reset",
           lambda t, s: t.run(lost, *t.serve(s, [ONE], FLAGS + ["--reset-after", "2"])))
    record(build, out, "trouble-port-in-use",
           lambda t, s: t.run("poetry-server/slowpoetry", "--port", t.serve(s, [ONE])[0], POEMS[0]))

    def no_server(transcript, _):
        transcript.run("part04-client1/get-poetry", nobody)
        transcript.run("part05-client2/get-poetry", nobody)
    record(build, out, "trouble-no-server", no_server)


def listings(out):
    """The sources as compiled, for the full listings: each line `//! [NAME]`
    that marks a snippet is left empty, so the others keep the numbers stack
    traces print."""
    shutil.rmtree(out / "listings", ignore_errors=True)
    for folder in ["internet", *sorted(p.name for p in ROOT.glob("part0*")), "solutions"]:
        for source in sorted((ROOT / folder).rglob("*")):
            if source.suffix in (".cpp", ".h"):
                copy = out / "listings" / source.relative_to(ROOT)
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(MARKER.sub("", source.read_text(encoding="utf-8")), encoding="utf-8")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(f"usage: {argv[0]} BUILD_DIR OUT_DIR\n")
        return 2
    build, out = Path(argv[1]).resolve(), Path(argv[2])
    missing = [p for p in PROGRAMS if not os.access(build / p, os.X_OK)]
    if missing:
        sys.stderr.write(f"record-outputs: {os.path.relpath(build / missing[0], ROOT)} is not built; "
                         "build the docs target, which builds it first\n")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    try:
        nobody = refused_port(build)
        part4_and_5(build, out, nobody)
        stacks(build, out)
        traces_and_troubles(build, out, nobody)
    except CommandFailed as failed:
        sys.stderr.write(f"record-outputs: {failed}\n")
        return 1
    listings(out)
    print(f"Program outputs for the site written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
