"""The workbook's commands other than the exercise loop: demo, build, test,
docs, bench, stacks, trace, serve. Each is one function; __main__.py holds
the table that names them, parses their arguments and prints the help."""

import re
import shlex
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from . import twisted_stacks as twisted
from .build import build as build_targets
from .project import MANIFEST, ROOT, CommandFailed, UsageError, build_dir, say, stage
from .servers import Servers, record_run

SLOWPOETRY = "poetry-server/slowpoetry"
TRACE_CHART = "trace-chart/trace-chart"


def run(command, **options):
    """Runs COMMAND from the top of the tree; raises CommandFailed if it fails."""
    if subprocess.run([str(c) for c in command], cwd=ROOT, check=False, **options).returncode:
        raise CommandFailed(f"workbook: {Path(str(command[0])).name} failed; see above")


def demo(preset):
    """Serves the sample poems on free ports and runs client 2.0 against them."""
    client = stage(MANIFEST["demo"]["stage"])
    build_targets(preset, ["slowpoetry", client.target])
    build = build_dir(preset)
    with Servers() as servers:
        ports = []
        for poem in MANIFEST["demo"]["poems"]:
            ports.append(str(servers.start(build / SLOWPOETRY, poem, "--delay", "0.1", "--num-bytes", "40")))
            say(f"Serving {poem} on port {ports[-1]}")
        say(f"$ {client.folder}/{client.program} {' '.join(ports)}")
        run([client.binary(build), *ports])


def build(preset):
    """Builds every target of PRESET."""
    build_targets(preset)
    say(f"Built build/{preset}.")


def test(preset):
    """With a preset, its suite; without, everything CI runs: the dev build,
    then three streams side by side (a suite mostly waits on servers, so
    steps that compute run beside it). The asan suite is the main suite;
    the dev build's suite runs only what the sanitizers cannot change."""
    if preset:
        build_targets(preset)
        run(["ctest", "--preset", preset])
        return
    workbook = str(ROOT / "workbook")
    say("== dev: build")
    build_targets("dev")
    _require_labels("dev", DEV_LABELS)
    side_by_side([
        # The linters take longest: valgrind follows the dev suite instead.
        ("dev: the proofs, the docs, the seal, the stress tests, then valgrind",
         [["ctest", "--preset", "dev-rest"], [workbook, "memcheck", "dev"]]),
        ("lint: clang-tidy and cppcheck", [[workbook, "lint", "dev"]]),
        ("asan: build by clang, its suite, the fuzzers",
         [["cmake", "--preset", "asan"], ["cmake", "--build", "--preset", "asan"],
          ["ctest", "--preset", "asan"], ["ctest", "--preset", "fuzz"]]),
    ])
    say("Every check passed.")


# The labels of the dev build's tests the full check runs (the asan build
# adds fuzz). A tool missing when the build was configured leaves a label
# without tests (no docs tests without Doxygen): that is a failure, not a pass.
DEV_LABELS = {"unit", "e2e", "solutions", "proof", "docs", "browser", "grade", "stress"}


def _require_labels(preset, labels):
    """Fails unless PRESET's build has tests for each of LABELS."""
    listed = subprocess.run(["ctest", "--print-labels"], cwd=build_dir(preset), capture_output=True,
                            text=True, check=True).stdout.splitlines()
    lacking = sorted(labels - {line.strip() for line in listed[1:]})
    if lacking:
        raise CommandFailed(f"workbook: build/{preset} has no tests labelled {', '.join(lacking)}: a tool"
                            f" they need was missing when it was configured; run `cmake --preset {preset}`")


def side_by_side(steps, every=20):
    """Runs the (title, commands) STEPS at once, the commands of each one
    after the other, its output to a log in build/test-logs. Says every
    EVERY seconds where each one is, then how each ended, with its last lines."""
    logs = ROOT / "build" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    say("== side by side: " + "; ".join(title for title, _ in steps))
    running = []
    for title, commands in steps:
        log = logs / (title.split(":")[0].replace(" ", "-") + ".log")
        script = " && ".join(shlex.join(command) for command in commands)
        with open(log, "w", encoding="utf-8") as out:
            running.append((title, log, subprocess.Popen(["sh", "-c", script], cwd=ROOT,
                                                         stdout=out, stderr=subprocess.STDOUT)))
    started = time.monotonic()
    while not _all_ended([process for _, _, process in running], every):
        say(f"[{int(time.monotonic() - started) // 60}:{int(time.monotonic() - started) % 60:02}] "
            + " | ".join(f"{title.split(':')[0]}: {_last_line(log)}" for title, log, process in running
                         if process.poll() is None))
    failed = [title for title, log, process in running if not _ended(title, log, process.wait())]
    if failed:
        raise CommandFailed("workbook: failed: " + "; ".join(failed))


def _all_ended(processes, seconds):
    """Waits up to SECONDS for PROCESSES to end; returns whether all have."""
    deadline = time.monotonic() + seconds
    while any(p.poll() is None for p in processes):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)
    return True


def _last_line(log, width=45):
    """The last line LOG holds, shortened to WIDTH characters."""
    with open(log, "rb") as text:
        text.seek(max(0, log.stat().st_size - 4096))
        lines = text.read().decode("utf-8", "replace").strip().splitlines()
    line = " ".join(lines[-1].split()) if lines else "starting"
    return line if len(line) <= width else line[:width - 3] + "..."


