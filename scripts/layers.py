#!/usr/bin/env python3
"""Fails if a file of the shim includes a file of a layer above its own.

Usage: scripts/layers.py [INTERNET_DIR]   (default: the internet/ folder)

The layers, lowest first, are the table INTERNET_DIR/layers.txt: one layer
a line, its name and then patterns of the files in it; a name may go on over
the lines that follow it. Prints every include that points up, as
FILE:LINE, and exits 1 if there is one; exits 2 if the table is wrong (a
file in no layer or in two, a layer named again after another).
"""
import fnmatch
import pathlib
import re
import sys

INCLUDE = re.compile(r'\s*#\s*include\s*"internet/([^"]+)"')


def read_layers(table):
    """[(name, [pattern, ...]), ...], lowest layer first."""
    layers = []
    for line in table.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if layers and layers[-1][0] == words[0]:
            layers[-1][1].extend(words[1:])
        elif any(name == words[0] for name, _ in layers):
            print(f"{table}: layer {words[0]} named again after another layer")
            sys.exit(2)
        else:
            layers.append((words[0], words[1:]))
    return layers


def main():
    here = pathlib.Path(__file__).resolve().parent
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here.parent / "internet")
    layers = read_layers(root / "layers.txt")
    files = sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                   if path.suffix in (".h", ".cpp"))
    rank, wrong = {}, 0
    for file in files:
        ranks = [r for r, (_, patterns) in enumerate(layers)
                 if any(fnmatch.fnmatchcase(file, p) for p in patterns)]
        if len(ranks) != 1:
            print(f"internet/{file}: in {len(ranks)} layers of layers.txt, not one")
            wrong += 1
        else:
            rank[file] = ranks[0]
    if wrong or not files:
        return 2
    upward = checked = 0
    for file in files:
        text = (root / file).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            match = INCLUDE.match(line)
            if not match:
                continue
            checked += 1
            target = match.group(1)
            if target not in rank:
                print(f"internet/{file}:{number}: includes internet/{target}, no file of the shim")
                upward += 1
            elif rank[target] > rank[file]:
                print(f"internet/{file}:{number}: includes internet/{target}, which is up in "
                      f"layer {layers[rank[target]][0]}; {file} is in {layers[rank[file]][0]}")
                upward += 1
    if upward:
        print(f"{upward} of {checked} includes point up or nowhere")
        return 1
    print(f"{checked} includes of {len(files)} files over {len(layers)} layers: "
          "none points up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
