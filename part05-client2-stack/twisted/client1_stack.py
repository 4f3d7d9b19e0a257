"""Client 1.0's stack edition on real Twisted: who calls doRead()?

Our socket is an IReadDescriptor that we hand to the reactor ourselves, as
client 1.0 does. At its first doRead() it prints the call stack on stderr
and exits, so the stack can be laid beside the C++ one (`./workbook stacks
--twisted`). Runs with Debian's python3-twisted:

    /usr/bin/python3 part05-client2-stack/twisted/client1_stack.py [HOST:]PORT

Exit status: 0 at the first read, 1 no server there, 2 bad arguments.
"""

import os
import socket
import sys
import traceback

from twisted.internet import reactor
from twisted.internet.interfaces import IReadDescriptor
from zope.interface import implementer

from poetry_args import parse_address


@implementer(IReadDescriptor)
class PoetrySocket:
    """A connected socket the reactor watches for us."""

    def __init__(self, address):
        self.sock = socket.create_connection(address)  # blocks, as in client 1.0
        self.sock.setblocking(False)  # from now on the reactor says when to read
        reactor.addReader(self)

    def fileno(self):
        return self.sock.fileno()

    # [doRead]
    def doRead(self):
        # The reactor calls this when the socket has bytes for us.
        traceback.print_stack()
        sys.stderr.flush()
        os._exit(0)  # at once: nothing else runs
    # [doRead]

    def connectionLost(self, reason):
        # IReadDescriptor asks for it; doRead() exits before it could be
        # called, for even a server hanging up makes the socket readable.
        reactor.stop()

    def logPrefix(self):
        return "poetry"


def main(argv):
    address = parse_address(argv, __doc__)
    try:
        PoetrySocket(address)
    except OSError as error:
        sys.exit(f"client1_stack.py: cannot connect to {address[0]}:{address[1]}: {error.strerror}")
    reactor.run()


if __name__ == "__main__":
    main(sys.argv[1:])
