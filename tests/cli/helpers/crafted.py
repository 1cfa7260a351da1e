#!/usr/bin/env python3
"""crafted.py - the hostile container layouts of issues 15 and 23, around a signed bundle.

  crafted.py OUTDIR --tar B.tar --gz B.tar.gz --zst B.tar.zst --zip B.zip [--utf8 U.tar]
             [--zeros MIB] [--target REL]

Every variant keeps the signed entries byte for byte and changes only the container around
them (forged entries where libarchive does not see them, headers dossier never writes, bytes
after the end), so a verifier that reads the archive as libarchive does still finds the
signature valid: only the structure is under test. Writes OUTDIR/NAME.EXT for each variant
and OUTDIR/cases.tsv, one line per variant:

  FILE <TAB> FINDING <TAB> SHOWS <TAB> DESCRIPTION

SHOWS names the stock reader that extracts the forged letter (gtar, tarfile, unzip, zipfile,
bsdpipe: bsdtar reading a pipe), or '-' when the variant is only not canonical. The forged
letter replaces REL (default data/letter/letter-2020-10-16.txt) and starts with "FORGED".
--utf8 is a signed tar with a non-ASCII name (for the signed-checksum variant); --zeros is
how many MiB of zero blocks the limit variants carry after the end marker (default 64).
"""
import argparse
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tarzip as tz  # noqa: E402

FORGED = b"FORGED LETTER: this is not what the signers signed.\n"
END = b"\0" * 1024
MIB = 1 << 20


class Tar:
    """A signed tar split into its entries, with the names the variants need."""

    def __init__(self, data, target):
        self.entries, self.end = tz.tar_entries(data)
        self.body = b"".join(self.entries)
        self.top = tz.entry_name(self.entries[0])[0].rstrip(b"/")
        self.letter = self.top + b"/" + target
        self.letter_dir = self.letter.rsplit(b"/", 1)[0] + b"/"
        self.hidden = tz.file_entry(self.letter, FORGED)

    def appended(self, *parts):
        return self.body + b"".join(parts) + END

    def edited(self, pick, edit):
        """The tar with edit(header) applied to the header of the first entry pick accepts."""
        def change(chunk):
            hoff = tz.main_header(chunk)
            return chunk[:hoff] + edit(chunk[hoff:hoff + tz.BLOCK]) + chunk[hoff + tz.BLOCK:]
        return self.spliced(pick, change)

    def spliced(self, pick, change):
        """The tar with the first entry pick(name, typeflag) accepts replaced by change(it)."""
        out, done = [], False
        for chunk in self.entries:
            if not done and pick(*tz.entry_name(chunk)):
                chunk, done = change(chunk), True
            out.append(chunk)
        if not done:
            sys.exit("crafted: no entry to edit")
        return b"".join(out) + END


def size_pax(n):
    return tz.pax([(b"size", str(n).encode())])


def longlink(name):
    return tz.header(b"././@LongLink", b"L", len(name) + 1) + tz.pad(name + b"\0")


def set_field(h, start, end, value, signed=False):
    h = bytearray(h)
    h[start:end] = value.ljust(end - start, b"\0")
    return tz.set_checksum(h, signed)


def sparse_entry(top, realsize):
    """GNU sparse 1.0: a pax header naming the real file and size, then a map block and one
    data byte at the very end of the (mostly absent) file."""
    name = top + b"/data/sparse.bin"
    recs = [(b"GNU.sparse.major", b"1"), (b"GNU.sparse.minor", b"0"),
            (b"GNU.sparse.name", name), (b"GNU.sparse.realsize", str(realsize).encode())]
    sparse_map = tz.pad(b"1\n%d\n1\n" % (realsize - 1))
    stored = sparse_map + b"x"
    return (tz.pax(recs) + tz.header(top + b"/data/GNUSparseFile.0/sparse.bin", b"0", len(stored))
            + tz.pad(stored))


