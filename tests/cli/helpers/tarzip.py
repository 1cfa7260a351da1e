"""tarzip.py - raw tar and zip pieces for crafted.py and mutate.py (stdlib only).

Reads a bundle as dossier wrote it into its raw parts (tar: header blocks with their data;
zip: local entries, central directory entries, end record) and builds raw parts back, so a
test can splice hostile structure around the signed entries without touching them.
"""
import os
import struct
import sys
import zlib

# a pax record ("LEN key=value\n") and a header block, as the hostile corpus writes them
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "hostile"))
from gen import MTIME, pax_record, tar_block  # noqa: E402,F401
from gen import pad512 as pad  # noqa: E402


def octal(v, n):
    """A numeric field of n bytes: n - 1 octal digits and a NUL."""
    return (b"%0*o" % (n - 1, v)) + b"\0"

BLOCK = 512


def checksum(h, signed=False):
    """The header checksum over h with the checksum field taken as spaces."""
    body = bytes(h[:148]) + b" " * 8 + bytes(h[156:BLOCK])
    if signed:
        return sum(b - 256 if b > 127 else b for b in body)
    return sum(body)


def set_checksum(h, signed=False):
    h = bytearray(h)
    value = checksum(h, signed) & 0o777777
    h[148:156] = b"%06o\0 " % value
    return bytes(h)


def header(name, typeflag=b"0", size=0, mode=0o644, link=b""):
    """One ustar header block (magic "ustar\\0" "00", uid and gid 0, the sample's mtime), laid
    out as libarchive's pax_restricted writer does."""
    return tar_block(name, typeflag, size, mode, link, gnu=False)


def pax(records, typeflag=b"x", name=b"PaxHeader/x"):
    """An extended header ('x', or 'g' for global) holding records [(key, value)]."""
    data = b"".join(pax_record(k, v) for k, v in records)
    return header(name, typeflag, len(data)) + pad(data)


def file_entry(name, data, mode=0o644):
    return header(name, b"0", len(data), mode) + pad(data)


def field_size(h):
    raw = h[124:136]
    if not raw:
        return 0
    if raw[0] & 0x80:  # base-256
        return int.from_bytes(raw[1:], "big")
    text = raw.split(b"\0")[0].strip()
    try:
        return int(text, 8) if text else 0
    except ValueError:  # not octal: what a mutant may hold
        return 0


def tar_entries(data):
    """Split a tar into [(header, data incl. padding)] with a pax 'x' header kept in the entry
    it belongs to, and the offset of the end marker."""
    out, off, pending = [], 0, b""
    while off + BLOCK <= len(data):
        h = data[off:off + BLOCK]
        if h == b"\0" * BLOCK:
            break
        n = BLOCK + len(pad(b"\0" * field_size(h)))
        chunk = data[off:off + n]
        if h[156:157] in (b"x", b"L", b"K"):
            pending += chunk
        else:
            out.append(pending + chunk)
            pending = b""
        off += n
    return out, off


def main_header(chunk):
    """The offset in an entry chunk of its own header, after any 'x', 'L' or 'K' headers."""
    off = 0
    while chunk[off + 156:off + 157] in (b"x", b"L", b"K"):
        off += BLOCK + len(pad(b"\0" * field_size(chunk[off:off + BLOCK])))
    return off


def entry_name(chunk):
    """The name an entry chunk gives (pax path, else ustar prefix/name)."""
    off = 0
    name = None
    while True:
        h = chunk[off:off + BLOCK]
        size = field_size(h)
        if h[156:157] == b"x":
            body = chunk[off + BLOCK:off + BLOCK + size]
            for rec in body.split(b"\n"):
                _, _, kv = rec.partition(b" ")
                k, _, v = kv.partition(b"=")
                if k == b"path":
                    name = v
            off += BLOCK + len(pad(b"\0" * size))
            continue
        if name is None:
            name = h[0:100].split(b"\0")[0]
            prefix = h[345:500].split(b"\0")[0]
            if prefix:
                name = prefix + b"/" + name
        return name, h[156:157]


# ---- zip ----

LOCAL = 0x04034B50
CENTRAL = 0x02014B50
END = 0x06054B50
END64 = 0x06064B50
LOC64 = 0x07064B50
DESCRIPTOR = 0x08074B50
CEN_FMT = "<IHHHHHHIIIHHHHHII"
LOC_FMT = "<IHHHHHIIIHH"
END_FMT = "<IHHHHIIH"


class Central:
    """One central directory entry, fields by name, re-packable."""
    FIELDS = ("sig", "made", "need", "flags", "method", "time", "date", "crc", "csize", "usize",
              "nlen", "xlen", "clen", "disk", "iattr", "eattr", "offset")

    def __init__(self, raw):
        vals = struct.unpack(CEN_FMT, raw[:46])
        self.__dict__.update(zip(self.FIELDS, vals))
        self.name = raw[46:46 + self.nlen]
        self.extra = raw[46 + self.nlen:46 + self.nlen + self.xlen]
        self.comment = raw[46 + self.nlen + self.xlen:46 + self.nlen + self.xlen + self.clen]

    def size(self):
        return 46 + self.nlen + self.xlen + self.clen

    def pack(self):
        self.nlen, self.xlen, self.clen = len(self.name), len(self.extra), len(self.comment)
        vals = [getattr(self, f) for f in self.FIELDS]
        return struct.pack(CEN_FMT, *vals) + self.name + self.extra + self.comment


def zip_parts(data):
    """(locals, centrals, end) of a zip as pack writes it: locals are the raw bytes of each
    local entry (header, data, descriptor) in central-directory order."""
    end_off = data.rindex(struct.pack("<I", END))
    end = list(struct.unpack(END_FMT, data[end_off:end_off + 22]))
    cd_size, cd_off = end[5], end[6]
    centrals, off = [], cd_off
    while off < cd_off + cd_size:
        c = Central(data[off:])
        centrals.append(c)
        off += c.size()
    bounds = [c.offset for c in centrals] + [cd_off]
    local_parts = [data[bounds[i]:bounds[i + 1]] for i in range(len(centrals))]
    return local_parts, centrals, end


def zip_join(local_parts, centrals, comment=b"", base=0):
    """A zip from local entries and their central entries (offsets recomputed from base)."""
    out, off = b"", base
    for part, c in zip(local_parts, centrals):
        c.offset = off
        out += part
        off += len(part)
    cd = b"".join(c.pack() for c in centrals)
    n = len(centrals)
    end = struct.pack(END_FMT, END, 0, 0, n, n, len(cd), off, len(comment)) + comment
    return out + cd + end


def stored_local(name, data, flags=0):
    """A local entry, stored (method 0), sizes and CRC in the header, no descriptor."""
    crc = zlib.crc32(data) & 0xFFFFFFFF
    return struct.pack(LOC_FMT, LOCAL, 20, flags, 0, 0, 0x5150, crc, len(data), len(data),
                       len(name), 0) + name + data


def central_for(local, template):
    """A central entry for a local entry made by stored_local, other fields from template."""
    c = Central(template.pack())
    _, _, c.flags, c.method, c.time, c.date, c.crc, c.csize, c.usize, nlen, _ = \
        struct.unpack(LOC_FMT, local[:30])
    c.name = local[30:30 + nlen]
    c.extra = b""
    c.comment = b""
    return c
