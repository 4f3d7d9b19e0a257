"""Poetry servers on free ports, for the commands that run a client.

    with Servers() as servers:
        port = servers.start(build / "poetry-server/slowpoetry", poem)

Every server started is stopped when the block ends, however it ends.
"""

import os
import re
import subprocess
import tempfile
import time

from .project import ROOT, CommandFailed

SERVING = re.compile(r"^Serving .* on port (\d+)\.$", re.MULTILINE)
START_BOUND = 60  # seconds: generous, for a machine busy with other work


class Servers:
    """The servers started in a `with` block; stops them all at its end."""

    def __init__(self):
        self._running = []
        self.said = ""  # what the server started last said: "Serving ... on port N."

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()

    def start(self, program, poem, *flags):
        """Starts PROGRAM on POEM on a free port; returns the port it said."""
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        process = subprocess.Popen([str(program), *flags, str(poem)], cwd=ROOT,
                                   stdout=log, stderr=subprocess.STDOUT)
        self._running.append((process, log))
        deadline = time.monotonic() + START_BOUND
        while time.monotonic() < deadline:
            log.seek(0)
            said = log.read()
            if serving := SERVING.search(said):
                self.said = serving[0]
                return int(serving[1])
            if process.poll() is not None:
                raise CommandFailed(f"workbook: {os.path.basename(program)} did not start: {said.strip()}")
            time.sleep(0.05)
        raise CommandFailed(f"workbook: {program} said nothing in {START_BOUND} s")

    def stop_last(self):
        """Stops the server started last (SIGTERM); returns its exit status."""
        process, log = self._running.pop()
        process.terminate()
        status = process.wait()
        log.close()
        return status

    def stop(self):
        """Stops every server this object started."""
        for process, _ in self._running:
            process.terminate()
        for process, log in self._running:
            process.wait()
            log.close()
        self._running = []


def record_run(build, stage, trace, poems):
    """Runs STAGE against a fresh slow server for each poem (0.05 s between
    40-byte chunks) with REACTOR_TRACE=TRACE; its output goes beside TRACE
    (.log for .json). Returns the program's exit status."""
    with Servers() as servers:
        ports = [str(servers.start(build / "poetry-server/slowpoetry", poem,
                                   "--delay", "0.05", "--num-bytes", "40"))
                 for poem in poems]
        with open(trace.with_suffix(".log"), "w", encoding="utf-8") as log:
            env = dict(os.environ, REACTOR_TRACE=str(trace))
            return subprocess.run([str(stage.binary(build)), *ports], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, check=False).returncode