def _ended(title, log, status):
    """Says how the step TITLE ended, with the last lines of its LOG; if it
    failed, what each failed test printed first. Returns whether it passed."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    shown = lines[-3:] if status == 0 else _failed_tests(lines) + lines[-40:]
    say(f"-- {title}: {'passed' if status == 0 else f'FAILED (exit status {status})'}"
        f" (its output: {log.relative_to(ROOT)})", *shown)
    return status == 0


def _failed_tests(lines, most=80):
    """What ctest printed for each failed test among LINES: its result line
    and up to MOST lines of its output, which ctest prints right after it."""
    shown, taking = [], 0
    for line in lines:
        if re.search(r"Test +#\d+: .*\*\*\*(?!Skipped)", line):
            shown.append(line)
            taking = most
        elif taking and re.match(r" *(Start +\d+:|\d+/\d+ Test +#)", line):
            taking = 0
        elif taking:
            shown.append(line)
            taking -= 1
    return shown


def checked(preset, step):
    """Builds PRESET, then runs the check STEP (checks.lint, checks.memcheck) on it."""
    build_targets(preset)
    step(preset)


def docs(preset):
    """Builds the documentation site."""
    build_targets(preset, ["docs"])
    say(f"Open build/{preset}/docs/html/index.html in a browser.")


def bench():
    """Runs the benchmarks on the release build."""
    build_targets("release")
    run([ROOT / "bench" / "run"])


def stacks(preset, picture, twisted=False):
    """The stacks of client 1.0 and 2.0 at their first read, side by side;
    with TWISTED, each beside the same moment in real Twisted instead."""
    if twisted:
        return twisted_stacks(preset)
    build = build_dir(preset)
    build_targets(preset, ["slowpoetry", "part04-get-poetry-stack", "part05-get-poetry-stack", "compare-stacks"])
    clients = [("client 1.0", stage("part04-client1-stack")), ("client 2.0", stage("part05-client2-stack"))]
    with tempfile.TemporaryDirectory() as work, Servers() as servers:
        port = str(servers.start(build / SLOWPOETRY, "poetry/patient-socket.txt", "--delay", "0.05"))
        saved = []
        for title, client in clients:
            # The server serves one client at a time; each leaves at its first read.
            saved.append(Path(work) / f"{client.folder}.txt")
            with open(saved[-1], "w", encoding="utf-8") as err:
                subprocess.run([client.binary(build), port], cwd=ROOT, stderr=err, check=False)
            say(f"== {title}: {client.folder}/{client.program} ==", saved[-1].read_text(errors="replace"))
        say("== side by side ==")
        compare = build / "part05-client2-stack/compare-stacks"
        run([compare, *saved])
        if picture:
            with open(build / f"stacks.{picture}", "w", encoding="utf-8") as out:
                run([compare, f"--{picture}", *saved], stdout=out)
            say(f"\nThe two stacks drawn: build/{preset}/stacks.{picture}")


def twisted_stacks(preset):
    """Client 1.0's and 2.0's stacks, each lined up with the same moment in
    real Twisted (frontend/twisted_stacks.py)."""
    twisted.twisted_python()  # before building: without Twisted, say how to install it
    build_targets(preset, ["slowpoetry", "part04-get-poetry-stack", "part05-get-poetry-stack"])
    recorded, version = twisted.record(build_dir(preset))
    for run in recorded:
        printed = run.printed.decode("utf-8", errors="replace")
        say(f"== {run.title} on Twisted {twisted.visible(version, 20)}: {run.client} ==",
            *(twisted.visible(line, 300) for line in printed.splitlines()), "")
    text, lost = twisted.report(recorded, version)
    say(text)
    if lost:
        say("", "A key part without its pair: " + "; ".join(lost))


def trace(chosen, keep_json, turns):
    """A real run of the stage CHOSEN against fresh servers, drawn as a chart."""
    build = build_dir("dev")
    build_targets("dev", [chosen.target, "slowpoetry", "trace-chart"])
    out = build / "traces"
    out.mkdir(exist_ok=True)
    trace_file = out / (chosen.folder.replace("/", "-") + ".json")
    status = record_run(build, chosen, trace_file, MANIFEST["demo"]["poems"])
    say(f"$ {chosen.folder}/{chosen.program} (exit status {status}; its output:"
        f" {trace_file.with_suffix('.log').relative_to(ROOT)})")
    with open(trace_file.with_suffix(".msc"), "w", encoding="utf-8") as chart:
        run([build / TRACE_CHART, "--turns", turns, trace_file], stdout=chart)
    run(["mscgen", "-T", "svg", "-i", trace_file.with_suffix(".msc"), "-o", trace_file.with_suffix(".svg")])
    say(f"Sequence chart: {trace_file.with_suffix('.svg').relative_to(ROOT)}"
        f" (mscgen source: {trace_file.with_suffix('.msc').relative_to(ROOT)})")
    if keep_json:
        say(f"Trace file: {trace_file.relative_to(ROOT)} (open it in https://ui.perfetto.dev or chrome://tracing)")
    else:
        trace_file.unlink()


def serve(poems):
    """Serves each poem on a free port until Ctrl-C."""
    for poem in poems:
        if not Path(poem).is_file():
            raise UsageError(f"serve: no such poem file: {poem}")
    build_targets("dev", ["slowpoetry"])
    with Servers() as servers:
        for poem in poems:
            say(f"Serving {poem} on port {servers.start(build_dir('dev') / SLOWPOETRY, Path(poem).resolve())}")
        say("Press Ctrl-C to stop the servers.")
        try:
            signal.pause()
        except KeyboardInterrupt:
            say("\nStopped the servers.")
