#!/usr/bin/env python3
"""gen.py - build the hostile-input corpus for `dossier verify` and `dossier extract`.

  gen.py OUTDIR SAMPLE.tar PUBKEY [--sentinel PREFIX]

SAMPLE.tar is a valid bundle signed by the key PUBKEY (tests/cli/lib.sh make_sample). Every
case starts from it, so that only the intended defect is present, and is written as tar,
tar.gz and/or zip in the canonical form pack writes (FORMAT.md 2.1; the sample rewritten is
byte-identical to it), unless the defect is the form itself. OUTDIR receives the bundles and
cases.tsv, one line per bundle:

  file <TAB> expected exit code <TAB> substring of the expected stderr <TAB> description

The substring "-" means stderr must be empty (the valid controls that exit 0).

Edits of signed bytes cannot be re-signed here (no secret key, no Ed25519 in the stdlib), so a
case that changes a tag file re-derives tagmanifest-sha256.txt and drops signatures/, as a
forger would: the only other finding is then `no-signature` (untrusted, exit 2), so exit 1 still
proves that the intended defect was found, and the controls of that kind expect exit 2.

Names that try to escape point at PREFIX (default /tmp/dossier-hostile) or at the directories
above the extract target, where the test looks for them afterwards. Python 3 stdlib only; the
output is the same for the same inputs.
"""
import base64
import bz2
import gzip
import hashlib
import json
import lzma
import os
import struct
import sys
import tarfile
import time
import unicodedata
import zlib

MTIME = 1602806400


# ---------------------------------------------------------------------------------------------
# The bag: an ordered list of members, each a full archive name (bytes) and what it is.

class Member:
    def __init__(self, name, kind="file", data=b"", link=b"", dev=(0, 0), mode=None,
                 size=None, zip_flags=None, central_name=None, mtime=MTIME):
        self.name = name            # bytes, as stored in the archive
        self.kind = kind            # file dir symlink hardlink chr blk fifo
        self.data = data            # bytes written after the header (a dir may carry some)
        self.link = link            # symlink or hardlink target (bytes)
        self.dev = dev
        self.mode = mode
        self.size = size            # header size when it must differ from len(data)
        self.zip_flags = zip_flags  # zip general purpose flags (default: UTF-8 flag if not ASCII)
        self.central_name = central_name  # zip: a central directory name unlike the local one
        self.ustar_name = None      # pax: the ustar header's name under the pax path record
        self.mtime = mtime

    def copy(self):
        m = Member(self.name)
        m.__dict__.update(self.__dict__)
        return m


