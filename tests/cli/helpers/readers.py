#!/usr/bin/env python3
"""readers.py - the stock archive readers a receiver may use, and a tree to compare with.

  readers.py extract READER BUNDLE DIR   extract BUNDLE into DIR (made fresh) with READER:
                                         gtar, bsdtar, bsdpipe (bsdtar from a pipe), tarfile,
                                         unzip or zipfile; exit 1 if the reader failed
  readers.py tree DIR                    print DIR's tree: one line per entry, sorted:
                                         "d PATH", "f PATH SHA256" or "l PATH -> TARGET"

Python's tarfile reads a .tar.zst through `zstd -dc` (the standard library has no zstd
before Python 3.14). Used by test_oneread.sh and mutate.py.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

TAR_READERS = ("gtar", "bsdtar", "bsdpipe", "tarfile")
ZIP_READERS = ("unzip", "zipfile", "bsdtar", "bsdpipe")


def readers_for(path):
    return ZIP_READERS if path.endswith(".zip") else TAR_READERS


def _tarfile(path, dest):
    if path.endswith((".zst", ".tzst")):
        p = subprocess.Popen(["zstd", "-dcq", path], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        try:
            with tarfile.open(fileobj=p.stdout, mode="r|") as t:
                _extractall(t, dest)
        finally:
            p.stdout.close()
            rc = p.wait()
        if rc != 0:
            raise OSError("zstd -dc exited %d" % rc)
    else:
        with tarfile.open(path, "r:*") as t:
            _extractall(t, dest)


def _extractall(t, dest):
    try:
        t.extractall(dest, filter="data")
    except TypeError:  # a Python without extraction filters (before 3.11.4)
        t.extractall(dest)


def _zipfile(path, dest):
    with zipfile.ZipFile(path) as z:
        z.extractall(dest)


COMMANDS = {
    "gtar": lambda b, d: ["tar", "xf", b, "-C", d],
    "bsdtar": lambda b, d: ["bsdtar", "xf", b, "-C", d],
    "unzip": lambda b, d: ["unzip", "-q", "-o", b, "-d", d],
}


def extract(reader, bundle, dest, timeout=60):
    """Extract bundle into a fresh dest; return "" on success, else what went wrong."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    try:
        if reader in COMMANDS:
            r = subprocess.run(COMMANDS[reader](bundle, dest), stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=timeout)
        elif reader == "bsdpipe":
            # input= gives bsdtar a pipe, which it cannot seek (a file on stdin it could)
            with open(bundle, "rb") as f:
                data = f.read()
            r = subprocess.run(["bsdtar", "xf", "-", "-C", dest], input=data,
                               capture_output=True, timeout=timeout)
        else:
            {"tarfile": _tarfile, "zipfile": _zipfile}[reader](bundle, dest)
            return ""
    except Exception as e:  # noqa: BLE001 - any reader failure is a finding to report
        return "%s: %s" % (type(e).__name__, str(e)[:200])
    if r.returncode != 0:
        return "exit %d: %s" % (r.returncode, r.stderr.decode(errors="replace")[:200].strip())
    return ""


def tree(root):
    """The entries under root, sorted: (kind, relative path, digest or link target)."""
    out = []
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out.append("l %s -> %s" % (rel, os.readlink(p)))
            elif os.path.isdir(p):
                out.append("d %s" % rel)
            else:
                with open(p, "rb") as f:
                    out.append("f %s %s" % (rel, hashlib.sha256(f.read()).hexdigest()))
    return sorted(out)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "extract":
        why = extract(sys.argv[2], sys.argv[3], sys.argv[4])
        if why:
            sys.stderr.write("%s: %s\n" % (sys.argv[2], why))
            sys.exit(1)
    elif len(sys.argv) == 3 and sys.argv[1] == "tree":
        sys.stdout.write("".join(line + "\n" for line in tree(sys.argv[2])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
