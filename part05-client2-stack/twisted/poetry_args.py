"""The one argument both Twisted stack clients take: [HOST:]PORT."""

import sys


def parse_address(argv, help_text):
    """(host, port) from ARGV. No argument, or --help, prints HELP_TEXT and
    exits 0; anything else that is not one [HOST:]PORT is one line on stderr
    and exit status 2."""
    if not argv or argv[0] in ("-h", "--help"):
        print(help_text.strip())
        sys.exit(0)
    host, _, port = argv[0].rpartition(":")
    if len(argv) != 1 or not port.isdigit() or not 0 < int(port) < 65536:
        print(f"usage: {sys.argv[0]} [HOST:]PORT (one address; --help says more)", file=sys.stderr)
        sys.exit(2)
    return host.strip("[]") or "127.0.0.1", int(port)