class Bag:
    def __init__(self, members, top):
        self.members = [m.copy() for m in members]
        self.top = top  # bytes

    def copy(self):
        return Bag(self.members, self.top)

    def full(self, rel):
        return self.top + b"/" + as_bytes(rel)

    def find(self, rel):
        name = self.full(rel)
        for m in self.members:
            if m.name.rstrip(b"/") == name:
                return m
        raise KeyError(rel)

    def get(self, rel):
        return self.find(rel).data

    def set(self, rel, data):
        self.find(rel).data = as_bytes(data)
        return self

    def add(self, rel, data=b"", first=False, **kw):
        m = Member(self.full(rel), data=as_bytes(data), **kw)
        if first:
            self.members.insert(0, m)
        else:
            self.members.append(m)
        return m

    def add_raw(self, name, data=b"", first=False, **kw):
        m = Member(as_bytes(name), data=as_bytes(data), **kw)
        if first:
            self.members.insert(0, m)
        else:
            self.members.append(m)
        return m

    def drop(self, rel):
        name = self.full(rel)
        self.members = [m for m in self.members
                        if m.name.rstrip(b"/") != name and not m.name.startswith(name + b"/")]
        return self

    def rel(self, m):
        return m.name[len(self.top) + 1:].rstrip(b"/")

    def files(self):
        return [m for m in self.members if m.kind == "file" and m.name.startswith(self.top + b"/")]

    def payload(self):
        return [m for m in self.files() if self.rel(m).startswith(b"data/")]

    def sig(self):
        """The (only) signature file's member."""
        return [m for m in self.files() if self.rel(m).startswith(b"signatures/")][0]

    def keyid(self):
        return self.rel(self.sig())[len(b"signatures/"):-len(b".minisig")].decode()

    # -- what a forger re-derives, so that only the intended defect remains --
    def reoxum(self):
        pay = self.payload()
        octets = sum(len(m.data) for m in pay)
        lines = self.get("bag-info.txt").split(b"\n")
        lines = [b"Payload-Oxum: %d.%d" % (octets, len(pay)) if l.startswith(b"Payload-Oxum:") else l
                 for l in lines]
        return self.set("bag-info.txt", b"\n".join(lines))

    def remanifest(self):
        pay = sorted(self.payload(), key=lambda m: unicodedata.normalize(
            "NFC", self.rel(m).decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape"))
        out = b""
        for m in pay:
            p = unicodedata.normalize("NFC", self.rel(m).decode("utf-8", "surrogateescape"))
            out += manifest_line(m.data, p.encode("utf-8", "surrogateescape"))
        self.set("manifest-sha256.txt", out)
        return self.reoxum()

    def retag(self, crlf=False):
        """Re-derive tagmanifest-sha256.txt over every tag file and drop signatures/."""
        self.members = [m for m in self.members if not self.rel(m).startswith(b"signatures")]
        tags = {}
        for m in self.files():
            r = self.rel(m)
            if r.startswith((b"data/", b"signatures/", b"timestamps/")) or \
                    r in (b"tagmanifest-sha256.txt", b"redactions.json"):
                continue
            tags.setdefault(r, m.data)
        out = b"".join(manifest_line(tags[r], r) for r in sorted(tags))
        if crlf:
            out = out.replace(b"\n", b"\r\n")
        return self.set("tagmanifest-sha256.txt", out)


def sub(text, old, new):
    """text with the first old replaced by new; a case whose edit misses must not pass silently."""
    if old not in text:
        raise ValueError("gen.py: %r not found" % (old,))
    return text.replace(old, new, 1)


def as_bytes(s):
    return s.encode("utf-8", "surrogateescape") if isinstance(s, str) else s


def sha256(data):
    return hashlib.sha256(data).hexdigest().encode()


def manifest_line(data, path):
    enc = path.replace(b"%", b"%25").replace(b"\r", b"%0D").replace(b"\n", b"%0A")
    return sha256(data) + b"  " + enc + b"\n"


def load_sample(path):
    members = []
    with tarfile.open(path, "r:") as t:
        for ti in t.getmembers():
            name = ti.name.encode("utf-8", "surrogateescape")
            if ti.isdir():
                members.append(Member(name + b"/", "dir", mtime=int(ti.mtime)))
            elif ti.isfile():
                members.append(Member(name, "file", t.extractfile(ti).read(), mtime=int(ti.mtime)))
            else:
                sys.exit("gen.py: unexpected member %s in the sample" % ti.name)
    top = members[0].name.split(b"/")[0]
    return Bag(members, top)


# ---------------------------------------------------------------------------------------------
# Writers, written by hand for full control over every byte. By default they write the
# canonical form `dossier pack` writes (FORMAT.md 2.1): libarchive's restricted pax tar (ustar
# headers, a pax 'x' header holding only path= where ustar cannot hold the name), its zip
# (extra fields UT and ux, deflate with a data descriptor, directories stored) and its gzip
# header. So a case exercises the deeper check it is about, not the container check. The
# other forms (GNU headers and long names, pax headers for every entry, link, device and fifo
# entries) stay available for the cases about them.

TYPEFLAG = {"file": b"0", "hardlink": b"1", "symlink": b"2", "chr": b"3", "blk": b"4",
            "dir": b"5", "fifo": b"6"}
USTAR_MAGIC = b"ustar\x0000"   # POSIX: "ustar" NUL, version "00"
GNU_MAGIC = b"ustar  \x00"     # GNU tar's own


def pad512(data):
    return data + b"\0" * (-len(data) % 512)


def ustar_split(name):
    """(prefix, name) as libarchive's ustar writer stores a path, or None when it cannot: the
    name holds at most 100 bytes, the prefix 155, split at a '/' that is neither first nor last."""
    if len(name) <= 100:
        return b"", name
    i = name.find(b"/", len(name) - 101)
    if i == 0:
        i = name.find(b"/", 1)
    if i < 0 or i == len(name) - 1 or i > 155:
        return None
    return name[:i], name[i + 1:]


def ustar_entry_name(src, insert=None):
    """libarchive's build_ustar_entry_name: src shortened to something ustar can hold (the
    name under a pax path record), insert ("PaxHeader") added before the last component."""
    if len(src) < 100 and insert is None:
        return src
    suffix_len, fe, slash = 98, len(src), False  # libarchive 3.6 keeps 98 bytes, not 99
    while True:  # trailing '/' and '/.' off, remembered
        if fe > 0 and src[fe - 1:fe] == b"/":
            fe, slash = fe - 1, True
        elif fe > 1 and src[fe - 2:fe] == b"/.":
            fe, slash = fe - 2, True
        else:
            break
    suffix_len -= slash + (len(insert) + 2 if insert is not None else 0)
    fn = fe - 1
    while fn > 0 and src[fn:fn + 1] != b"/":
        fn -= 1
    if src[fn:fn + 1] == b"/" and fn < fe - 1:
        fn += 1
    fe = min(fe, fn + suffix_len)
    suffix_len -= fe - fn
    pe = min(154, fn)  # the prefix: up to a "/" (libarchive 3.6 looks at 154 bytes, not 155)
    while pe > 0 and src[pe:pe + 1] != b"/":
        pe -= 1
    if pe < fn and src[pe:pe + 1] == b"/":
        pe += 1
    se = max(min(pe + suffix_len, fn), pe)  # then as much of the rest as fits
    while se > pe and src[se:se + 1] != b"/":
        se -= 1
    if se < fn and src[se:se + 1] == b"/":
        se += 1
    out = src[:se] + (insert + b"/" if insert is not None else b"") + src[fn:fe]
    return out + (b"/" if slash else b"")


def pax_header_name(name):
    """libarchive's build_pax_attribute_name for the ustar name name."""
    p = len(name)
    while p > 0 and (name[p - 1:p] == b"/" or (p > 1 and name[p - 2:p] == b"/.")):
        p -= 1
    if p == 0:
        return b"/PaxHeader/rootdir"
    if name[:p] == b".":
        return b"PaxHeader/currentdir"
    return ustar_entry_name(name[:p], b"PaxHeader")


def tar_block(name, typeflag, size, mode=0o644, link=b"", dev=(0, 0), gnu=False, mtime=None):
    """One header as libarchive writes it (GNU tar's magic if gnu): octal fields of 6 or 11
    digits with their terminators, the checksum as 6 digits, NUL, space; a name ustar cannot
    split goes into the name field cut at 100 bytes (the cases that want exactly that)."""
    h = bytearray(512)
    split = ustar_split(name) if not gnu else None
    prefix, short = split if split is not None else (b"", name[:100])
    h[0:len(short)] = short
    h[100:108] = b"%06o \0" % mode
    h[108:116] = b"%06o \0" % 0
    h[116:124] = b"%06o \0" % 0
    h[124:136] = b"%011o " % size
    h[136:148] = b"%011o " % (MTIME if mtime is None else mtime)
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:157 + len(link[:100])] = link[:100]
    h[257:265] = GNU_MAGIC if gnu else USTAR_MAGIC
    h[329:337] = b"%06o \0" % dev[0]
    h[337:345] = b"%06o \0" % dev[1]
    h[345:345 + len(prefix)] = prefix
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def pax_record(key, value):
    body = b" " + key + b"=" + value + b"\n"
    n = len(body) + 1
    while len(str(n)) + len(body) != n:
        n = len(str(n)) + len(body)
    return str(n).encode() + body


def pax_block(m, recs, ustar_name, mode):
    """A pax 'x' header before m, named and moded as libarchive names and modes it."""
    clip = min(max(m.mtime, 0), 0x7FFFFFFF)  # libarchive's ustar limits for this header
    head = tar_block(pax_header_name(ustar_name), b"x", len(recs), mode, mtime=clip)
    return head + pad512(recs)


def needs_pax(name):
    return any(b >= 0x80 for b in name) or ustar_split(name) is None


def tar_member(m, style="canon"):
    """The bytes of one member: extension headers, header, data. style: "canon" (as pack
    writes it), "pax" (also a pax path record before every file entry, where ustar would have
    done) or "gnu" (GNU magic, ././@LongLink 'L' and 'K' headers for long names). A pax path
    record goes over m.ustar_name when that is set."""
    out = b""
    mode = m.mode if m.mode is not None else (0o755 if m.kind == "dir" else 0o644)
    size = m.size if m.size is not None else len(m.data)
    if m.kind not in ("file", "dir"):
        size = m.size if m.size is not None else 0
    name = m.name
    if style == "gnu":
        if len(name) > 100:
            out += tar_block(b"././@LongLink", b"L", len(name) + 1, gnu=True, mtime=m.mtime)
            out += pad512(name + b"\0")
        if len(m.link) > 100:
            out += tar_block(b"././@LongLink", b"K", len(m.link) + 1, gnu=True, mtime=m.mtime)
            out += pad512(m.link + b"\0")
        out += tar_block(name, TYPEFLAG[m.kind], size, mode, m.link, m.dev, gnu=True, mtime=m.mtime)
        return out + pad512(m.data)
    recs = b""
    if needs_pax(name) or m.ustar_name is not None or (style == "pax" and m.kind != "dir"):
        recs += pax_record(b"path", name)
        name = m.ustar_name if m.ustar_name is not None else ustar_entry_name(name)
    if len(m.link) > 100:
        recs += pax_record(b"linkpath", m.link)
    if not 0 <= m.mtime < 0x7FFFFFFF:  # libarchive's cut, though the octal field holds more
        recs += pax_record(b"mtime", b"%d" % m.mtime)
    if recs:
        out += pax_block(m, recs, name, mode)
    out += tar_block(name, TYPEFLAG[m.kind], size, mode, m.link, m.dev, mtime=m.mtime)
    return out + pad512(m.data)


def tar_bytes(bag, style="canon", end=True):
    out = b"".join(tar_member(m, style) for m in bag.members)
    return out + (b"\0" * 1024 if end else b"")


def gz(data):
    """One gzip member as libarchive's gzip filter writes it: no name, MTIME 0, XFL 0, OS 3
    (Unix), deflate at the default level."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + body +
            struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF))


def dos_time(mtime):
    t = time.gmtime(mtime)  # dossier writes zip times in UTC
    return ((t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2),
            ((t.tm_year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday)


def zip_extra(mtime):
    """The two extra fields libarchive's zip writer gives every entry, local and central
    alike: extended timestamp (mtime) and Unix uid/gid 0."""
    return (struct.pack("<HHBI", 0x5455, 5, 1, mtime & 0xFFFFFFFF) +
            struct.pack("<HHBBIBI", 0x7875, 11, 1, 4, 0, 4, 0))


def zip_bytes(bag):
    """The zip pack writes: files deflated with a data descriptor (local CRC and compressed
    size 0), directories stored, made by Unix 3.20, UTF-8 flag on non-ASCII names; other
    kinds (symlinks) stored with their mode. m.zip_flags replaces the name flags, and
    m.central_name the central directory's name (the cases about them)."""
    local, central = b"", b""
    for m in bag.members:
        name = m.name
        if m.kind == "file":
            mode, data = 0o100644 if m.mode is None else m.mode, m.data
        elif m.kind == "dir":
            mode, data = 0o40755, m.data
        elif m.kind == "symlink":
            mode, data = 0o120777, m.link
        else:
            raise ValueError("zip cannot hold a %s" % m.kind)
        flags = m.zip_flags
        if flags is None:
            flags = 0 if all(b < 0x80 for b in name) else 0x800
        crc = zlib.crc32(data) & 0xFFFFFFFF
        desc = m.kind == "file"
        if desc:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp, method, flags = c.compress(data) + c.flush(), 8, flags | 0x8
        else:
            comp, method = data, 0
        dostime, dosdate = dos_time(m.mtime)
        extra = zip_extra(m.mtime)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dostime, dosdate,
                             0 if desc else crc, 0 if desc else len(comp), len(data), len(name),
                             len(extra)) + name + extra + comp
        if desc:
            local += struct.pack("<IIII", 0x08074B50, crc, len(comp), len(data))
        cname = m.central_name if m.central_name is not None else name
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, flags, method,
                               dostime, dosdate, crc, len(comp), len(data), len(cname), len(extra),
                               0, 0, 0, mode << 16, offset) + cname + extra
    n = len(bag.members)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(local), 0)
    return local + central + eocd