def tar_variants(t, zeros):
    """(name, finding, shows, description, bytes) for the plain tar variants."""
    top_dir = tz.header(t.top + b"/", b"5", 0, 0o755)
    rep_dir = tz.header(t.letter_dir, b"5", 0, 0o755)
    n = len(t.hidden)
    is_file = lambda name, kind: kind == b"0"  # noqa: E731
    is_dir = lambda name, kind: kind == b"5" and name != t.top + b"/"  # noqa: E731
    return [
        ("pax-size-topdir", "15.1a", "gtar",
         "pax size=N on a repeated top directory hides a forged letter from libarchive",
         t.appended(size_pax(n), top_dir, t.hidden)),
        ("pax-size-repdir", "15.1a", "gtar",
         "pax size=N on a repeated data/letter/ directory hides a forged letter",
         t.appended(size_pax(n), rep_dir, t.hidden)),
        ("pax-global-path", "15.1b", "gtar",
         "pax global header path=letter before a repeated directory entry",
         t.appended(tz.pax([(b"path", t.letter)], b"g"), top_dir)),
        ("pax-global-path-size", "15.1b", "gtar",
         "pax global header path=letter, then pax size=N on a directory hiding a forged letter",
         t.appended(tz.pax([(b"path", t.letter)], b"g"), size_pax(n), rep_dir, t.hidden)),
        ("gnu-longname-pax-path", "15.1c", "gtar",
         "GNU 'L' long name (a directory) and pax path=letter on the same entry",
         t.appended(longlink(t.letter_dir), tz.pax([(b"path", t.letter)]), rep_dir)),
        ("gnu-longname-pax-size", "15.1c", "gtar",
         "GNU 'L' long name and pax path=letter, size=N on a directory hiding a forged letter",
         t.appended(longlink(t.letter_dir),
                    tz.pax([(b"path", t.letter), (b"size", str(n).encode())]), rep_dir,
                    t.hidden)),
        ("gnu-longname", "not canonical", "-",
         "a GNU 'L' long-name header on a repeated directory entry",
         t.appended(longlink(t.letter_dir), rep_dir)),
        ("sparse", "15.6", "-",
         "a GNU sparse 1.0 entry of 200 GiB real size holding one data byte",
         t.appended(sparse_entry(t.top, 200 << 30))),
        ("zeros-after-end", "15.7", "-",
         "2 MiB of zero blocks after the end-of-archive marker",
         t.body + END + b"\0" * (2 * MIB)),
        ("junk-after-end", "15.7", "-",
         "non-zero bytes after the end-of-archive marker",
         t.body + END + tz.pad(b"junk after the end of the archive\n")),
        ("no-end-marker", "not canonical", "-",
         "the archive stops after its last entry, without the two zero blocks",
         t.body),
        ("one-end-block", "not canonical", "-",
         "the archive ends with one zero block instead of two",
         t.body + b"\0" * 512),
        ("dir-nonzero-size", "not canonical", "-",
         "a directory entry whose size field is 1024 (no data follows; every reader ignores it)",
         t.edited(is_dir, lambda h: set_field(h, 124, 136, tz.octal(1024, 12)))),
        ("uname-set", "not canonical", "-",
         "a file entry with user name 'root' and group name 'root'",
         t.edited(is_file, lambda h: set_field(set_field(h, 265, 297, b"root"), 297, 329,
                                               b"root"))),
        ("mode-0600", "not canonical", "-",
         "a file entry with mode 0600 instead of 0644",
         t.edited(is_file, lambda h: set_field(h, 100, 108, tz.octal(0o600, 8)))),
        ("gnu-magic", "not canonical", "-",
         "a file entry with the old GNU magic 'ustar  ' instead of ustar 00",
         t.edited(is_file, lambda h: set_field(h, 257, 265, b"ustar  \0"))),
        ("mtime-base256", "not canonical", "-",
         "a file entry whose mtime is written in base-256 instead of octal",
         t.edited(is_file, lambda h: set_field(h, 136, 148,
                                               b"\x80" + tz.MTIME.to_bytes(11, "big")))),
        ("pax-unknown-key", "not canonical", "-",
         "a pax header with a key dossier never writes (comment=) on the first file",
         t.spliced(is_file, lambda c: tz.pax([(b"comment", b"hello")]) + c)),
    ]


