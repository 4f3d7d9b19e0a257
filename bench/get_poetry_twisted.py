"""The benchmarks' Python client: client 2.0 (or, with --print-poems, 2.1)
written on Python Twisted, to compare the shim against the real thing.

It keeps each poem the way the tutorial's client does, by appending every
piece to the poem received so far.

    python3 get_poetry_twisted.py [--print-poems] PORT|HOST:PORT ...
"""
import sys

from twisted.internet import reactor
from twisted.internet.protocol import ClientFactory, Protocol


class PoetryProtocol(Protocol):
    def connectionMade(self):
        self.poem = b""

    def dataReceived(self, data):
        self.poem += data

    def connectionLost(self, reason):
        self.factory.finished(self.poem)


class PoetryClientFactory(ClientFactory):
    protocol = PoetryProtocol

    def __init__(self, count, print_poems):
        self.count = count
        self.print_poems = print_poems
        self.poems = []

    def finished(self, poem=None):
        if poem is not None:
            self.poems.append(poem)
        self.count -= 1
        if self.count == 0:
            self.report()
            reactor.stop()

    def clientConnectionFailed(self, connector, reason):
        print("Failed to connect to:", connector.getDestination())
        self.finished()

    def report(self):
        out = sys.stdout.buffer
        for number, poem in enumerate(self.poems, 1):
            if self.print_poems:
                out.write(poem + b"\n")
            else:
                text = poem.decode("utf-8", errors="replace")
                out.write(b"Task %d: %d characters of poetry\n" % (number, len(text)))
        out.flush()


def main(argv):
    print_poems = "--print-poems" in argv
    addresses = []
    for arg in argv:
        if arg == "--print-poems":
            continue
        host, _, port = arg.rpartition(":")
        addresses.append((host or "127.0.0.1", int(port)))
    factory = PoetryClientFactory(len(addresses), print_poems)
    for host, port in addresses:
        reactor.connectTCP(host, port, factory)
    reactor.run()


if __name__ == "__main__":
    main(sys.argv[1:])
