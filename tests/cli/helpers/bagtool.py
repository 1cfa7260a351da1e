#!/usr/bin/env python3
"""bagtool.py - craft hostile or altered bundles for the CLI scenarios (stdlib only).

  bagtool.py tar IN OUT [OP]...   copy tar IN (plain or gzip) to OUT, applying OPs in order
  bagtool.py zip IN OUT [OP]...   the same for zip archives (IN may be '-' for an empty zip)
  bagtool.py sigflip FILE         flip one bit of the Ed25519 signature in a .minisig (in place)
  bagtool.py keyid PUB            print a minisign public key's key id (16 uppercase hex digits)
  bagtool.py pubcheck PUB         exit 0 if PUB is a minisign public key: 2 lines, base64 of 42 bytes "Ed"...
  bagtool.py json FILE KEY        print the top-level KEY of the JSON object in FILE
  bagtool.py rebag DIR            re-derive manifests and Payload-Oxum of an edited bag directory
                                  and drop its signatures (what a forger with a signing key does)
  bagtool.py seal KEY OUT PASSFILE encrypt an unencrypted minisign secret key with cheap scrypt limits
  bagtool.py retag DIR            re-derive only tagmanifest-sha256.txt (over every tag file) and
                                  drop signatures/

OPs (NAME is the full member name, e.g. open-letter-2020-10-16/data/x; TEXT is literal text):
  --add NAME=TEXT        append a regular file
  --add-first NAME=TEXT  insert a regular file before every other member
  --dup NAME             append a second member with NAME and the same content
  --drop NAME            leave the member out
  --set NAME=TEXT        replace the member's content (keeps its place)
  --symlink NAME=TARGET  append a symbolic link
  --hardlink NAME=TARGET append a hard link
  --fifo NAME            append a fifo (tar only)
  --rename OLD=NEW       rename every member whose name starts with OLD (prefix replace)
Output members keep mtime, mode and order; uid/gid 0. OUT ending in .gz is gzip-compressed.
"""
import base64
import gzip
import io
import json
import sys
import tarfile
import zipfile


def split(arg):
    name, _, value = arg.partition("=")
    return name, value


def parse_ops(args):
    ops = []
    i = 0
    while i < len(args):
        op = args[i]
        if not op.startswith("--") or i + 1 >= len(args):
            sys.exit("bagtool: bad operation %r" % op)
        ops.append((op[2:], args[i + 1]))
        i += 2
    return ops


# Members are (info, data) with data None for non-files.
def tar_members(path):
    out = []
    with tarfile.open(path, "r:*") as t:
        for m in t.getmembers():
            data = t.extractfile(m).read() if m.isfile() else None
            out.append((m, data))
    return out


