#!/usr/bin/env python3
"""mutate.py - a generator test: whenever dossier verify says VALID, every reader agrees.

  mutate.py --dossier D --pub KEY.pub --bundle B.tar|B.zip --count N [--seed S] [--first K]
            --work DIR --keep DIR

Makes N mutants of the signed bundle B (deterministic: mutant i comes from seed S and i
alone, so --first K and a full run share their first K mutants): bits flipped and fields
changed in headers, extension headers and long names inserted, entries duplicated, dropped,
swapped, blocks and bytes inserted, appended or cut, and for zip the local headers, central
directory, data descriptors and end record edited or repeated. Every mutant goes through
`dossier verify` (many bundles per call: one line each). For each one it calls VALID, dossier
extract and every stock reader (readers.py) must extract exactly the tree dossier extracts
from B itself. A disagreement prints

  FAIL NAME (OPS): WHAT

and keeps the mutant as DIR/NAME (--keep) to reproduce; the last line is a summary
"mutants N valid V refused R failed F". Exit 0 when nothing failed.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402
import tarzip as tz  # noqa: E402

BATCH = 100
FORGED = b"FORGED: not what was signed\n"


# ---- tar mutations: each takes (rng, entries) and returns a description; entries is the
# list of entry chunks, edited in place; "tail" holds what follows the last entry ----

def pick(rng, entries):
    return rng.randrange(len(entries))


def rehash(rng, h):
    return tz.set_checksum(h) if rng.random() < 0.9 else h


TAR_FIELDS = {  # name: (start, end, interesting values)
    "name": (0, 100, None), "mode": (100, 108, [0o600, 0o755, 0o4755, 0o777, 0, 0o100644]),
    "uid": (108, 116, [1, 1000, 0o7777777]), "gid": (116, 124, [1, 1000]),
    "size": (124, 136, None), "mtime": (136, 148, [0, 1, 0o77777777777]),
    "typeflag": (156, 157, None), "linkname": (157, 257, None), "magic": (257, 263, None),
    "version": (263, 265, None), "uname": (265, 297, None), "gname": (297, 329, None),
    "devmajor": (329, 337, [1, 7]), "devminor": (337, 345, [1, 3]), "prefix": (345, 500, None),
    "pad": (500, 512, None),
}
TYPEFLAGS = b"0125 67xgLKSDMNV\0A"


def field_value(rng, field, h, names):
    start, end, values = TAR_FIELDS[field]
    width = end - start
    if field in ("name", "linkname", "prefix"):
        choice = rng.choice(names) if names else b"x"
        if field == "prefix":
            choice = choice.rsplit(b"/", 1)[0]
        return rng.choice([choice, choice + b"/", b"", b"../" + choice, b"/" + choice,
                           choice[:-1]])[:width]
    if field == "size":
        size = tz.field_size(h)
        v = rng.choice([0, 1, size + 1, size - 1, size + 512, size * 2, 10 << 30])
        return tz.octal(max(v, 0), 12)
    if field == "typeflag":
        return bytes([rng.choice(TYPEFLAGS)])
    if field == "magic":
        return rng.choice([b"ustar ", b"ustar\0", b"USTAR\0", b"\0" * 6])
    if field == "version":
        return rng.choice([b" \0", b"01", b"\0\0"])
    if field in ("uname", "gname"):
        return rng.choice([b"root", b"nobody", b"\xff"])
    if field == "pad":
        return bytes([rng.randrange(1, 256)]) * rng.randrange(1, width + 1)
    return tz.octal(rng.choice(values), width)


def t_field(rng, entries, names):
    i = pick(rng, entries)
    c = entries[i]
    off = tz.main_header(c)
    field = rng.choice(sorted(TAR_FIELDS))
    start, end, _ = TAR_FIELDS[field]
    h = bytearray(c[off:off + 512])
    value = field_value(rng, field, h, names)
    h[start:end] = value.ljust(end - start, b"\0")[:end - start]
    entries[i] = c[:off] + rehash(rng, h) + c[off + 512:]
    return "field %s of entry %d" % (field, i)


def t_flip(rng, entries, names):
    i = pick(rng, entries)
    c = bytearray(entries[i])
    hdr_starts = [h for h in {0, tz.main_header(bytes(c))} if h + 512 <= len(c)]
    if not hdr_starts:
        return "flip: no header in entry %d" % i
    at = rng.choice(hdr_starts) + rng.randrange(512)
    c[at] ^= 1 << rng.randrange(8)
    base = (at // 512) * 512
    c[base:base + 512] = rehash(rng, c[base:base + 512])
    entries[i] = bytes(c)
    return "flip byte %d of entry %d" % (at, i)


PAX_KEYS = [b"path", b"size", b"linkpath", b"mtime", b"uid", b"gid", b"uname", b"gname",
            b"hdrcharset", b"comment", b"GNU.sparse.size", b"GNU.sparse.realsize",
            b"GNU.sparse.major", b"GNU.sparse.name", b"SCHILY.xattr.user.x", b"atime"]


def pax_value(rng, key, names, next_len):
    if key in (b"path", b"linkpath", b"GNU.sparse.name"):
        n = rng.choice(names)
        return rng.choice([n, n + b"/", n.rsplit(b"/", 1)[0] + b"/", n + b"x"])
    if key in (b"size", b"GNU.sparse.size", b"GNU.sparse.realsize"):
        return str(rng.choice([0, 1, 512, next_len, next_len + 512, 1 << 33])).encode()
    if key == b"hdrcharset":
        return b"BINARY"
    return str(rng.choice([0, 1, 1602806400, 1000])).encode()


def t_pax(rng, entries, names):
    i = rng.randrange(len(entries) + 1)
    next_len = len(entries[i]) if i < len(entries) else 0
    recs = [(k, pax_value(rng, k, names, next_len))
            for k in rng.sample(PAX_KEYS, rng.randrange(1, 3))]
    kind = b"g" if rng.random() < 0.2 else b"x"
    entries.insert(i, tz.pax(recs, kind))
    return "pax %s %s before entry %d" % (kind.decode(), b",".join(k for k, _ in recs).decode(), i)


def t_longlink(rng, entries, names):
    i = rng.randrange(len(entries) + 1)
    n = rng.choice(names)
    kind = rng.choice([b"L", b"K"])
    entries.insert(i, tz.header(b"././@LongLink", kind, len(n) + 1) + tz.pad(n + b"\0"))
    return "longlink %s before entry %d" % (kind.decode(), i)


def t_dup(rng, entries, names):
    i = pick(rng, entries)
    j = rng.randrange(len(entries) + 1)
    entries.insert(j, entries[i])
    return "dup entry %d at %d" % (i, j)


def t_drop(rng, entries, names):
    i = pick(rng, entries)
    del entries[i]
    return "drop entry %d" % i


def t_swap(rng, entries, names):
    i, j = pick(rng, entries), pick(rng, entries)
    entries[i], entries[j] = entries[j], entries[i]
    return "swap entries %d and %d" % (i, j)


def t_blocks(rng, entries, names):
    i = rng.randrange(len(entries) + 1)
    blob = rng.choice([b"\0" * 512, b"\0" * 1024, b"\x01" + b"\0" * 511, bytes(range(256)) * 2])
    entries.insert(i, blob)
    return "insert %d block(s) before entry %d" % (len(blob) // 512, i)


def t_hidden(rng, entries, names):
    """pax size=N on a directory entry, hiding a forged file of a signed name."""
    files = [n for n in names if not n.endswith(b"/")]
    dirs = [n for n in names if n.endswith(b"/")] or [names[0] + b"/"]
    hidden = tz.file_entry(rng.choice(files), FORGED)
    i = rng.randrange(len(entries) + 1)
    entries.insert(i, tz.pax([(b"size", str(len(hidden)).encode())])
                   + tz.header(rng.choice(dirs), b"5", 0, 0o755) + hidden)
    return "hidden entry behind a directory at %d" % i


def t_padding(rng, entries, names):
    i = pick(rng, entries)
    c = entries[i]
    off = tz.main_header(c)
    size = tz.field_size(c[off:off + 512])
    end = off + 512 + size
    if end >= len(c):
        return "padding: none in entry %d" % i
    at = rng.randrange(end, len(c))
    entries[i] = c[:at] + bytes([rng.randrange(1, 256)]) + c[at + 1:]
    return "padding byte %d of entry %d" % (at, i)


TAR_OPS = [t_field, t_field, t_field, t_flip, t_flip, t_pax, t_pax, t_longlink, t_dup, t_drop,
           t_swap, t_blocks, t_hidden, t_padding]


def raw_edit(rng, data):
    """An edit of the raw bytes: cut, insert or delete bytes, or append something."""
    what = rng.randrange(5)
    at = rng.randrange(len(data) + 1)
    if what == 0:
        return data[:at], "truncate at %d" % at
    if what == 1:
        n = rng.randrange(1, 17)
        return data[:at] + bytes(rng.randrange(256) for _ in range(n)) + data[at:], \
            "insert %d bytes at %d" % (n, at)
    if what == 2:
        n = rng.randrange(1, 17)
        return data[:at] + data[at + n:], "delete %d bytes at %d" % (n, at)
    if what == 3:
        tail = rng.choice([b"\0" * 512, b"\0" * 10240, b"junk", b"\0" * 1023 + b"\1"])
        return data + tail, "append %d bytes" % len(tail)
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:], \
        "flip a bit of byte %d" % at


def mutate_tar(rng, data):
    entries, end = tz.tar_entries(data)
    entries = list(entries)
    names = [tz.entry_name(c)[0] for c in entries]
    ops = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        if not entries:
            break
        ops.append(rng.choice(TAR_OPS)(rng, entries, names))
    out = b"".join(entries) + data[end:]
    if rng.random() < 0.15:
        out, what = raw_edit(rng, out)
        ops.append(what)
    return out, ops


# ---- zip mutations: on (locals, centrals, end fields, post edits) ----

class ZipMutant:
    def __init__(self, data):
        locs, cens, end = tz.zip_parts(data)
        self.locals = list(locs)
        self.centrals = [tz.Central(c.pack()) for c in cens]
        self.comment = b""
        self.offset_fix = {}   # central index -> delta added after the offsets are laid out
        self.end_fix = {}      # end record field index -> value
        self.prefix = b""
        self.suffix = b""

    def join(self):
        base = len(self.prefix)
        body = tz.zip_join(self.locals, self.centrals, self.comment, base)
        cd_off = base + sum(len(p) for p in self.locals)
        if self.offset_fix:
            cd = b""
            for k, c in enumerate(self.centrals):
                c.offset = (c.offset + self.offset_fix.get(k, 0)) & 0xFFFFFFFF
                cd += c.pack()
            n = len(self.centrals)
            body = body[:cd_off - base] + cd + struct.pack(
                tz.END_FMT, tz.END, 0, 0, n, n, len(cd), cd_off, len(self.comment)) + self.comment
        if self.end_fix:
            end = list(struct.unpack(tz.END_FMT, body[-22 - len(self.comment):][:22]))
            for k, v in self.end_fix.items():
                end[k] = v
            at = len(body) - 22 - len(self.comment)
            body = body[:at] + struct.pack(tz.END_FMT, *end) + body[at + 22:]
        return self.prefix + body + self.suffix


LOCAL_FIELDS = {"version": (4, "<H"), "flags": (6, "<H"), "method": (8, "<H"),
                "time": (10, "<H"), "date": (12, "<H"), "crc": (14, "<I"),
                "csize": (18, "<I"), "usize": (22, "<I")}
CEN_FIELDS = ["made", "need", "flags", "method", "time", "date", "crc", "csize", "usize",
              "disk", "iattr", "eattr"]


def interesting(rng, old, fmt):
    top = 0xFFFF if fmt == "<H" else 0xFFFFFFFF
    return rng.choice([0, 1, old ^ 1, old ^ 8, old ^ 0x800, (old + 1) & top, top,
                       rng.randrange(top + 1)])


def z_local(rng, z):
    i = rng.choice([k for k, p in enumerate(z.locals) if len(p) >= 30] or [0])
    if len(z.locals[i]) < 30:
        return "local: none"
    field = rng.choice(sorted(LOCAL_FIELDS) + ["name", "extra"])
    p = z.locals[i]
    if field == "name":
        n = struct.unpack("<H", p[26:28])[0]
        name = p[30:30 + n]
        new = rng.choice([name + b"/", name[:-1] + b"X", name.upper(), rng.choice(
            [c.name for c in z.centrals])])
        z.locals[i] = p[:26] + struct.pack("<H", len(new)) + p[28:30] + new + p[30 + n:]
    elif field == "extra":
        n, x = struct.unpack("<HH", p[26:30])
        new = struct.pack("<HH", 0x7875, 3) + b"\x01\x00\x00"
        z.locals[i] = p[:28] + struct.pack("<H", x + len(new)) + p[30:30 + n + x] + new \
            + p[30 + n + x:]
    else:
        at, fmt = LOCAL_FIELDS[field]
        old = struct.unpack(fmt, p[at:at + struct.calcsize(fmt)])[0]
        z.locals[i] = p[:at] + struct.pack(fmt, interesting(rng, old, fmt)) \
            + p[at + struct.calcsize(fmt):]
    return "local %d %s" % (i, field)


def z_central(rng, z):
    i = rng.randrange(len(z.centrals))
    c = z.centrals[i]
    field = rng.choice(CEN_FIELDS + ["name", "comment", "offset", "eattr"])
    if field == "name":
        c.name = rng.choice([c.name + b"/", c.name[:-1] + b"X", rng.choice(
            [d.name for d in z.centrals])])
    elif field == "comment":
        c.comment = rng.choice([b"a comment", b"\0" * 4, struct.pack("<I", tz.LOCAL)])
    elif field == "offset":
        z.offset_fix[i] = rng.choice([-1, 1, -30, 30, 512, -len(z.locals[i - 1])])
    elif field == "eattr" and rng.random() < 0.6:
        c.eattr = rng.choice([0o120777 << 16, 0o40755 << 16 | 0x10, 0o100755 << 16, 0,
                              0o100600 << 16, 0o10644 << 16])
    else:
        fmt = "<I" if field in ("crc", "csize", "usize", "eattr") else "<H"
        setattr(c, field, interesting(rng, getattr(c, field), fmt))
    return "central %d %s" % (i, field)


def z_end(rng, z):
    what = rng.randrange(4)
    if what == 0:
        z.comment = rng.choice([b"comment", b"PK\x05\x06", b"\0" * 22])
        return "end comment"
    k = rng.choice([1, 2, 3, 4, 5, 6])  # disk, directory's disk, entries twice, size, offset
    top = 0xFFFF if k <= 4 else 0xFFFFFFFF
    z.end_fix[k] = rng.choice([0, 1, top, rng.randrange(1 << 16)])
    return "end field %d" % k


def z_descriptor(rng, z):
    i = rng.randrange(len(z.locals))
    p = z.locals[i]
    if len(p) < 46 or p[-16:-12] != struct.pack("<I", tz.DESCRIPTOR):
        return "descriptor: none on local %d" % i
    what = rng.randrange(3)
    if what == 0:
        z.locals[i] = p[:-16] + p[-12:]
        return "descriptor %d without its signature" % i
    at = len(p) - 12 + 4 * rng.randrange(3)
    old = struct.unpack("<I", p[at:at + 4])[0]
    z.locals[i] = p[:at] + struct.pack("<I", interesting(rng, old, "<I")) + p[at + 4:]
    return "descriptor %d field at %d" % (i, at)


def z_order(rng, z):
    i, j = rng.randrange(len(z.locals)), rng.randrange(len(z.locals))
    what = rng.randrange(5)
    if what == 0:
        z.centrals[i], z.centrals[j] = z.centrals[j], z.centrals[i]
        z.locals[i], z.locals[j] = z.locals[j], z.locals[i]
        return "swap entries %d %d" % (i, j)
    if what == 1:
        z.locals.insert(j, z.locals[i])
        z.centrals.insert(j, tz.Central(z.centrals[i].pack()))
        return "dup entry %d at %d" % (i, j)
    if what == 2:
        del z.locals[i]
        del z.centrals[i]
        return "drop entry %d" % i
    if what == 3:  # a repeated central entry pointing at the same local entry
        z.locals.insert(i + 1, b"")
        z.centrals.insert(i + 1, tz.Central(z.centrals[i].pack()))
        z.offset_fix[i + 1] = -len(z.locals[i])
        return "central %d listed twice" % i
    z.locals[i] += rng.choice([b"\0" * 16, b"PK\x03\x04", b"junk"])
    return "bytes after local %d" % i


def z_forged(rng, z):
    """A forged stored local entry of a signed name placed where streaming readers meet it."""
    files = [k for k, c in enumerate(z.centrals) if not c.name.endswith(b"/")]
    i = rng.choice(files)
    name = z.centrals[i].name
    what = rng.randrange(3)
    if what == 0:
        z.locals[i] = tz.stored_local(name, FORGED + z.locals[i])
        z.offset_fix[i] = 30 + len(name) + len(FORGED)
        return "local %d nested in a forged one" % i
    if what == 1:
        z.prefix = tz.stored_local(name, FORGED)
        return "forged local entry before the first"
    z.suffix = tz.stored_local(name, FORGED)
    return "forged local entry after the end"


ZIP_OPS = [z_local, z_local, z_central, z_central, z_central, z_end, z_descriptor, z_order,
           z_order, z_forged]


def mutate_zip(rng, data):
    z = ZipMutant(data)
    ops = [rng.choice(ZIP_OPS)(rng, z) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
    out = z.join()
    if rng.random() < 0.15:
        out, what = raw_edit(rng, out)
        ops.append(what)
    return out, ops


# ---- running ----

def run(cmd, timeout=60, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              **kw)
    except subprocess.TimeoutExpired:
        return None


def verdicts(a, paths):
    """{path: True if VALID} for a batch, from the one line per bundle verify prints."""
    names = [os.path.basename(p) for p in paths]
    r = run([a.dossier, "verify"] + names + ["-p", a.pub, "--max-bytes", "16M"],
            timeout=300, cwd=os.path.dirname(paths[0]))
    out = {}
    if r is not None and r.returncode < 128:
        for line in r.stdout.decode(errors="replace").splitlines():
            name, sep, rest = line.partition(": ")
            if sep and name in names:
                out[name] = rest.startswith("VALID")
    if len(out) == len(names):
        return out, ""
    # the batch hung or crashed, or a line is missing: one call each, to name the mutant
    crashed = []
    for n in names:
        r = run([a.dossier, "verify", n, "-p", a.pub, "--max-bytes", "16M"], timeout=60,
                cwd=os.path.dirname(paths[0]))
        out[n] = r is not None and r.returncode == 0
        if r is None or r.returncode >= 128 or r.returncode < 0:
            crashed.append(n)
    return out, crashed


def reference(a, work):
    """The tree dossier extract gives for the bundle itself; every reader must agree."""
    dest = os.path.join(work, "ref")
    shutil.rmtree(dest, ignore_errors=True)
    r = run([a.dossier, "extract", a.bundle, "-d", dest, "-p", a.pub])
    if r is None or r.returncode != 0:
        sys.exit("mutate: dossier extract of %s failed" % a.bundle)
    ref = readers.tree(dest)
    for reader in readers.readers_for(a.bundle):
        why = compare(reader, a.bundle, os.path.join(work, "r"), ref)
        if why:
            sys.exit("mutate: the bundle itself: %s" % why)
    return ref


def compare(reader, bundle, dest, ref):
    why = readers.extract(reader, bundle, dest)
    if why:
        return "%s fails: %s" % (reader, why)
    got = readers.tree(dest)
    if got != ref:
        diff = sorted(set(got) ^ set(ref))[:3]
        return "%s extracts another tree: %s" % (reader, "; ".join(d[:90] for d in diff))
    return ""


def check_valid(a, path, ref, work, pool):
    """What disagrees for a mutant verify called VALID ("" when nothing does). The readers
    run side by side, each into its own directory."""
    def dossier_extract():
        dest = os.path.join(work, "dx")
        shutil.rmtree(dest, ignore_errors=True)
        r = run([a.dossier, "extract", path, "-d", dest, "-p", a.pub, "--max-bytes", "16M"])
        if r is None or r.returncode != 0:
            return "dossier extract fails after VALID"
        if readers.tree(dest) != ref:
            return "dossier extract gives another tree than the original's"
        return ""
    jobs = [pool.submit(dossier_extract)]
    jobs += [pool.submit(compare, rd, path, os.path.join(work, "r-" + rd), ref)
             for rd in readers.readers_for(path)]
    return " | ".join(w for w in (j.result() for j in jobs) if w)


def main():
    ap = argparse.ArgumentParser()
    for opt in ("dossier", "pub", "bundle", "work", "keep"):
        ap.add_argument("--" + opt, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--first", type=int)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    for opt in ("dossier", "pub", "bundle", "work", "keep"):
        setattr(a, opt, os.path.abspath(getattr(a, opt)))
    with open(a.bundle, "rb") as f:
        original = f.read()
    is_zip = a.bundle.endswith(".zip")
    ext = ".zip" if is_zip else ".tar"
    os.makedirs(a.work, exist_ok=True)
    ref = reference(a, a.work)
    mdir = os.path.join(a.work, "m")
    count = min(a.count, a.first) if a.first else a.count
    valid = refused = 0
    failed = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    for start in range(0, count, BATCH):
        shutil.rmtree(mdir, ignore_errors=True)
        os.makedirs(mdir)
        batch = {}
        for i in range(start, min(start + BATCH, count)):
            rng = random.Random(a.seed * 1000003 + i)
            data, ops = (mutate_zip if is_zip else mutate_tar)(rng, original)
            name = "m%05d%s" % (i, ext)
            with open(os.path.join(mdir, name), "wb") as f:
                f.write(data)
            batch[name] = ops
        paths = [os.path.join(mdir, n) for n in batch]
        verdict, crashed = verdicts(a, paths)
        for name, ops in batch.items():
            path = os.path.join(mdir, name)
            why = "dossier verify crashed or hung" if name in crashed else ""
            if not why and verdict.get(name):
                valid += 1
                why = check_valid(a, path, ref, a.work, pool)
            elif not why:
                refused += 1
            if why:
                failed.append(name)
                os.makedirs(a.keep, exist_ok=True)
                shutil.copy(path, os.path.join(a.keep, name))
                print("FAIL %s (%s): %s" % (name, "; ".join(ops), why), flush=True)
    print("mutants %d valid %d refused %d failed %d" % (count, valid, refused, len(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
