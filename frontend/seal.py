"""Sealing a student's code for `./workbook grade`, with bubblewrap (bwrap).

The build of a student's exercise and the grading run each happen in a
sandbox that sees the system read-only, a private /tmp, its own network
namespace with only a loopback, and of ours only the kit: the shim's
headers and libraries, the grading test program, the servers, the
reference solutions and the sample poems, read-only, copied out of the tree
once per grade run. The student's program runs one level deeper, in a
sandbox of its own with a fresh PID namespace: it cannot see, signal or
trace the test program that grades it, and writes nothing but its /tmp.
The report is written where only the test program can write.

As root, the sandbox runs as `nobody`, so that the process limit holds.
Limits per student: LIMITS below (README.md, "Grading").
"""

import os
import resource
import shlex
import shutil
import subprocess
from pathlib import Path

from .project import ROOT, build_dir

LIMITS = {"wall seconds per exercise": 120, "cpu seconds": 120, "memory bytes": 3 << 30,
          "processes": 256, "file bytes": 64 << 20}
NOBODY = 65534
SYSTEM = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32"]


def check_bwrap():
    """None if bwrap can make a sandbox here, else the reason it cannot."""
    if not shutil.which("bwrap"):
        return "bwrap is not installed (Debian package bubblewrap)"
    tried = subprocess.run(_drop() + ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
                           capture_output=True, text=True, errors="replace", check=False)
    if tried.returncode != 0:
        return f"bwrap cannot make a sandbox here: {tried.stderr.strip()[:200]}"
    return None


def _drop():
    """As root: become nobody first (root is exempt from the process limit)."""
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] \
        if os.geteuid() == 0 else []


def make_kit(kit, preset, exercises):
    """Copies what grading reads of ours into KIT, at KIT/absolute/path.
    Returns the absolute paths the sandbox shows, each bound from the kit."""
    build = build_dir(preset)
    wanted = [build / "tests/exercises/exercise-tests", build / "internet/libinternet.a",
              build / "common/libworkbook-common.a", ROOT / "poetry"]
    wanted += [p for p in (build / "poetry-server").iterdir() if p.is_file() and os.access(p, os.X_OK)]
    wanted += [build / "solutions" / e.folder / "get-poetry" for e in exercises]
    wanted += [h for folder in ("internet", "common") for h in (ROOT / folder).rglob("*.h")]
    for path in wanted:
        copy = kit / str(path).lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, copy)
    _open_to_all(kit)
    return sorted({_top_bind(p, kit) for p in wanted})


def _top_bind(path, kit):
    """The folder of PATH to bind: ROOT/internet rather than each header."""
    for folder in (ROOT / "internet", ROOT / "common"):
        if folder in path.parents:
            return folder
    return path


def _open_to_all(folder):
    """Lets every user read FOLDER: the sandbox runs as nobody."""
    os.chmod(folder, 0o755)
    for path in Path(folder).rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644, follow_symlinks=False)


def give_to_sandbox(folder):
    """Makes FOLDER the sandbox user's, to write in."""
    if os.geteuid() == 0:
        for path in [Path(folder), *Path(folder).rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def command(kit, kit_paths, readonly, writable, argv, env):
    """ARGV in a sandbox: the system read-only, the KIT_PATHS from the kit
    and the READONLY folders read-only, the WRITABLE folders read-write
    (each at its own path), a private /tmp and a loopback of its own, and
    no environment but ENV. It starts in the first writable folder."""
    args = _drop() + ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                      "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--clearenv"]
    for name, value in {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", **env}.items():
        args += ["--setenv", name, str(value)]
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            args += ["--ro-bind", path, path]
    for path in kit_paths:
        args += ["--ro-bind", str(kit / str(path).lstrip("/")), str(path)]
    for path in readonly:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    return args + ["--chdir", str(writable[0]), "--", *map(str, argv)]


def inner_wrapper(program):
    """A script that runs PROGRAM one level deeper: a new PID namespace,
    everything read-only but a private /tmp. The test program runs it."""
    folder = str(Path(program).parent)  # under /tmp, which the new /tmp hides
    inner = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--tmpfs", "/tmp", "--ro-bind", folder, folder, "--unshare-pid", "--unshare-ipc",
             "--die-with-parent", "--new-session", "--", str(program)]
    return "#!/bin/sh\nexec " + " ".join(map(shlex.quote, inner)) + ' "$@"\n'


def _own_processes():
    """How many processes run as this user now."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            count += f"Uid:\t{os.getuid()}\t" in status.read_text()
        except OSError:
            pass  # it ended while we looked
    return count


def _limiter():
    """What the child runs before bwrap: the per-student limits, inherited
    by everything it starts. As nobody the process count starts from 0; as
    an instructor's own user, from what that user runs already."""
    processes = LIMITS["processes"] + (0 if os.geteuid() == 0 else _own_processes())
    limits = ((resource.RLIMIT_CPU, LIMITS["cpu seconds"]),
              (resource.RLIMIT_AS, LIMITS["memory bytes"]),
              (resource.RLIMIT_NPROC, processes),
              (resource.RLIMIT_FSIZE, LIMITS["file bytes"]),
              (resource.RLIMIT_CORE, 0))

    def apply():
        for limit, value in limits:
            resource.setrlimit(limit, (value, value))
    return apply


def run(argv, log):
    """Runs the sandbox command ARGV within the limits, its output to the
    file LOG. Returns its exit status, or None if it ran out of wall time."""
    with open(log, "wb") as out:
        with subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              preexec_fn=_limiter(), start_new_session=True) as process:
            try:
                return process.wait(timeout=LIMITS["wall seconds per exercise"])
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
                return None