def utf8_variants(u):
    """Variants that need a header with bytes above 0x7f: a non-ASCII name."""
    high = lambda name, kind: kind == b"0" and max(name) > 0x7f  # noqa: E731
    return [("checksum-signed", "not canonical", "-",
             "a header (non-ASCII name) whose checksum is summed over signed bytes",
             u.edited(high, lambda h: tz.set_checksum(h, signed=True)))]


def gz_variants(gz, zeros):
    second = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = second.compress(b"\0" * 1024) + second.flush()
    return [
        ("gz-trailing-garbage", "not canonical", "-",
         "bytes after the end of the gzip member", gz + b"trailing garbage\n"),
        ("gz-second-member", "not canonical", "-",
         "a second gzip member (1024 zero bytes) after the first", gz + member),
        ("gz-trailing-zeros", "not canonical", "-",
         "zero bytes after the end of the gzip member", gz + b"\0" * 512),
    ]


def zstd_frame(parts):
    """One zstd frame built from raw and RLE blocks: parts is [(b"raw", bytes) | (b"rle", n)]."""
    out = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")  # no content size, window 128 KiB
    blocks = []
    for kind, value in parts:
        if kind == b"raw":
            for i in range(0, len(value), 1 << 17):
                blocks.append((0, value[i:i + (1 << 17)], len(value[i:i + (1 << 17)])))
        else:
            for i in range(0, value, 1 << 17):
                blocks.append((1, b"\0", min(1 << 17, value - i)))
    for i, (btype, content, size) in enumerate(blocks):
        last = 1 if i == len(blocks) - 1 else 0
        out += (last | btype << 1 | size << 3).to_bytes(3, "little") + content
    return bytes(out)


def zst_variants(zst, tar, zeros):
    return [
        ("zst-zeros-frame", "15.7", "-",
         "a signed .tar.zst, then a second frame of %d MiB of zero blocks" % zeros,
         zst + zstd_frame([(b"rle", zeros * MIB)])),
        ("zst-zeros-oneframe", "15.7", "-",
         "one zstd frame: the signed tar, then %d MiB of zero blocks after its end" % zeros,
         zstd_frame([(b"raw", tar), (b"rle", zeros * MIB)])),
        ("zst-trailing-garbage", "not canonical", "-",
         "bytes after the zstd frame", zst + b"trailing garbage\n"),
    ]


class Zip:
    def __init__(self, data, target):
        self.locals, self.centrals, _ = tz.zip_parts(data)
        names = [c.name for c in self.centrals]
        self.top = names[0].rstrip(b"/")
        self.letter = self.top + b"/" + target
        self.li = names.index(self.letter)

    def cen(self):
        return [tz.Central(c.pack()) for c in self.centrals]

    def signed(self, base=0, comment=b""):
        return tz.zip_join(list(self.locals), self.cen(), comment, base)

    def forged_parts(self, forged_local):
        locs, cens = list(self.locals), self.cen()
        locs[self.li] = forged_local
        cens[self.li] = tz.central_for(forged_local, self.centrals[self.li])
        return locs, cens


def zip_prepended(z, with_end):
    """A forged zip (its local entries and central directory, with or without an end record),
    then the signed zip, its offsets moved past the forged part."""
    forged = tz.zip_join(*z.forged_parts(tz.stored_local(z.letter, FORGED)))
    if not with_end:
        forged = forged[:-22]
    return forged + z.signed(base=len(forged))


def zip_nested(z):
    """The letter's local entry wrapped in a stored local entry of the same name whose data
    starts with the forged text; the central directory points at the inner, signed entry."""
    outer = tz.stored_local(z.letter, FORGED + z.locals[z.li])
    locs, cens = list(z.locals), z.cen()
    locs[z.li] = outer
    body = tz.zip_join(locs, cens)
    cens[z.li].offset += 30 + len(z.letter) + len(FORGED)
    cd_off = sum(len(p) for p in locs)
    cd = b"".join(c.pack() for c in cens)
    n = len(cens)
    return body[:cd_off] + cd + struct.pack(tz.END_FMT, tz.END, 0, 0, n, n, len(cd), cd_off, 0)


def zip64_end(n, cd_size, cd_off):
    return struct.pack("<IQHHIIQQQQ", tz.END64, 44, 45, 45, 0, 0, n, n, cd_size, cd_off)


