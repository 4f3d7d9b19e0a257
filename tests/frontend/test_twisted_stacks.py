"""Tests of the aligner of `./workbook stacks --twisted`
(frontend/twisted_stacks.py): our stacks lined up with real Twisted's, part
by part, and a key frame of ours that loses its Twisted partner caught.

The stacks below are as the programs print them (a run of this workbook on
Twisted 22.4); tests change one thing in them at a time. The run against the
real programs is the e2e test stacks-beside-twisted.
Run: python3 -m unittest discover -s tests/frontend (ctest runs it).
"""

import io
import socket
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from frontend import __main__ as cli  # noqa: E402
from frontend import commands, packages  # noqa: E402
from frontend import twisted_stacks as ts  # noqa: E402
from frontend.project import CommandFailed  # noqa: E402

OURS_2 = """Traceback (oldest call first):
  File "part05-client2-stack/main.cpp", line 125, in main
    return workbook::runWithOutputCheck(poetryMain, argc, argv);
  File "common/Output.cpp", line 26, in workbook::runWithOutputCheck(int (*)(int, char**), int, char**)
  File "part05-client2-stack/main.cpp", line 114, in poetryMain(int, char**)
  File "internet/ReactorBase.cpp", line 141, in internet::ReactorBase::run()
  [libevent_core-2.1.so.7] in event_base_loop
  [libevent_core-2.1.so.7] in (a function with no public name)
  File "internet/ReactorBase.cpp", line 363, in internet::ReactorBase::onReady(int, short, void*)
  File "internet/ReactorBase.cpp", line 378, in internet::ReactorBase::doReadOrWrite(\
internet::IReadDescriptor*, internet::IWriteDescriptor*)
  File "internet/tcp/Connection.cpp", line 74, in internet::tcp::Connection::doRead()
  File "part05-client2-stack/main.cpp", line 31, in PoetryProtocol::dataReceived(std::string_view)
    workbook::printStackAndExit();  // traceback.print_stack(); os._exit(0)
"""
OURS_1 = (OURS_2.replace("part05-client2-stack", "part04-client1-stack")
          .split('  File "internet/tcp/')[0]
          + '  File "part04-client1-stack/main.cpp", line 68, in PoetrySocket::doRead()\n')

TWISTED = "/usr/lib/python3/dist-packages/twisted"
CLIENT = "/home/student/workbook/part05-client2-stack/twisted/client2_stack.py"
THEIRS_2 = f"""  File "{CLIENT}", line 54, in <module>
    main(sys.argv[1:])
  File "{CLIENT}", line 49, in main
  File "{TWISTED}/internet/base.py", line 1315, in run
  File "{TWISTED}/internet/base.py", line 1328, in mainLoop
  File "{TWISTED}/internet/epollreactor.py", line 244, in doPoll
  File "{TWISTED}/python/log.py", line 96, in callWithLogger
  File "{TWISTED}/python/log.py", line 80, in callWithContext
  File "{TWISTED}/python/context.py", line 117, in callWithContext
  File "{TWISTED}/python/context.py", line 82, in callWithContext
  File "{TWISTED}/internet/posixbase.py", line 683, in _doReadOrWrite
  File "{TWISTED}/internet/tcp.py", line 248, in doRead
  File "{TWISTED}/internet/tcp.py", line 253, in _dataReceived
  File "{CLIENT}", line 27, in dataReceived
    traceback.print_stack()
"""
THEIRS_1 = (THEIRS_2.replace("client2_stack", "client1_stack").split(f'  File "{TWISTED}/internet/tcp.py"')[0]
            + f'  File "{CLIENT}", line 39, in doRead\n')


def lined_up(ours, theirs):
    return ts.align(ts.parse(ours.encode()), ts.parse(theirs.encode()))


def lost(ours, theirs, key=ts.KEY_ROLES):
    return [text.split()[0] for text in ts.unpaired(lined_up(ours, theirs), key)]


