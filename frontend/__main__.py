"""./workbook: one table of commands, which both dispatches and makes the help.

Exit statuses: 0 done (for `check`: the exercise passes), 1 a step failed
(it says why), 2 bad input (one line on stderr), 3 standard output could
not be written, 130 Ctrl-C.
"""

import argparse
import os
import sys
import textwrap
from dataclasses import dataclass
from typing import Callable

from . import commands, exercises, grade, packages, patches
from .checks import lint, memcheck
from .project import CommandFailed, UsageError, exercise, printable, say, stage, warn

PRESETS = ["dev", "asan", "release"]


def preset(p, default="dev"):
    p.add_argument("preset", nargs="?", choices=PRESETS, default=default, metavar="PRESET")


def stacks_options(p):
    preset(p)
    one_of = p.add_mutually_exclusive_group()
    one_of.add_argument("--svg", dest="picture", action="store_const", const="svg")
    one_of.add_argument("--html", dest="picture", action="store_const", const="html")
    one_of.add_argument("--twisted", action="store_true")


def number(p):
    p.add_argument("n", type=exercise, metavar="N")


def language():
    return "ko" if os.environ.get("LANG", "").startswith("ko") else "en"


@dataclass
class Command:
    usage: str  # its name, then its arguments as the help shows them
    summary: str
    arguments: Callable = lambda p: None
    run: Callable = lambda a: None

    @property
    def name(self):
        return self.usage.split()[0]


GROUPS = {
    "The exercises (exercises/README.md):": [
        Command("exercises", "each exercise with its state (done, not yet, does not build) and which is next",
                run=lambda a: exercises.list_all()),
        Command("check N", "build exercise N and grade it, told in plain words; exit status 0 if and only"
                " if it passes", number, lambda a: exercises.check(a.n)),
        Command("watch [N]", "check again on every save, from exercise N or the first not done; Ctrl-C stops",
                lambda p: p.add_argument("n", type=exercise, nargs="?", metavar="N"),
                lambda a: exercises.watch(a.n)),
        Command("hint N [--ko|--en]", "the next hint for exercise N: a nudge first, more each time",
                lambda p: (number(p), p.add_argument("--ko", dest="lang", action="store_const", const="ko"),
                           p.add_argument("--en", dest="lang", action="store_const", const="en")),
                lambda a: exercises.hint(a.n, a.lang or language())),
        Command("reset N [--yes]", "put the untouched starter of exercise N back, after asking (your work"
                " is kept in .workbook/backup/)", lambda p: (number(p), p.add_argument("--yes", action="store_true")),
                lambda a: exercises.reset(a.n, a.yes)),
        Command("solution N [--force]", "the official solution of exercise N as changes to the starter,"
                " once check N has passed", lambda p: (number(p), p.add_argument("--force", action="store_true")),
                lambda a: exercises.solution(a.n, a.force)),
        Command("grade [--out DIR] [--unsealed] STUDENT_DIR...", "for instructors: grade each student's"
                " copy of the workbook without touching it, each sealed in a sandbox (bubblewrap; --unsealed"
                " only for code you trust); prints a table and writes DIR/STUDENT/results.json (Exercism"
                " format v3; DIR: grades, in the current folder)",
                lambda p: (p.add_argument("--out", default="grades"), p.add_argument("--unsealed", action="store_true"),
                           p.add_argument("folders", nargs="+")),
                lambda a: grade.grade(a.folders, a.out, a.unsealed)),
    ],
    "The workbook:": [
        Command("demo [PRESET]", "install what the build needs, build a server and client 2.0, serve the"
                " sample poems on free ports and run the client against them", preset,
                lambda a: commands.demo(a.preset)),
        Command("test [PRESET]", "install, build and run everything CI runs (dev suite, lint, valgrind,"
                " asan suite, fuzzers); with a preset, just its suite",
                lambda p: preset(p, None), lambda a: commands.test(a.preset)),
        Command("build [PRESET]", "build every program and test (presets: dev, asan (clang, the"
                " fuzzers too), release; default dev)", preset, lambda a: commands.build(a.preset)),
        Command("docs [PRESET]", "build the documentation site (build/PRESET/docs/html)", preset,
                lambda a: commands.docs(a.preset)),
        Command("bench", "run the benchmarks; writes bench/RESULTS.md and bench/scale.png",
                run=lambda a: commands.bench()),
        Command("stacks [PRESET] [--svg|--html|--twisted]", "print the stacks of client 1.0 and client 2.0"
                " at their first read, side by side; --svg or --html draws them too; --twisted lines each up"
                " with the same moment in real Twisted instead (Debian's python3-twisted for /usr/bin/python3;"
                " where it cannot be had, says how to install it, exit status 1)",
                stacks_options, lambda a: commands.stacks(a.preset, a.picture, a.twisted)),
        Command("trace STAGE [--json] [--turns N]", "run a stage program against fresh servers and draw its"
                " run as a sequence chart (SVG); --json keeps the trace file too; the chart shows the first"
                " N turns of the loop (12)",
                lambda p: (p.add_argument("stage", type=stage), p.add_argument("--json", action="store_true"),
                           p.add_argument("--turns", type=turns, default="12")),
                lambda a: commands.trace(a.stage, a.json, a.turns)),
        Command("serve POEM...", "serve each poem on a free port until Ctrl-C",
                lambda p: p.add_argument("poems", nargs="+"), lambda a: commands.serve(a.poems)),
        Command("setup", "install every Debian package any command needs (for a classroom image)"),
        Command("help", "show this text", run=lambda a: say(help_text())),
    ],
    "For maintainers:": [
        Command("patches check|refresh", "check the starters and wrong solutions against their patches,"
                " or rewrite the starters' patches (solutions/README.md)",
                lambda p: p.add_argument("action", choices=["check", "refresh"]),
                lambda a: getattr(patches, a.action)()),
        Command("lint [PRESET]", "clang-tidy and cppcheck over the shim and every program", preset,
                lambda a: commands.checked(a.preset, lint)),
        Command("memcheck [PRESET]", "every program under valgrind against live servers", preset,
                lambda a: commands.checked(a.preset, memcheck)),
    ],
}
COMMANDS = {c.name: c for group in GROUPS.values() for c in group}