def serialize(bag, fmt):
    if fmt == "tar":
        return tar_bytes(bag)
    if fmt == "tar.gz":
        return gz(tar_bytes(bag))
    if fmt == "zip":
        return zip_bytes(bag)
    if fmt == "pax.tar":
        return tar_bytes(bag, "pax")
    raise ValueError(fmt)


# ---------------------------------------------------------------------------------------------
# Signature helpers (no secret key: edits of existing .minisig files only).

def sig_lines(bag):
    return bag.sig().data.split(b"\n")


def set_sig_lines(bag, lines):
    bag.sig().data = b"\n".join(lines)


def sig_blob(bag):
    return bytearray(base64.b64decode(sig_lines(bag)[1]))


def set_sig_blob(bag, blob):
    lines = sig_lines(bag)
    lines[1] = base64.b64encode(bytes(blob))
    set_sig_lines(bag, lines)


def keyid_of(keynum):
    return keynum[::-1].hex().upper()


def pub_keyid(path):
    with open(path, "rb") as f:
        blob = base64.b64decode(f.read().split(b"\n")[1])
    return keyid_of(blob[2:10])


# ---------------------------------------------------------------------------------------------
# The cases.

CASES = []
TAR3 = ("tar", "tar.gz", "zip")
TAR2 = ("tar", "tar.gz")


NCF = "not in the canonical form pack writes: "  # the layout check's refusal (FORMAT 2.1)
TYPE = NCF + "entry type other than file, directory or pax header"
ZMODE = NCF + "file without Unix mode 0644"  # a zip entry that is no file or directory


def pad_record(data):
    """data, a tar, with zeros up to the end of its 10240-byte record."""
    return data + b"\0" * (-len(data) % 10240)


def case(cid, code, msg, desc, fmts=("tar",)):
    """Registers builder fn(bag, fmt) -> Bag or bytes for each format of fmts. msg may be a
    dict by format."""
    def wrap(fn):
        for fmt in fmts:
            m = msg.get(fmt, msg.get("*")) if isinstance(msg, dict) else msg
            c = code.get(fmt, code.get("*")) if isinstance(code, dict) else code
            CASES.append((cid, fmt, c, m, desc, fn))
        return fn
    return wrap