class PartByPart(unittest.TestCase):
    def test_every_key_part_of_client_2_has_its_twisted_partner(self):
        rows = lined_up(OURS_2, THEIRS_2)
        self.assertEqual(ts.unpaired(rows, ts.KEY_ROLES), [])
        pairs = {r.role.name: (ts.our_name(r.ours), r.theirs.function) for r in rows if r.ours and r.theirs}
        self.assertEqual(pairs["loop"], ("event_base_loop", "mainLoop"))
        self.assertEqual(pairs["poll"], ("(internal)", "doPoll"))
        self.assertEqual(pairs["doReadOrWrite"], ("ReactorBase::doReadOrWrite", "_doReadOrWrite"))
        self.assertEqual(pairs["doRead"], ("tcp::Connection::doRead", "doRead"))
        self.assertEqual(pairs["dataReceived"], ("PoetryProtocol::dataReceived", "dataReceived"))

    def test_client_1_pairs_up_to_its_own_doread(self):
        rows = lined_up(OURS_1, THEIRS_1)
        self.assertEqual(ts.unpaired(rows, ts.EDITIONS[0][3]), [])
        self.assertEqual([r.role.name for r in rows][-1], "doRead")

    def test_what_exists_on_one_side_only_is_marked_and_said_why(self):
        rows = lined_up(OURS_2, THEIRS_2)
        text = ts.table(rows, "ours", "Twisted")
        self.assertRegex(text, r"\n <  callback +ReactorBase::onReady  \[the shim\]\n")
        self.assertRegex(text, r"\n >  log context +log\.callWithLogger  \[Twisted\]\n")
        self.assertRegex(text, r"\n >  doRead helper +tcp\._dataReceived  \[Twisted\]\n")
        self.assertRegex(text, r"\n =  doRead +tcp::Connection::doRead  \[the shim\] +tcp\.doRead  \[Twisted\]\n")
        why = ts.one_side_only([rows])
        for name in ("ReactorBase::onReady", "log.callWithLogger", "tcp._dataReceived",
                     "workbook::runWithOutputCheck"):
            self.assertIn(name, why)


class ALostPartnerIsCaught(unittest.TestCase):
    """Each of these is a frame of ours without its Twisted partner."""

    def test_our_doreadorwrite_renamed(self):
        self.assertEqual(lost(OURS_2.replace("doReadOrWrite", "dispatchRead"), THEIRS_2), ["doReadOrWrite"])

    def test_our_transport_s_doread_folded_into_its_caller(self):
        folded = "".join(line + "\n" for line in OURS_2.splitlines() if "Connection::doRead" not in line)
        self.assertEqual(lost(folded, THEIRS_2), ["doRead"])

    def test_twisted_s_stack_without_datareceived(self):
        self.assertEqual(lost(OURS_2, THEIRS_2.replace("in dataReceived", "in connectionMade")),
                         ["dataReceived"])

    def test_twisted_s_stack_without_its_poll(self):
        self.assertEqual(lost(OURS_2, THEIRS_2.replace("epollreactor.py", "somewhere.py")), ["poll"])

    def test_check_exits_1_and_names_the_part(self):
        with tempfile.TemporaryDirectory() as work:
            ours, theirs = Path(work, "ours.txt"), Path(work, "theirs.txt")
            ours.write_text(OURS_2.replace("doReadOrWrite", "dispatchRead"))
            theirs.write_text(THEIRS_2)
            ran = run_module("--check", ours, theirs)
            self.assertEqual(ran.returncode, 1)
            self.assertIn("doReadOrWrite (ours: none; Twisted's: posixbase._doReadOrWrite)", ran.stderr)
            ours.write_text(OURS_2)
            self.assertEqual(run_module("--check", ours, theirs).returncode, 0)


