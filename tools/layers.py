#!/usr/bin/env python3
"""tools/layers.py: checks that the kernel's includes keep its layers.

A module is a source file without its extension (kernel/proc = proc.c +
proc.h); module A depends on B when a file of A includes a header of B.
The rules (README, "Layout"):
  1. the base library (kernel/lib) and the user-visible ABI (syscall/abi)
     include nothing outside themselves (and the compiler's headers);
  2. no include cycle crosses a folder: modules of one folder may depend on
     each other both ways, but a cycle through two folders means the layers
     are tangled (the process core calling into the scheduler that calls back
     into the process core);
  3. nothing outside syscall/ and the exception entry includes the system-call
     layer (syscall/*.h other than the ABI): it sits on top.
Prints every violation and exits 1 if there is any; `--graph` prints the
folder-level dependencies (for README's diagram).
"""
import collections
import os
import re
import sys

ROOTS = ["arch", "kernel", "mm", "sched", "syscall"]
BOTTOM = ["kernel/lib", "syscall/abi"]
TOP_USERS = ["syscall/", "arch/aarch64/exception.c"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(top):
    for root in ROOTS:
        for d, _, names in os.walk(os.path.join(top, root)):
            for n in names:
                if n.endswith((".c", ".h", ".S")):
                    yield os.path.relpath(os.path.join(d, n), top)


def module(path):
    return os.path.splitext(path)[0]


def folder(mod):
    return os.path.dirname(mod)


def sccs(graph):
    """Tarjan's strongly connected components, iteratively."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(graph[w])))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def main(argv):
    top = "."
    files = sorted(sources(top))
    known = set(files)
    graph = collections.defaultdict(set)
    errors = []
    for f in files:
        with open(os.path.join(top, f), errors="replace") as fh:
            incs = INCLUDE.findall(fh.read())
        m = module(f)
        graph[m]
        for inc in incs:
            if inc not in known:
                continue  # asm/..., compiler and libc headers
            t = module(inc)
            if t != m:
                graph[m].add(t)
            for b in BOTTOM:
                if f.startswith(b + "/") and not inc.startswith(b + "/"):
                    errors.append(f"{f}: the base layer {b} includes {inc}")
            if (inc.startswith("syscall/") and not inc.startswith("syscall/abi/")
                    and not any(f.startswith(u) for u in TOP_USERS)):
                errors.append(f"{f}: includes the system-call layer ({inc})")
    for comp in sccs(graph):
        if len({folder(m) for m in comp}) > 1:
            edges = sorted(f"{a} -> {b}" for a in comp for b in graph[a]
                           if b in comp and folder(a) != folder(b))
            errors.append("include cycle across folders: " + ", ".join(sorted(comp))
                          + "\n    crossing edges: " + "; ".join(edges))
    if "--graph" in argv:
        fg = collections.defaultdict(set)
        for a, ts in graph.items():
            for b in ts:
                if folder(a) != folder(b):
                    fg[folder(a)].add(folder(b))
        for a in sorted(fg):
            print(f"{a} -> {', '.join(sorted(fg[a]))}")
    for e in errors:
        print("layers: " + e, file=sys.stderr)
    if not errors:
        print(f"layers: {len(graph)} modules, no include cycle across folders")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