def build_cases(S):  # S: the sentinel prefix (bytes), e.g. b"/tmp/dossier-hostile-123"
    letter = "data/letter/letter-2020-10-16.txt"
    annex = "data/annex/cases.csv"

    # -------- valid controls: the suite must not pass by refusing everything --------
    @case("valid-rewritten", 0, "-", "the sample re-serialized by this generator verifies", TAR3)
    def _(b, fmt):
        return b

    @case("valid-pax", 0, "-",
          "the sample with a pax path header before every file entry verifies (the same names)",
          ("pax.tar",))
    def _(b, fmt):
        return b

    @case("valid-pax-dir", 2, "bundle is not signed",
          "a listed payload file in a directory with a non-ASCII name, as pack writes it (the "
          "directory's pax header has the directory's mode, 0755)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/\u00e9t\u00e9/", kind="dir")
        b.add("data/annex/\u00e9t\u00e9/x.csv", "x\n")
        return b.remanifest().retag()

    @case("valid-zero-padding-to-record", 0, "-",
          "zero blocks after the end-of-archive marker up to the end of its 10240-byte record "
          "(FORMAT 2.1)")
    def _(b, fmt):
        return pad_record(tar_bytes(b))

    @case("archive-zero-record-after-end", 1, "data after the end-of-archive marker",
          "a whole 10240-byte record of zeros after the record that ends the tar (FORMAT 2.1: "
          "nothing after that record)")
    def _(b, fmt):
        return pad_record(tar_bytes(b)) + b"\0" * 10240

    @case("archive-gzip-trailing-garbage", 1, "bytes follow the compressed stream",
          "bytes after the gzip member that are no gzip member (FORMAT 2.1: nothing after it)",
          ("tar.gz",))
    def _(b, fmt):
        return gz(tar_bytes(b)) + b"this is not a gzip member, and FORMAT.md says it is refused\n"

    @case("archive-zip-trailing-garbage", 1, NCF + "the file does not end with one end record",
          "bytes after the end of a zip archive (FORMAT 2.1: the end record ends the file)",
          ("zip",))
    def _(b, fmt):
        return zip_bytes(b) + b"trailing bytes after the end-of-central-directory record\n"

    @case("valid-crlf-manifests", 2, "bundle is not signed",
          "CRLF line ends in manifest-sha256.txt and tagmanifest-sha256.txt are accepted (RFC 8493)",
          TAR3)
    def _(b, fmt):
        b.set("manifest-sha256.txt", b.get("manifest-sha256.txt").replace(b"\n", b"\r\n"))
        return b.retag(crlf=True)

    @case("valid-crlf-bagit-txt", 2, "bundle is not signed", "bagit.txt with CRLF is accepted")
    def _(b, fmt):
        b.set("bagit.txt", b.get("bagit.txt").replace(b"\n", b"\r\n"))
        return b.retag()

    @case("valid-bagit-0.97", 2, "bundle is not signed", "BagIt-Version 0.97 is accepted")
    def _(b, fmt):
        b.set("bagit.txt", b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
        return b.retag()

    @case("valid-manifest-uppercase-hex-tabs", 2, "bundle is not signed",
          "upper-case hex and a tab between digest and path are accepted (FORMAT 4.3)")
    def _(b, fmt):
        lines = [l[:64].upper() + b"\t" + l[66:] for l in b.get("manifest-sha256.txt").split(b"\n") if l]
        b.set("manifest-sha256.txt", b"\n".join(lines) + b"\n")
        return b.retag()

    @case("valid-nfc-name", 2, "bundle is not signed",
          "a payload file with a non-ASCII (NFC) name, listed in the manifest, is accepted", TAR3)
    def _(b, fmt):
        b.add("data/annex/caf\u00e9.txt", "caf\u00e9\n")
        return b.remanifest().retag()

    @case("valid-nfd-name-nfc-manifest", 2, "bundle is not signed",
          "an NFD entry name matches the NFC manifest line (paths compare in NFC)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/caf\u00e9.txt", "caf\u00e9\n")
        b.remanifest().retag()
        b.find("data/annex/caf\u00e9.txt").name = b.full("data/annex/cafe\u0301.txt")
        return b

    @case("valid-percent-name", 2, "bundle is not signed",
          "a file named data/%2E%2E/x is listed as data/%252E%252E/x and is no escape", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/%2E%2E/x", "literal percent signs\n")
        return b.remanifest().retag()

    @case("valid-json-exactly-1MiB", 2, "bundle is not signed",
          "dossier.json of exactly 1048576 bytes (the limit) is accepted")
    def _(b, fmt):
        j = b.get("dossier.json").rstrip(b"\n")
        b.set("dossier.json", j + b" " * (1048576 - len(j) - 1) + b"\n")
        return b.retag()

    @case("sig-unknown-key", 2, "signed by unknown key 0123456789ABCDEF",
          "a well-formed signature by a key nobody passed is untrusted (exit 2), not invalid")
    def _(b, fmt):
        blob = sig_blob(b)
        blob[2:10] = bytes.fromhex("0123456789ABCDEF")[::-1]
        set_sig_blob(b, blob)
        b.sig().name = b.full("signatures/0123456789ABCDEF.minisig")
        return b

    # -------- entry types --------
    @case("type-symlink", 1, {"*": TYPE, "zip": ZMODE},
          "a symlink pointing outside (then a file written through it): no type pack writes",
          ("tar", "tar.gz", "zip"))
    def _(b, fmt):
        b.add("data/annex/link", kind="symlink", link=S + b"-symlink")
        b.add("data/annex/link/owned", "written through the symlink\n")
        return b

    @case("type-symlink-tag", 1, {"*": TYPE, "zip": ZMODE},
          "a symlink replacing bag-info.txt (a tag file): no type pack writes", ("tar", "zip"))
    def _(b, fmt):
        b.drop("bag-info.txt")
        b.add("bag-info.txt", kind="symlink", link=b"/etc/passwd")
        return b

    @case("type-hardlink", 1, TYPE, "a hard link to a path outside the bag: no type pack writes",
          TAR2)
    def _(b, fmt):
        b.add("data/annex/hl", kind="hardlink", link=S + b"-hardlink")
        return b

    @case("type-hardlink-then-file", 1, TYPE,
          "a hard link to a path outside, then a file of the same name written through it")
    def _(b, fmt):
        b.add("data/annex/hl", kind="hardlink", link=S + b"-hardlink-then-file")
        b.add("data/annex/hl", "written through the hard link\n")
        return b

    @case("type-symlink-top", 1, {"*": TYPE, "zip": ZMODE},
          "the top directory itself is a symlink to a directory outside", ("tar", "zip"))
    def _(b, fmt):
        b.members[0] = Member(b.top, kind="symlink", link=S + b"-symlink-top")
        return b

    @case("type-hardlink-inside", 1, TYPE, "a hard link to another member of the bag")
    def _(b, fmt):
        b.add("data/annex/hl", kind="hardlink", link=b.full(letter))
        return b

    @case("type-chardev", 1, TYPE, "a character device (1,3)", TAR2)
    def _(b, fmt):
        b.add("data/annex/null", kind="chr", dev=(1, 3))
        return b

    @case("type-blockdev", 1, TYPE, "a block device (8,0)")
    def _(b, fmt):
        b.add("data/annex/sda", kind="blk", dev=(8, 0))
        return b

    @case("type-fifo", 1, TYPE, "a FIFO", TAR2)
    def _(b, fmt):
        b.add("data/annex/pipe", kind="fifo")
        return b

    @case("type-dir-with-data", 1, {"tar": NCF + "directory entry with a size",
                                    "zip": NCF + "directory entry with data"},
          "a directory entry carrying 5 bytes (GNU tar ignores a tar directory's size and reads "
          "the data as the next header)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/extra/", b"hello", kind="dir")
        return b

    @case("type-file-trailing-slash", 1, {"tar": NCF + "file name with a trailing slash",
                                          "zip": NCF + "directory without Unix mode 0755"},
          "a listed regular file whose entry name ends in '/' (old tar: a directory)", ("tar", "zip"))
    def _(b, fmt):
        m = b.add("data/annex/new.csv", "new\n")
        b.remanifest().retag()
        m.name += b"/"
        return b

    # -------- paths --------
    @case("path-absolute", 1, "absolute path",
          "an entry whose path inside the bag is absolute (top//tmp/...)", TAR3)
    def _(b, fmt):
        b.add_raw(b.top + b"/" + S + b"-absolute", "owned\n")
        return b

    @case("path-absolute-first", 1, "not a safe name for the bundle's top directory",
          "an absolute first entry (/tmp/...): the top directory becomes ''", ("tar", "zip"))
    def _(b, fmt):
        b.add_raw(S + b"-absolute-first", "owned\n", first=True)
        return b

    @case("path-dotdot", 1, "'.' or '..' in path",
          "data/../../../../ climbs above the extract target", TAR3)
    def _(b, fmt):
        b.add("data/../../../../dossier-hostile-dotdot", "owned\n")
        return b

    @case("path-dotdot-top", 1, "not a safe name for the bundle's top directory",
          "the first entry is ../x: the top directory would be '..'", ("tar", "zip"))
    def _(b, fmt):
        b.add_raw(b"../dossier-hostile-dotdot-top", "owned\n", first=True)
        return b

    @case("path-dot", 1, "'.' or '..' in path", "a '.' component (top/./data/x)")
    def _(b, fmt):
        b.add("./data/annex/dot.csv", "x\n")
        return b

    @case("path-empty-component", 1, "empty path component", "a '//' inside the path", ("tar", "zip"))
    def _(b, fmt):
        b.add("data//annex/x.csv", "x\n")
        return b

    @case("path-backslash", 1, "backslash in path", "data<BACKSLASH>..<BACKSLASH>x, Windows separators", ("tar", "zip"))
    def _(b, fmt):
        b.add("data\\..\\..\\dossier-hostile-backslash", "owned\n")
        return b

    @case("path-drive-letter", 1, "drive letter in path", "C:/x, a drive letter", ("tar", "zip"))
    def _(b, fmt):
        b.add("C:/dossier-hostile-drive", "owned\n")
        return b

    @case("path-control-esc", 1, "control character in path",
          "an ESC (terminal escape) in a name", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/\x1b[2J\x1b]0;owned\x07.csv", "x\n")
        return b

    @case("path-control-newline", 1, "control character in path", "a newline in a name", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/a\nb.csv", "x\n")
        return b

    @case("path-control-del", 1, "control character in path", "a DEL (0x7F) in a name")
    def _(b, fmt):
        b.add("data/annex/a\x7fb.csv", "x\n")
        return b

    @case("path-nul", 1, {"tar": NCF + "name field with bytes after its end",
                          "zip": NCF + "entry without the time and owner fields pack writes"},
          "a NUL in a name: letter.txt<NUL>.exe, which tar reads as letter.txt, a duplicate, and "
          "a zip reader may read as letter.txt .exe", ("tar", "zip"))
    def _(b, fmt):
        b.add(letter + "\0.exe", "replacement letter\n")
        return b

    for cid, raw, desc in [
            ("overlong", b"\xc0\xaf", "an overlong 2-byte '/' (C0 AF)"),
            ("overlong3", b"\xe0\x80\xae\xe0\x80\xae", "overlong 3-byte dots (E0 80 AE)"),
            ("surrogate", b"\xed\xa0\x80", "an encoded UTF-16 surrogate (ED A0 80)"),
            ("truncated", b"x\xe2\x82", "a truncated 3-byte sequence at the end"),
            ("above-max", b"\xf4\x90\x80\x80", "a code point above U+10FFFF (F4 90 80 80)"),
            ("lone-continuation", b"\x80x", "a lone continuation byte"),
            ("latin1", b"caf\xe9", "Latin-1 bytes (caf E9)")]:
        zipped = cid in ("overlong", "surrogate", "latin1")
        @case("path-utf8-" + cid, 1, {"tar": "Pathname can't be converted from UTF-8",
                                      "zip": NCF + "non-ASCII name not marked and encoded"},
              "invalid UTF-8 name: " + desc + " (tar: in a pax path record, which libarchive "
              "refuses to convert; zip: with the UTF-8 flag)",
              ("tar", "zip") if zipped else ("tar",))
        def _(b, fmt, raw=raw):
            b.add(b"data/annex/" + raw, "x\n")
            return b

        @case("path-utf8-noflag-" + cid, 1, NCF + "non-ASCII name not marked and encoded as UTF-8",
              "invalid UTF-8 name: " + desc + ", zip without the UTF-8 flag",
              ("zip",) if cid in ("overlong", "surrogate", "truncated") else ())
        def _(b, fmt, raw=raw):
            b.add(b"data/annex/" + raw, "x\n", zip_flags=0)
            return b

    def long_path(n):  # a path under data/ of n bytes, components of at most 201
        p = "data/" + "d" * 200 + "/" + "d" * 200 + "/" + "d" * 200 + "/" + "d" * 200 + "/"
        return p + "x" * (n - len(p))

    @case("path-too-long", 1, "path too long", "a path of 1025 bytes (limit 1024)", ("tar", "zip"))
    def _(b, fmt):
        b.add(long_path(1025), "x\n")
        return b

    @case("valid-path-1024", 2, "bundle is not signed", "a listed payload path of exactly 1024 bytes",
          ("tar", "zip"))
    def _(b, fmt):
        b.add(long_path(1024), "x\n")
        return b.remanifest().retag()

    @case("valid-depth-32", 2, "bundle is not signed", "a listed payload path of exactly 32 components")
    def _(b, fmt):
        b.add("data/" + "d/" * 30 + "x", "x\n")
        return b.remanifest().retag()

    @case("valid-component-255", 2, "bundle is not signed", "a listed payload name of exactly 255 bytes")
    def _(b, fmt):
        b.add("data/annex/" + "c" * 255, "x\n")
        return b.remanifest().retag()

    @case("tar-gnu-longname-dotdot", 1, NCF + "not a POSIX ustar header",
          "a GNU long name (././@LongLink) climbing out with '..' past its 100-byte header name")
    def _(b, fmt):
        m = b.add("data/" + "a" * 90 + "/../../../../../dossier-hostile-longname", "owned\n")
        b.members.remove(m)  # the bag as pack writes it, then this one entry as GNU tar does
        return tar_bytes(b, end=False) + tar_member(m, "gnu") + b"\0" * 1024

    @case("path-long-dotdot", 1, "'.' or '..' in path",
          "a long name (a pax path record, as pack writes one) climbing out with '..' past its "
          "100 bytes", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/" + "a" * 90 + "/../../../../../dossier-hostile-longname", "owned\n")
        return b

    @case("path-component-too-long", 1, "path component too long", "a 256-byte component", ("tar",))
    def _(b, fmt):
        b.add("data/annex/" + "c" * 256, "x\n")
        return b

    @case("path-too-deep", 1, "path too deep", "33 components (limit 32)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/" + "d/" * 31 + "x.csv", "x\n")
        return b

    @case("path-conflict", 1, "is a file, so it cannot also be its directory",
          "data/annex/cases.csv/x when cases.csv is a file", ("tar", "zip"))
    def _(b, fmt):
        b.add(annex + "/x", "x\n")
        return b

    @case("path-unsafe-top", 1, "not a safe name for the bundle's top directory",
          "the top directory's name holds an escape sequence", ("tar",))
    def _(b, fmt):
        for m in b.members:
            m.name = b"evil\x1b[0m" + m.name[len(b.top):]
        b.top = b"evil\x1b[0m"
        return b

    # -------- collisions and duplicates --------
    @case("collide-case", 1, "collides with 'data/annex/cases.csv'",
          "data/annex/CASES.csv next to cases.csv", TAR3)
    def _(b, fmt):
        b.add("data/annex/CASES.csv", "replacement\n")
        return b

    @case("collide-casefold-long-s", 1, "collides with 'data/annex/cases.csv'",
          "data/annex/ca\u017fes.csv (LATIN SMALL LETTER LONG S folds to s)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/ca\u017fes.csv", "replacement\n")
        return b

    @case("collide-case-dir", 1, "collides with",
          "a DATA/ tree next to data/ (case-insensitive disks merge them)", ("tar", "zip"))
    def _(b, fmt):
        b.add("DATA/", kind="dir")
        b.add("DATA/letter/letter-2020-10-16.txt", "replacement\n")
        return b

    @case("collide-case-tag", 1, "collides with 'dossier.json'", "DOSSIER.JSON next to dossier.json")
    def _(b, fmt):
        b.add("DOSSIER.JSON", "{}")
        return b

    @case("collide-nfd", 1, "data/annex/caf\u00e9.txt: entry appears twice",
          "caf\u00e9.txt (NFC, listed) and cafe\u0301.txt (NFD) in one bag (libarchive hands back "
          "pax path and zip names in NFC: a duplicate)", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/caf\u00e9.txt", "caf\u00e9\n")
        b.remanifest().retag()
        b.add("data/annex/cafe\u0301.txt", "replacement\n")
        return b

    @case("dup-payload", 1, "entry appears twice", "data/annex/cases.csv twice, the second altered", TAR3)
    def _(b, fmt):
        b.add(annex, "replacement, extracted over the first?\n")
        return b

    @case("dup-file-over-dir", 1, "data/annex: entry appears twice",
          "a file entry data/annex after the directory entry data/annex/", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex", "a file where the directory was\n")
        return b

    @case("dup-dir-over-file", 1, "data/annex/cases.csv",
          "a directory entry data/annex/cases.csv/ after the file: GNU tar then replaces the verified "
          "file with an empty directory", ("tar", "zip"))
    def _(b, fmt):
        b.add("data/annex/cases.csv/", kind="dir")
        return b

    @case("dup-dir-over-tag", 1, "dossier.json",
          "a directory entry dossier.json/ after the file (GNU tar replaces the file by it)")
    def _(b, fmt):
        b.add("dossier.json/", kind="dir")
        return b

    @case("dup-tag", 1, "entry appears twice", "dossier.json twice", ("tar", "zip"))
    def _(b, fmt):
        b.add("dossier.json", b.get("dossier.json"))
        return b

    @case("dup-signature", 1, "entry appears twice", "the signature file twice")
    def _(b, fmt):
        b.add(b.rel(b.sig()).decode(), b.sig().data)
        return b

    # -------- the top directory --------
    @case("outside-other-top", 1, "entry outside the bundle's top directory", "other/readme.txt", TAR3)
    def _(b, fmt):
        b.add_raw(b"other/readme.txt", "hello\n")
        return b

    @case("outside-prefix-top", 1, "entry outside the bundle's top directory",
          "a top directory that only starts like the bundle's", ("tar", "zip"))
    def _(b, fmt):
        b.add_raw(b.top + b"-evil/data/x", "hello\n")
        return b

    @case("outside-file-at-top", 1, "entry outside the bundle's top directory",
          "a regular file named like the top directory", ("tar", "zip"))
    def _(b, fmt):
        b.add_raw(b.top, "I am the top directory\n")
        return b

    @case("outside-second-bag", 1, "entry outside the bundle's top directory",
          "the whole bag again under a second top directory", ("tar", "zip"))
    def _(b, fmt):
        for m in list(b.members):
            c = m.copy()
            c.name = b"second-bag" + m.name[len(b.top):]
            b.members.append(c)
        return b

    @case("outside-appended-tar", 1, "data after the end-of-archive marker",
          "a tar appended after the end-of-archive marker adds a payload file (tar -i reads it)",
          TAR2)
    def _(b, fmt):
        extra = Bag([Member(b.full("data/annex/appended.csv"), data=b"smuggled\n")], b.top)
        data = tar_bytes(b) + tar_bytes(extra)
        return gz(data) if fmt == "tar.gz" else data

    @case("outside-appended-gzip-member", 1, "bytes follow the compressed stream",
          "a second gzip member holding a tar with one more payload file", ("tar.gz",))
    def _(b, fmt):
        extra = Bag([Member(b.full("data/annex/appended.csv"), data=b"smuggled\n")], b.top)
        return gz(tar_bytes(b)) + gz(tar_bytes(extra))

    @case("outside-appended-dup", 1, "data after the end-of-archive marker",
          "an appended tar replacing the letter", ("tar",))
    def _(b, fmt):
        extra = Bag([Member(b.full(letter), data=b"replaced\n")], b.top)
        return tar_bytes(b) + tar_bytes(extra)

    @case("outside-appended-other-top", 1, "data after the end-of-archive marker",
          "an appended tar with another top directory", ("tar",))
    def _(b, fmt):
        extra = Bag([Member(b"other/x", data=b"smuggled\n")], b"other")
        return tar_bytes(b) + tar_bytes(extra)

    # -------- broken containers --------
    @case("archive-truncated-in-data", 1, "runcated",
          "the tar cut in the middle of the letter's data", ("tar", "tar.gz"))
    def _(b, fmt):
        raw = tar_bytes(b)
        cut = raw.index(b.get(letter)[:64]) + 1000
        return gz(raw)[:len(gz(raw)) // 2] if fmt == "tar.gz" else raw[:cut]

    @case("archive-truncated-header", 1, NCF + "archive ends without an end-of-archive marker",
          "the tar cut in the middle of a header", ("tar",))
    def _(b, fmt):
        raw = tar_bytes(b)
        return raw[:raw.index(b.full("dossier.json")) + 300]

    @case("archive-truncated-zip-data", 1, NCF + "the file does not end with one end record",
          "the zip cut in the middle of the letter's data",
          ("zip",))
    def _(b, fmt):
        raw = zip_bytes(b)
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return raw[:raw.index(c.compress(b.get(letter)) + c.flush()) + 1000]

    @case("archive-truncated-zip-central", 1, NCF + "the file does not end with one end record",
          "the zip cut inside its central directory (no end record): unzip refuses it", ("zip",))
    def _(b, fmt):
        raw = zip_bytes(b)
        return raw[:raw.index(struct.pack("<I", 0x02014B50)) + 100]

    @case("zip-central-names-swapped", 1, NCF + "local header does not match its central directory",
          "local headers name letter and annex, the central directory (what unzip extracts by) "
          "swaps the two names", ("zip",))
    def _(b, fmt):
        la, lb = b.find(letter), b.find(annex)
        la.central_name, lb.central_name = lb.name, la.name
        return b

    @case("archive-bad-checksum", 1, NCF + "header checksum is not the unsigned sum of its bytes",
          "a tar header whose checksum does not match", ("tar",))
    def _(b, fmt):
        raw = bytearray(tar_bytes(b))
        at = raw.index(b.full("dossier.json"))
        raw[at + 100] ^= 1  # the mode field, checksum left as it was
        return bytes(raw)

    @case("archive-garbage-after-tar", 1, "data after the end-of-archive marker",
          "data after the end-of-archive marker that is no tar (FORMAT 7)", ("tar",))
    def _(b, fmt):
        return tar_bytes(b) + pad512(b"this is not a tar header" * 10)

    @case("archive-gzip-corrupt", 1, "{file}: gzip stream is damaged",
          "the gzip stream's deflate data damaged", ("tar.gz",))
    def _(b, fmt):
        raw = bytearray(gz(tar_bytes(b)))
        for i in range(200, 260):
            raw[i] ^= 0x55
        return bytes(raw)

    @case("archive-gzip-bad-crc", 1, "{file}: gzip stream is damaged (incorrect data check)",
          "a gzip stream whose CRC-32 trailer is wrong (gunzip refuses it)", ("tar.gz",))
    def _(b, fmt):
        raw = bytearray(gz(tar_bytes(b)))
        raw[-8] ^= 0xFF
        return bytes(raw)

    @case("archive-not-archive", 65, "not a bundle (a text file)", "a plain text file: the wrong kind of file", ("txt",))
    def _(b, fmt):
        return b"This is a letter, not a bundle.\n" * 40

    @case("archive-bzip2", 1, NCF + "header checksum",
          "a bzip2-compressed tar (only gzip and zstd are accepted; read as a tar)", ("tar.bz2",))
    def _(b, fmt):
        return bz2.compress(tar_bytes(b))

    @case("archive-xz", 1, NCF + "header checksum", "an xz-compressed tar (read as a tar)",
          ("tar.xz",))
    def _(b, fmt):
        return lzma.compress(tar_bytes(b))

    @case("archive-empty-tar", 1, "empty archive", "a tar of only the end-of-archive marker", ("tar",))
    def _(b, fmt):
        return b"\0" * 1024

    @case("archive-empty-tar-gz", 1, "empty archive", "a gzip of an empty tar", ("tar.gz",))
    def _(b, fmt):
        return gz(b"\0" * 10240)

    @case("archive-empty-zip", 1, NCF + "the tar also reads as a zip",
          "a zip with no entries (no local header: read as a tar that unzip reads as a zip)",
          ("zip",))
    def _(b, fmt):
        return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0, 0, 0, 0, 0)

    @case("archive-empty-file", 65, "not a bundle (an empty file)", "a file of zero bytes: the wrong kind of file", ("tar",))
    def _(b, fmt):
        return b""

    @case("zip-encrypted", 1, NCF + "general purpose flags pack never sets",
          "a zip entry flagged as encrypted", ("zip",))
    def _(b, fmt):
        b.find(letter).zip_flags = 1
        return b

    @case("zip-central-local-mismatch", 1,
          NCF + "local header does not match its central directory",
          "zip whose local header says data/../../x and central directory a benign name", ("zip",))
    def _(b, fmt):
        m = b.add("data/../../../../dossier-hostile-zip-local", "owned\n")
        m.central_name = b.full("data/annex/benign.csv")
        return b

    @case("tar-pax-path-override", 1, "'.' or '..' in path",
          "a pax path record with '..' over a benign ustar name", ("pax.tar",))
    def _(b, fmt):
        m = b.add("data/../../../../dossier-hostile-pax", "owned\n")
        m.ustar_name = b.full("data/annex/benign.csv")
        return b

    # -------- manifests --------
    @case("manifest-payload-unlisted", 1, "payload file not listed in manifest-sha256.txt",
          "a payload file the manifest does not list (Oxum and tag manifest re-derived)", TAR3)
    def _(b, fmt):
        b.add("data/annex/extra.csv", "smuggled\n")
        return b.reoxum().retag()

    @case("manifest-payload-missing", 1, "listed in manifest-sha256.txt but missing",
          "a listed payload file left out (Oxum and tag manifest re-derived)", ("tar", "zip"))
    def _(b, fmt):
        b.drop(annex)
        return b.reoxum().retag()

    @case("manifest-digest-mismatch", 1, "data/letter/letter-2020-10-16.txt: sha256 mismatch",
          "the letter's bytes changed, same size: the signature still holds", TAR3)
    def _(b, fmt):
        d = bytearray(b.get(letter))
        d[100] ^= 0x20
        return b.set(letter, bytes(d))

    @case("manifest-malformed-line", 1, "expected '<64 hex digits>  <path>'", "a line 'garbage'")
    def _(b, fmt):
        b.set("manifest-sha256.txt", b.get("manifest-sha256.txt") + b"garbage\n")
        return b.retag()

    @case("manifest-nonhex", 1, "checksum is not 64 hex digits", "a digest with a 'g' in it")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt")
        return b.set("manifest-sha256.txt", b"g" + m[1:]).retag()

    @case("manifest-short-digest", 1, "manifest-sha256.txt: line 1:", "a 63-digit digest")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt")
        return b.set("manifest-sha256.txt", m[1:]).retag()

    @case("manifest-no-final-newline", 1, "last line has no line ending", "no line end at the end")
    def _(b, fmt):
        return b.set("manifest-sha256.txt", b.get("manifest-sha256.txt").rstrip(b"\n")).retag()

    @case("manifest-nul", 1, "contains a NUL byte", "a NUL byte in the manifest")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt")
        return b.set("manifest-sha256.txt", m[:-1] + b"\0\n").retag()

    @case("manifest-duplicate-line", 1, "is listed twice", "one line twice")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt")
        return b.set("manifest-sha256.txt", m + m.split(b"\n")[0] + b"\n").retag()

    @case("manifest-duplicate-nfc", 1, "is listed twice",
          "the same path listed in NFC and in NFD")
    def _(b, fmt):
        b.add("data/annex/caf\u00e9.txt", "caf\u00e9\n")
        b.remanifest()
        m = b.get("manifest-sha256.txt")
        nfd = manifest_line("caf\u00e9\n".encode(), "data/annex/cafe\u0301.txt".encode())
        return b.set("manifest-sha256.txt", m + nfd).retag()

    @case("manifest-outside-data", 1, "which is outside data/", "a line naming bagit.txt")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + manifest_line(b.get("bagit.txt"), b"bagit.txt")
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-dotdot", 1, "manifest-sha256.txt: line 3: '.' or '..' in path",
          "a line naming data/../bagit.txt")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + manifest_line(b.get("bagit.txt"), b"data/../bagit.txt")
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-absolute", 1, "manifest-sha256.txt: line 3: absolute path", "a line naming /etc/passwd")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + manifest_line(b"x", b"/etc/passwd")
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-percent-newline", 1, "manifest-sha256.txt: line 3: control character in path",
          "data/a%0Ab decodes to a newline, which no path may hold")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + sha256(b"x") + b"  data/a%0Ab\n"
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-percent-dotdot", 1, "data/%2E%2E/%2E%2E/bagit.txt: listed in manifest-sha256.txt but missing",
          "data/%252E%252E/... decodes once, to a literal name: no '..' by double decoding")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + manifest_line(b.get("bagit.txt"), b"data/%2E%2E/%2E%2E/bagit.txt")
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-percent-2e", 1, "data/%2E%2E/x: listed in manifest-sha256.txt but missing",
          "data/%2E%2E/x is a literal name (RFC 8493 decodes only %0A %0D %25)")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + sha256(b"x") + b"  data/%2E%2E/x\n"
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-percent-25-dotdot", 1, "data/..%: listed in manifest-sha256.txt but missing",
          "data/..%25 decodes to data/..%, a literal name, not '..'")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + sha256(b"x") + b"  data/..%25\n"
        return b.set("manifest-sha256.txt", m).retag()

    @case("manifest-line-too-long", 1, "longer than 4096 bytes", "a manifest line of 4200 bytes")
    def _(b, fmt):
        m = b.get("manifest-sha256.txt") + sha256(b"x") + b"  data/" + b"x" * 4130 + b"\n"
        return b.set("manifest-sha256.txt", m).retag()

    # -------- tag files --------
    @case("bagit-wrong-version", 1, "bagit.txt: must declare BagIt-Version 1.0",
          "BagIt-Version: 1.1", ("tar",))
    def _(b, fmt):
        return b.set("bagit.txt", b"BagIt-Version: 1.1\nTag-File-Character-Encoding: UTF-8\n").retag()

    @case("bagit-no-encoding", 1, "bagit.txt: must declare", "no Tag-File-Character-Encoding line")
    def _(b, fmt):
        return b.set("bagit.txt", b"BagIt-Version: 1.0\n").retag()

    @case("bagit-latin1", 1, "bagit.txt: must declare", "Tag-File-Character-Encoding: ISO-8859-1")
    def _(b, fmt):
        return b.set("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n").retag()

    @case("bagit-bom", 1, "bagit.txt: must declare", "a byte order mark before BagIt-Version")
    def _(b, fmt):
        return b.set("bagit.txt", b"\xef\xbb\xbf" + b.get("bagit.txt")).retag()

    def oxum(b, value):
        lines = [(b"Payload-Oxum: " + value) if l.startswith(b"Payload-Oxum:") else l
                 for l in b.get("bag-info.txt").split(b"\n")]
        return b.set("bag-info.txt", b"\n".join(lines)).retag()

    @case("oxum-wrong", 1, "Payload-Oxum says 1 bytes in 2 files", "Payload-Oxum: 1.2", ("tar", "zip"))
    def _(b, fmt):
        return oxum(b, b"1.2")

    @case("oxum-malformed", 1, "malformed Payload-Oxum", "Payload-Oxum: lots")
    def _(b, fmt):
        return oxum(b, b"lots")

    @case("oxum-huge", 1, "Payload-Oxum", "Payload-Oxum: 99999999999999999999.1 (over 2^64)")
    def _(b, fmt):
        return oxum(b, b"99999999999999999999.1")

    @case("oxum-negative-wraps", 1, "malformed Payload-Oxum",
          "Payload-Oxum: -(2^64 - octets).2, which strtoull wraps to the right number")
    def _(b, fmt):
        octets = sum(len(m.data) for m in b.payload())
        return oxum(b, b"-%d.2" % (2 ** 64 - octets))

    @case("oxum-missing", 1, "no Payload-Oxum", "no Payload-Oxum line")
    def _(b, fmt):
        lines = [l for l in b.get("bag-info.txt").split(b"\n") if not l.startswith(b"Payload-Oxum:")]
        return b.set("bag-info.txt", b"\n".join(lines)).retag()

    @case("fetch-txt", 1, "fetch.txt is refused", "fetch.txt, covered by the tag manifest", ("tar",))
    def _(b, fmt):
        b.add("fetch.txt", "https://example.org/x 1 data/annex/x.csv\n")
        return b.retag()

    @case("tag-uncovered", 1, "notes.txt: tag file not covered by tagmanifest-sha256.txt",
          "a tag file added after signing (the signature still holds)", ("tar", "zip"))
    def _(b, fmt):
        b.add("notes.txt", "added after signing\n")
        return b

    @case("tag-mismatch", 1, "VERIFY.txt: sha256 mismatch", "VERIFY.txt changed after signing", TAR2)
    def _(b, fmt):
        d = bytearray(b.get("VERIFY.txt"))
        d[10] ^= 0x20
        return b.set("VERIFY.txt", bytes(d))

    @case("tagmanifest-lists-signature", 1, "which is not a signed tag file",
          "the tag manifest lists signatures/<KEYID>.minisig")
    def _(b, fmt):
        t = b.get("tagmanifest-sha256.txt") + manifest_line(b.sig().data, b.rel(b.sig()))
        return b.set("tagmanifest-sha256.txt", t)

    @case("tagmanifest-lists-payload", 1, "which is not a signed tag file",
          "the tag manifest lists a data/ file")
    def _(b, fmt):
        t = b.get("tagmanifest-sha256.txt") + manifest_line(b.get(annex), annex.encode())
        return b.set("tagmanifest-sha256.txt", t)

    @case("tagmanifest-lists-itself", 1, "which is not a signed tag file", "the tag manifest lists itself")
    def _(b, fmt):
        b.retag()
        t = b.get("tagmanifest-sha256.txt")
        return b.set("tagmanifest-sha256.txt", t + manifest_line(t, b"tagmanifest-sha256.txt"))

    @case("tag-too-large", 1, "tag file larger than 1048576 bytes",
          "VERIFY.txt of 1 MiB + 1 byte (covered by the tag manifest)", TAR2)
    def _(b, fmt):
        return b.set("VERIFY.txt", b"x" * 1048576 + b"\n").retag()

    # -------- dossier.json (tag manifest re-derived, signature dropped) --------
    def jset(b, text):
        return b.set("dossier.json", as_bytes(text)).retag()

    def jdoc(b):
        return json.loads(b.get("dossier.json"))

    def jdump(doc):
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def jtext(b):
        return jdump(jdoc(b))

    @case("json-duplicate-key", 1, "dossier.json: duplicate key", "\"title\" twice", ("tar", "zip"))
    def _(b, fmt):
        return jset(b, sub(jtext(b), '"title":', '"title": "forged title",\n  "title":'))

    @case("json-trailing-data", 1, "trailing data after the JSON value", "{...}{} ")
    def _(b, fmt):
        return jset(b, b.get("dossier.json") + b"{}\n")

    @case("json-depth-40", 1, "dossier.json: nested too deeply", "an array nested 40 deep")
    def _(b, fmt):
        j = jtext(b).rstrip()
        return jset(b, j[:-1] + ', "x-deep": ' + "[" * 40 + "]" * 40 + "}\n")

    @case("json-u0000", 1, "dossier.json: string contains", "a title with an escaped NUL (u0000) in it")
    def _(b, fmt):
        return jset(b, sub(jtext(b), '"title": "', '"title": "Open\\u0000'))

    @case("json-huge-number", 1, "\"dossier_version\" must be an integer", "dossier_version: 1e400")
    def _(b, fmt):
        return jset(b, sub(jtext(b), '"dossier_version": 1,', '"dossier_version": 1e400,'))

    @case("json-wrong-type", 1, "\"title\" must be a string", "title: 5")
    def _(b, fmt):
        doc = jdoc(b)
        doc["title"] = 5
        return jset(b, jdump(doc))

    @case("json-wrong-type-array", 1, "\"from\" must be an array", "from: {}")
    def _(b, fmt):
        doc = jdoc(b)
        doc["from"] = {}
        return jset(b, jdump(doc))

    @case("json-unknown-field", 1, "unknown field \"x-extra\"", "an unknown top-level field")
    def _(b, fmt):
        doc = jdoc(b)
        doc["x-extra"] = True
        return jset(b, jdump(doc))

    @case("json-case-key", 1, "unknown field \"Title\"", "\"Title\" instead of \"title\"")
    def _(b, fmt):
        return jset(b, sub(jtext(b), '"title":', '"Title":'))

    @case("json-not-object", 1, "dossier.json: must be a JSON object", "dossier.json is []")
    def _(b, fmt):
        return jset(b, "[]\n")

    @case("json-invalid", 1, "dossier.json: not valid JSON", "a truncated JSON text")
    def _(b, fmt):
        return jset(b, b.get("dossier.json")[:200])

    @case("json-lone-surrogate", 1, "dossier.json: not valid JSON", "a title with a lone escaped surrogate (ud800)")
    def _(b, fmt):
        return jset(b, sub(jtext(b), '"title": "', '"title": "\\ud800'))

    @case("json-invalid-utf8", 1, "dossier.json", "a title with Latin-1 bytes (tag files are UTF-8)")
    def _(b, fmt):
        return jset(b, sub(jtext(b).encode(), b'"title": "', b'"title": "caf\xe9 '))

    @case("json-files-sha-differs", 1, "differs from manifest-sha256.txt",
          "dossier.json gives another sha256 for the letter")
    def _(b, fmt):
        doc = jdoc(b)
        doc["files"][0]["sha256"] = "0" * 64
        return jset(b, jdump(doc))

    @case("json-files-unlisted", 1, "which manifest-sha256.txt does not list",
          "dossier.json describes a file the manifest does not list")
    def _(b, fmt):
        doc = jdoc(b)
        f = dict(doc["files"][0])
        f["path"] = "data/annex/ghost.csv"
        doc["files"].append(f)
        return jset(b, jdump(doc))

    @case("json-too-large", 1, "dossier.json: tag file larger than 1048576 bytes",
          "dossier.json of 1 MiB + 1 byte (padding)", TAR2)
    def _(b, fmt):
        j = b.get("dossier.json").rstrip(b"\n")
        return jset(b, j + b" " * (1048577 - len(j) - 1) + b"\n")

    # -------- signatures (no re-signing: edits of the real one) --------
    @case("sig-bad-base64-length", 1, "second line is not base64 of 74 bytes",
          "the signature line decodes to 73 bytes", ("tar",))
    def _(b, fmt):
        set_sig_blob(b, sig_blob(b)[:73])
        return b

    @case("sig-bad-base64", 1, "second line is not base64 of 74 bytes", "the signature line is not base64")
    def _(b, fmt):
        lines = sig_lines(b)
        lines[1] = b"!!" + lines[1][2:]
        set_sig_lines(b, lines)
        return b

    @case("sig-unknown-algorithm", 1, "signature: unknown algorithm", "algorithm bytes 'XY'")
    def _(b, fmt):
        blob = sig_blob(b)
        blob[0:2] = b"XY"
        set_sig_blob(b, blob)
        return b

    @case("sig-legacy-flag", 1, "does not match the signed bytes",
          "a prehashed signature relabelled 'Ed' (legacy, unhashed)")
    def _(b, fmt):
        blob = sig_blob(b)
        blob[0:2] = b"Ed"
        set_sig_blob(b, blob)
        return b

    @case("sig-keyid-name-differs", 1, "signatures/0123456789ABCDEF.minisig: file is named for key 0123456789ABCDEF",
          "the file is named for one key, the signature inside is by another", ("tar", "zip"))
    def _(b, fmt):
        b.sig().name = b.full("signatures/0123456789ABCDEF.minisig")
        return b

    @case("sig-keyid-inside-differs", 1, "but the signature is by 0123456789ABCDEF",
          "the key number inside the signature changed, the name kept")
    def _(b, fmt):
        blob = sig_blob(b)
        blob[2:10] = bytes.fromhex("0123456789ABCDEF")[::-1]
        set_sig_blob(b, blob)
        return b

    @case("sig-comment-altered", 1, "signature was altered",
          "the trusted comment edited (global signature no longer matches)", ("tar",))
    def _(b, fmt):
        lines = sig_lines(b)
        lines[2] = sub(lines[2], b"time:", b"time:1")
        set_sig_lines(b, lines)
        return b

    @case("sig-other-bytes", 1, "does not match the signed bytes",
          "the signature kept over a tag manifest that now also covers notes.txt", ("tar", "zip"))
    def _(b, fmt):
        keep = b.sig().copy()
        b.add("notes.txt", "added, and the tag manifest re-derived\n")
        b.retag()
        b.members.append(keep)
        return b

    @case("sig-bitflip", 1, "does not match the signed bytes", "one bit of the Ed25519 signature flipped")
    def _(b, fmt):
        blob = sig_blob(b)
        blob[40] ^= 1
        set_sig_blob(b, blob)
        return b

    @case("sig-junk-file", 1, "unexpected file in signatures/", "signatures/readme.txt", ("tar", "zip"))
    def _(b, fmt):
        b.add("signatures/readme.txt", "not a signature\n")
        return b

    @case("sig-lowercase-name", 1, "unexpected file in signatures/",
          "the signature file named with a lower-case key id")
    def _(b, fmt):
        b.sig().name = b.full("signatures/" + b.keyid().lower() + ".minisig")
        return b

    @case("sig-oversize", 1, "signature file larger than 16384 bytes",
          "a .minisig padded with blank lines to 17 KiB", ("tar", "zip"))
    def _(b, fmt):
        b.sig().data += b"\n" * (17 * 1024)
        return b

    @case("sig-trailing-data", 1, "unexpected data after the signature", "a fifth line")
    def _(b, fmt):
        b.sig().data += b"more\n"
        return b

    @case("sig-comment-control", 1, "trusted comment too long, not UTF-8, or has control characters",
          "an ESC in the trusted comment")
    def _(b, fmt):
        lines = sig_lines(b)
        lines[2] = lines[2] + b"\x1b[2J"
        set_sig_lines(b, lines)
        return b

    @case("sig-nul", 1, "signature contains a NUL byte", "a NUL in the .minisig")
    def _(b, fmt):
        b.sig().data = sub(b.sig().data, b"untrusted comment: ", b"untrusted comment: \0")
        return b

    @case("sig-empty", 1, "first line is not an untrusted comment", "an empty .minisig")
    def _(b, fmt):
        b.sig().data = b""
        return b

    @case("sig-appended", 1, "data after the end-of-archive marker",
          "a junk signature file in a tar appended after the end-of-archive marker")
    def _(b, fmt):
        extra = Bag([Member(b.full("signatures/evil.txt"), data=b"x\n")], b.top)
        return tar_bytes(b) + tar_bytes(extra)


EXT = {"tar": "tar", "tar.gz": "tar.gz", "zip": "zip", "pax.tar": "pax.tar", "txt": "txt",
       "tar.bz2": "tar.bz2", "tar.xz": "tar.xz"}


def main(argv):
    args = [a for a in argv[1:]]
    sentinel = b"/tmp/dossier-hostile"
    if "--sentinel" in args:
        i = args.index("--sentinel")
        sentinel = args[i + 1].encode()
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    out, sample, pub = args
    os.makedirs(out, exist_ok=True)
    base = load_sample(sample)
    if base.keyid() != pub_keyid(pub):
        sys.exit("gen.py: %s is not signed by %s" % (sample, pub))
    build_cases(sentinel)
    seen = set()
    rows = []
    for cid, fmt, code, msg, desc, fn in CASES:
        fname = "%s.%s" % (cid, EXT[fmt])
        if fname in seen:
            sys.exit("gen.py: case %s twice" % fname)
        seen.add(fname)
        res = fn(base.copy(), fmt)
        data = serialize(res, fmt) if isinstance(res, Bag) else res
        with open(os.path.join(out, fname), "wb") as f:
            f.write(data)
        for field in (msg, desc):
            # dash's echo (tests/cli/lib.sh) would read a backslash as an escape
            if field == "" or "\\" in field or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in field):
                sys.exit("gen.py: %s: a control character, a backslash or nothing in the case's text" % fname)
        msg = msg.replace("{file}", fname)
        rows.append("%s\t%d\t%s\t%s\n" % (fname, code, msg, desc))
    with open(os.path.join(out, "cases.tsv"), "w", encoding="utf-8") as f:
        f.writelines(rows)
    print("%d cases" % len(rows))


if __name__ == "__main__":
    main(sys.argv)