def zip_two_directories(z):
    """Signed entries and central directory, a zip64 end record pointing at it, a forged
    letter, then a forged central directory (the zip64 locator in its last entry's comment)
    and a standard end record pointing at the forged directory."""
    signed = z.signed()[:-22]
    n = len(z.centrals)
    cd_off = sum(len(p) for p in z.locals)
    body = signed + zip64_end(n, len(signed) - cd_off, cd_off)
    forged_local = tz.stored_local(z.letter, FORGED)
    cens = z.cen()
    cens[z.li] = tz.central_for(forged_local, z.centrals[z.li])
    cens[z.li].offset = len(body)
    body += forged_local
    cens[-1].comment = struct.pack("<IIQI", tz.LOC64, 0, len(signed), 1)
    fcd = b"".join(c.pack() for c in cens)
    return body + fcd + struct.pack(tz.END_FMT, tz.END, 0, 0, n, n, len(fcd), len(body), 0)


def zip_needless64(z):
    signed = z.signed()
    n = len(z.centrals)
    cd_off = sum(len(p) for p in z.locals)
    cd_size = len(signed) - 22 - cd_off
    z64_off = len(signed) - 22
    return (signed[:-22] + zip64_end(n, cd_size, cd_off)
            + struct.pack("<IIQI", tz.LOC64, 0, z64_off, 1) + signed[-22:])


def zip_variants(z):
    return [
        ("zip-prepended", "15.3", "bsdpipe",
         "a forged zip without its end record, then the signed zip (offsets moved past it)",
         zip_prepended(z, False)),
        ("zip-prepended-end", "15.3", "bsdpipe",
         "a complete forged zip, then the signed zip (offsets moved past it)",
         zip_prepended(z, True)),
        ("zip-nested", "15.3", "bsdpipe",
         "a stored local entry holding the forged text and then the signed local entry",
         zip_nested(z)),
        ("zip-two-directories", "23.1", "unzip",
         "a zip64 end record for the signed central directory, a standard one for a forged one",
         zip_two_directories(z)),
        ("zip-comment", "not canonical", "-", "an archive comment in the end record",
         z.signed(comment=b"a comment")),
        ("zip-needless-zip64", "not canonical", "-",
         "a zip64 end record and locator (consistent) where no size needs them",
         zip_needless64(z)),
        ("zip-trailing-garbage", "not canonical", "-", "bytes after the end record",
         z.signed() + b"trailing garbage\n"),
        ("zip-leading-garbage", "not canonical", "-",
         "bytes before the first local entry (offsets moved past them)",
         b"leading garbage\n" + z.signed(base=16)),
        ("zip-gap", "not canonical", "-", "16 bytes between two local entries",
         zip_gap(z)),
    ]


def zip_gap(z):
    locs = list(z.locals)
    locs[0] += b"\0" * 16
    return tz.zip_join(locs, z.cen())


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    for opt in ("tar", "gz", "zst", "zip", "utf8"):
        ap.add_argument("--" + opt)
    ap.add_argument("--zeros", type=int, default=64)
    ap.add_argument("--target", default="data/letter/letter-2020-10-16.txt")
    a = ap.parse_args()
    target = a.target.encode()
    cases = []  # (ext, variants)
    if a.tar:
        t = Tar(read(a.tar), target)
        cases.append(("tar", tar_variants(t, a.zeros)))
        if a.zst:
            cases.append(("tar.zst", zst_variants(read(a.zst), t.body + END, a.zeros)))
    if a.utf8:
        cases.append(("tar", utf8_variants(Tar(read(a.utf8), target))))
    if a.gz:
        cases.append(("tar.gz", gz_variants(read(a.gz), a.zeros)))
    if a.zip:
        cases.append(("zip", zip_variants(Zip(read(a.zip), target))))
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "cases.tsv"), "w") as tsv:
        for ext, variants in cases:
            for name, finding, shows, desc, data in variants:
                fname = "%s.%s" % (name, ext)
                with open(os.path.join(a.outdir, fname), "wb") as f:
                    f.write(data)
                tsv.write("%s\t%s\t%s\t%s\n" % (fname, finding, shows, desc))


if __name__ == "__main__":
    main()