def turns(text):
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise UsageError("trace: --turns takes a number from 1 up")
    return text


def help_text():
    """The help, from the table."""
    lines = ["usage: ./workbook COMMAND [ARGS]"]
    for title, group in GROUPS.items():
        lines += ["", title]
        for command in group:
            head, indent = "  " + command.usage, " " * 22
            if len(head) < len(indent):
                lines.append(textwrap.fill(command.summary, 79, initial_indent=head.ljust(22),
                                           subsequent_indent=indent))
            else:
                lines += [head, textwrap.fill(command.summary, 79, initial_indent=indent,
                                              subsequent_indent=indent)]
    lines += ["", "Exit status: 0 done (check: the exercise passes), 1 a step failed, 2 bad input,",
              "3 standard output could not be written."]
    return "\n".join(lines)


class Parser(argparse.ArgumentParser):
    """A parser whose errors are one line: a UsageError."""

    def error(self, message):
        raise UsageError(f"{self.prog.removeprefix('./workbook ')}: {message}"
                         f" (usage: ./workbook {COMMANDS[self.prog.split()[-1]].usage})")


def parse(argv):
    """The command and its parsed arguments; a UsageError if they are wrong."""
    if not argv or argv[0] in ("-h", "--help"):
        argv = ["help"]
    command = COMMANDS.get(argv[0])
    if command is None:
        raise UsageError(f"there is no command '{argv[0]}' (./workbook help lists them)")
    parser = Parser(prog=f"./workbook {command.name}", add_help=False)
    command.arguments(parser)
    return command, parser.parse_args(argv[1:])


def main(argv):
    try:
        command, args = parse(argv)
        packages.install_for(command.name, vars(args))
        return 1 if command.run(args) is False else 0
    except UsageError as error:
        warn(f"workbook: {printable(error)}")  # what was typed may hold anything
        return 2
    except CommandFailed as failed:
        if str(failed):
            warn(str(failed))
        return failed.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # whoever read our output went away
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 3
    except OSError as error:  # a file we must write: a read-only tree, a full disk
        warn(f"workbook: {error.strerror}: {error.filename}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