def new_tar_info(name, template, kind=tarfile.REGTYPE, data=b"", link=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.mtime = template.mtime if template is not None else 1602806400
    ti.mode = 0o644
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.linkname = link
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    return ti


def apply_tar(members, ops):
    tmpl = members[0][0] if members else None
    for op, arg in ops:
        if op in ("add", "add-first"):
            name, text = split(arg)
            data = text.encode()
            item = (new_tar_info(name, tmpl, data=data), data)
            if op == "add":
                members.append(item)
            else:
                members.insert(0, item)
        elif op == "dup":
            hit = [m for m in members if m[0].name == arg]
            if not hit:
                sys.exit("bagtool: no member %s" % arg)
            m, data = hit[0]
            members.append((new_tar_info(arg, m, data=data), data))
        elif op == "drop":
            n = len(members)
            members[:] = [m for m in members if m[0].name.rstrip("/") != arg.rstrip("/")]
            if len(members) == n:
                sys.exit("bagtool: no member %s" % arg)
        elif op == "set":
            name, text = split(arg)
            for i, (m, data) in enumerate(members):
                if m.name == name:
                    members[i] = (new_tar_info(name, m, data=text.encode()), text.encode())
                    break
            else:
                sys.exit("bagtool: no member %s" % name)
        elif op == "symlink":
            name, target = split(arg)
            members.append((new_tar_info(name, tmpl, tarfile.SYMTYPE, link=target), None))
        elif op == "hardlink":
            name, target = split(arg)
            members.append((new_tar_info(name, tmpl, tarfile.LNKTYPE, link=target), None))
        elif op == "fifo":
            members.append((new_tar_info(arg, tmpl, tarfile.FIFOTYPE), None))
        elif op == "rename":
            old, new = split(arg)
            for m, _ in members:
                if m.name.startswith(old):
                    m.name = new + m.name[len(old):]
        else:
            sys.exit("bagtool: unknown operation --%s" % op)
    return members


def write_tar(path, members):
    raw = io.BytesIO()
    # GNU format keeps odd names ("../x", "/abs") exactly as given.
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for m, data in members:
            if m.isdir():
                m.size = 0
            t.addfile(m, io.BytesIO(data) if data is not None else None)
    body = raw.getvalue()
    if path.endswith(".gz") or path.endswith(".tgz"):
        body = gzip.compress(body, mtime=0)
    with open(path, "wb") as f:
        f.write(body)


def cmd_tar(args):
    src, dst = args[0], args[1]
    write_tar(dst, apply_tar(tar_members(src), parse_ops(args[2:])))


def cmd_zip(args):
    src, dst = args[0], args[1]
    members = []  # (ZipInfo, data)
    if src != "-":
        with zipfile.ZipFile(src) as z:
            for zi in z.infolist():
                members.append((zi, z.read(zi)))
    for op, arg in parse_ops(args[2:]):
        if op in ("add", "add-first"):
            name, text = split(arg)
            zi = zipfile.ZipInfo(name, date_time=(2020, 10, 16, 0, 0, 0))
            zi.external_attr = 0o100644 << 16
            if op == "add":
                members.append((zi, text.encode()))
            else:
                members.insert(0, (zi, text.encode()))
        elif op == "symlink":
            name, target = split(arg)
            zi = zipfile.ZipInfo(name, date_time=(2020, 10, 16, 0, 0, 0))
            zi.create_system = 3
            zi.external_attr = 0o120777 << 16
            members.append((zi, target.encode()))
        elif op == "dup":
            hit = [m for m in members if m[0].filename == arg]
            if not hit:
                sys.exit("bagtool: no member %s" % arg)
            zi = zipfile.ZipInfo(arg, date_time=hit[0][0].date_time)
            zi.external_attr = hit[0][0].external_attr
            members.append((zi, hit[0][1]))
        elif op == "drop":
            members = [m for m in members if m[0].filename.rstrip("/") != arg.rstrip("/")]
        elif op == "set":
            name, text = split(arg)
            members = [(zi, text.encode() if zi.filename == name else d) for zi, d in members]
        else:
            sys.exit("bagtool: unsupported zip operation --%s" % op)
    import warnings
    warnings.simplefilter("ignore")  # zipfile warns about duplicate names: that is the point
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for zi, data in members:
            z.writestr(zi, data)


def cmd_sigflip(args):
    path = args[0]
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    blob = bytearray(base64.b64decode(lines[1]))
    if len(blob) != 74:
        sys.exit("bagtool: %s: second line is not a minisign signature" % path)
    blob[40] ^= 0x01  # inside the 64-byte Ed25519 signature (bytes 10..73)
    lines[1] = base64.b64encode(bytes(blob))
    with open(path, "wb") as f:
        f.write(b"\n".join(lines))


def pub_blob(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    return lines, base64.b64decode(lines[1], validate=True)


def cmd_keyid(args):
    _, blob = pub_blob(args[0])
    print(blob[2:10][::-1].hex().upper())


def cmd_pubcheck(args):
    lines, blob = pub_blob(args[0])
    body = [l for l in lines if l]
    ok = (len(body) == 2 and lines[-1] == b"" and body[0].startswith(b"untrusted comment: ")
          and len(blob) == 42 and blob[:2] == b"Ed")
    sys.exit(0 if ok else 1)


def cmd_json(args):
    with open(args[0]) as f:
        doc = json.load(f)
    v = doc[args[1]]
    print(v if not isinstance(v, (dict, list)) else json.dumps(v))


def manifest_path(p):
    return p.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def bag_files(root, top):
    import os
    out = []
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def file_digest(root, rel):
    import hashlib
    import os
    with open(os.path.join(root, rel), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cmd_retag(args):
    """Re-derive tagmanifest-sha256.txt of bag directory DIR over every tag file it holds
    (not signatures/, timestamps/, redactions.json) and remove signatures/."""
    import os
    import shutil
    root = args[0].rstrip("/")
    shutil.rmtree(os.path.join(root, "signatures"), ignore_errors=True)
    tags = [p for p in bag_files(root, "")
            if not (p.startswith("data/") or p.startswith("signatures/") or p.startswith("timestamps/")
                    or p in ("tagmanifest-sha256.txt", "redactions.json"))]
    with open(os.path.join(root, "tagmanifest-sha256.txt"), "wb") as f:
        for p in sorted(tags, key=lambda p: p.encode()):
            f.write(("%s  %s\n" % (file_digest(root, p), manifest_path(p))).encode())


def cmd_rebag(args):
    """Make bag directory DIR, edited by hand, consistent again as a forger holding a signing
    key would: manifest-sha256.txt from data/, Payload-Oxum, then retag."""
    import os
    root = args[0].rstrip("/")
    payload = sorted(bag_files(root, "data"), key=lambda p: p.encode())
    with open(os.path.join(root, "manifest-sha256.txt"), "wb") as f:
        for p in payload:
            f.write(("%s  %s\n" % (file_digest(root, p), manifest_path(p))).encode())
    octets = sum(os.path.getsize(os.path.join(root, p)) for p in payload)
    info = os.path.join(root, "bag-info.txt")
    with open(info, "rb") as f:
        lines = f.read().decode().splitlines()
    lines = ["Payload-Oxum: %d.%d" % (octets, len(payload)) if l.startswith("Payload-Oxum:") else l
             for l in lines]
    with open(info, "wb") as f:
        f.write(("\n".join(lines) + "\n").encode())
    cmd_retag([root])


def cmd_seal(args):
    """Encrypt an unencrypted minisign secret key (dossier keygen -W or minisign -G -W) the way
    minisign does, but with cheap scrypt limits (opslimit 32768, memlimit 16 MiB: N=2^10, r=8,
    p=1 in libsodium's scryptsalsa208sha256), so tests can use a passphrase in milliseconds."""
    import hashlib
    import os
    src, dst, passfile = args
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    blob = bytearray(base64.b64decode(lines[1], validate=True))
    if len(blob) != 158 or blob[0:2] != b"Ed" or blob[2:4] != b"\0\0":
        sys.exit("bagtool: %s: not an unencrypted minisign secret key" % src)
    with open(passfile, "rb") as f:
        passphrase = f.read().split(b"\n")[0]
    salt = os.urandom(32)
    opslimit, memlimit = 32768, 16 << 20
    stream = hashlib.scrypt(passphrase, salt=salt, n=1 << 10, r=8, p=1, dklen=104)
    blob[2:4] = b"Sc"
    blob[6:38] = salt
    blob[38:46] = opslimit.to_bytes(8, "little")
    blob[46:54] = memlimit.to_bytes(8, "little")
    for i in range(104):  # keynum[8] sk[64] chk[32]
        blob[54 + i] ^= stream[i]
    comment = b"untrusted comment: minisign encrypted secret key (cheap scrypt, tests only)"
    with open(dst, "wb") as f:
        f.write(comment + b"\n" + base64.b64encode(bytes(blob)) + b"\n")
    os.chmod(dst, 0o600)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmds = {"tar": cmd_tar, "zip": cmd_zip, "sigflip": cmd_sigflip, "keyid": cmd_keyid,
            "pubcheck": cmd_pubcheck, "json": cmd_json, "rebag": cmd_rebag,
            "retag": cmd_retag, "seal": cmd_seal}
    fn = cmds.get(sys.argv[1])
    if fn is None:
        sys.exit(__doc__)
    fn(sys.argv[2:])


if __name__ == "__main__":
    main()
