"""Client 2.0's stack edition on real Twisted: who calls dataReceived()?

Here we write a Protocol and let connectTCP make the connection: the
reactor's IReadDescriptor is Twisted's TCP transport, whose doRead() calls
our dataReceived(). At the first piece of poetry that prints the call stack
on stderr and exits, so the stack can be laid beside the C++ one
(`./workbook stacks --twisted`). Runs with Debian's python3-twisted:

    /usr/bin/python3 part05-client2-stack/twisted/client2_stack.py [HOST:]PORT

Exit status: 0 at the first read, 1 no server there, 2 bad arguments.
"""

import os
import sys
import traceback

from twisted.internet import reactor
from twisted.internet.protocol import ClientFactory, Protocol

from poetry_args import parse_address


# [PoetryProtocol]
class PoetryProtocol(Protocol):
    def dataReceived(self, data):
        # The transport calls this with the bytes its doRead() got.
        traceback.print_stack()
        sys.stderr.flush()
        os._exit(0)  # at once: nothing else runs
# [PoetryProtocol]

    def connectionLost(self, reason):
        reactor.stop()  # the server hung up before sending anything: no stack


class PoetryClientFactory(ClientFactory):
    protocol = PoetryProtocol  # buildProtocol() makes one per connection
    failed = False

    def clientConnectionFailed(self, connector, reason):
        print("Failed to connect to:", connector.getDestination(), file=sys.stderr)
        self.failed = True
        reactor.stop()


def main(argv):
    host, port = parse_address(argv, __doc__)
    factory = PoetryClientFactory()
    reactor.connectTCP(host, port, factory)
    reactor.run()
    sys.exit(1 if factory.failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