def run_module(*argv):
    return subprocess.run([sys.executable, "-m", "frontend.twisted_stacks", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, errors="strict", check=False)


class UntrustedText(unittest.TestCase):
    def test_any_bytes_give_printable_text_of_bounded_width(self):
        hostile = (b'  File "part/x.cpp", line 1, in \x1b[2J\xff\xfe' + b"A" * 5000 + b"\x00::doRead()\n"
                   + b"  [\xc2\x9b31m\x07] in event_base_loop\n")
        rows = ts.align(ts.parse(hostile), ts.parse(THEIRS_2.encode()))
        text = ts.table(rows, "ours", "Twisted") + ts.one_side_only([rows])
        self.assertFalse([c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0])
        self.assertLess(max(len(line) for line in text.splitlines()), 200)
        self.assertIn("\\x1b", text)
        self.assertIn("\ufffd", text)

    def test_no_stack_too_many_frames_or_too_many_bytes_is_refused(self):
        for data in (b"", b"no frames here\n", b'  File "a", line 1, in f\n' * (ts.MAX_FRAMES + 1),
                     b"x" * (ts.MAX_BYTES + 1)):
            with self.assertRaises(ts.BadStack):
                ts.parse(data)

    def test_bad_files_are_one_line_and_status_2(self):
        with tempfile.NamedTemporaryFile("w") as empty:
            for argv in (["/nonexistent", empty.name], [empty.name, empty.name], ["/dev/zero", empty.name],
                         ["one"], ["--run"], ["--bogus", "a", "b"]):
                ran = run_module(*argv)
                self.assertEqual((ran.returncode, ran.stdout, len(ran.stderr.splitlines())), (2, "", 1), argv)


def has_twisted():
    try:
        return bool(ts.twisted_python())
    except CommandFailed:
        return False


@unittest.skipUnless(has_twisted(), "needs python3-twisted for /usr/bin/python3 (./workbook setup)")
class TheTwistedClients(unittest.TestCase):
    """Our two clients on real Twisted, given bad input or nobody to talk to."""

    def run_client(self, client, *argv):
        python, _ = ts.twisted_python()
        return subprocess.run([python, str(ts.TWISTED_CLIENTS / client), *argv], capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=ts.RUN_BOUND, check=False)

    def test_help_bad_arguments_and_a_refused_port(self):
        with socket.socket() as probe:  # a loopback port where nobody listens, once closed
            probe.bind(("127.0.0.1", 0))
            nobody = str(probe.getsockname()[1])
        for client in ("client1_stack.py", "client2_stack.py"):
            for argv, status in (((), 0), (("--help",), 0), (("x",), 2), (("1", "2"), 2), (("70000",), 2),
                                 ((f"127.0.0.1:{nobody}",), 1)):
                ran = self.run_client(client, *argv)
                self.assertEqual(ran.returncode, status, (client, argv, ran.stderr))
                if status == 0:
                    self.assertIn("[HOST:]PORT", ran.stdout)
                else:
                    self.assertEqual((ran.stdout, len(ran.stderr.splitlines())), ("", 1), (client, argv))


class TheCommand(unittest.TestCase):
    def test_without_twisted_it_says_how_to_install_it_before_building(self):
        with mock.patch.object(ts.shutil, "which", return_value=None), \
                mock.patch.object(commands, "build_targets") as built:
            with self.assertRaises(CommandFailed) as said:
                commands.stacks("dev", None, True)
        built.assert_not_called()
        self.assertEqual(said.exception.status, 1)
        self.assertIn("apt-get install python3-twisted", str(said.exception))
        self.assertEqual(len(str(said.exception).splitlines()), 1)

    def test_a_python3_without_twisted_is_said_so_too(self):
        with mock.patch.object(ts.shutil, "which", return_value=sys.executable), \
                mock.patch.object(ts.subprocess, "run", return_value=subprocess.CompletedProcess([], 1)):
            with self.assertRaisesRegex(CommandFailed, "python3-twisted"):
                ts.twisted_python()

    def test_it_builds_both_editions_and_prints_both_tables(self):
        recorded = [ts.Recorded(title, folder, client, key, ts.parse(ours.encode()),
                                ts.parse(theirs.encode()), theirs.encode())
                    for (title, folder, client, key), ours, theirs
                    in zip(ts.EDITIONS, (OURS_1, OURS_2), (THEIRS_1, THEIRS_2))]
        with mock.patch.object(ts, "twisted_python"), \
                mock.patch.object(ts, "record", return_value=(recorded, "22.4.0")), \
                mock.patch.object(commands, "build_targets") as built, redirect_stdout(io.StringIO()) as out:
            commands.stacks("dev", None, True)
        built.assert_called_once_with("dev", ["slowpoetry", "part04-get-poetry-stack", "part05-get-poetry-stack"])
        self.assertIn("== client 1.0: ours beside real Twisted's", out.getvalue())
        self.assertIn("== client 2.0: ours beside real Twisted's", out.getvalue())
        self.assertNotIn("without its pair", out.getvalue())

    def test_only_the_twisted_option_asks_for_python3_twisted(self):
        _, args = cli.parse(["stacks", "--twisted"])
        self.assertIn("python3-twisted", packages.needs("stacks", vars(args)))
        _, args = cli.parse(["stacks"])
        self.assertNotIn("python3-twisted", packages.needs("stacks", vars(args)))
        self.assertIn("python3-twisted", packages.NEEDS["docs"])
        self.assertIn("python3-twisted", packages.NEEDS["test"])


if __name__ == "__main__":
    unittest.main()
