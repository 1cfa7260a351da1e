#!/usr/bin/env python3
"""mkwarc.py - writes small WARC files, good and deliberately bad, for the snapshot tests.

usage: mkwarc.py OUT URL [--gzip none|member|single] [--digest sha256|sha256-b32|sha1]
                 [--status N] [--resource] [--chunked [--dechunked-digest]] [--bad block|payload|version|length|trailer|long-header|shortlen]
                 [--truncate N] [--redirect-to URL] [--pad N]
"""
import argparse
import base64
import gzip
import hashlib

DATE = "2020-10-15T08:00:00Z"


def digest(data, how):
    if how == "sha1":
        return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()
    if how == "sha256-b32":
        return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def record(n, wtype, url, ctype, block, payload, args, bad=None):
    fields = [("WARC-Type", wtype), ("WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-%012d>" % n),
              ("WARC-Date", DATE)]
    if url:
        fields.append(("WARC-Target-URI", url))
    fields.append(("Content-Type", ctype))
    if bad == "long-header":
        fields.append(("X-Padding", "p" * 70000))
    bd = digest(block, args.digest)
    pd = digest(payload, args.digest) if payload is not None else None
    if bad == "block":
        bd = digest(block + b"x", args.digest)
    if bad == "payload" and pd:
        pd = digest(payload + b"x", args.digest)
    fields.append(("WARC-Block-Digest", bd))
    if pd:
        fields.append(("WARC-Payload-Digest", pd))
    if bad != "length":
        fields.append(("Content-Length", str(len(block) - (bad == "shortlen"))))
    version = "WARC/1.1" if bad != "version" else "WARC/2.0"
    head = version + "\r\n" + "".join("%s: %s\r\n" % f for f in fields) + "\r\n"
    return head.encode() + block + (b"\r\n\r\n" if bad != "trailer" else b"\r\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("url")
    ap.add_argument("--gzip", default="none", choices=["none", "member", "single"])
    ap.add_argument("--digest", default="sha256", choices=["sha256", "sha256-b32", "sha1"])
    ap.add_argument("--status", type=int, default=200)
    ap.add_argument("--resource", action="store_true")
    ap.add_argument("--chunked", action="store_true")
    ap.add_argument("--dechunked-digest", action="store_true",
                    help="payload digest over the body without the chunking, as the WARC standard says")
    ap.add_argument("--bad", choices=["block", "payload", "version", "length", "trailer", "long-header", "shortlen"])
    ap.add_argument("--truncate", type=int, default=0)
    ap.add_argument("--redirect-to")
    ap.add_argument("--pad", type=int, default=0, help="bytes added to the page body")
    args = ap.parse_args()

    body = b"<!doctype html><title>snapshot</title><p>The page as it was.</p>\n" + b"x" * args.pad
    info = b"software: mkwarc.py (dossier tests)\r\nformat: WARC File Format 1.1\r\n"
    recs = [record(1, "warcinfo", None, "application/warc-fields", info, None, args)]
    if args.resource:
        recs.append(record(2, "resource", args.url, "text/html", body, body, args, args.bad))
    else:
        req = ("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n").encode()
        recs.append(record(2, "request", args.url, "application/http;msgtype=request", req, b"", args))
        url, n = args.url, 3
        if args.redirect_to:
            head = ("HTTP/1.1 301 Moved Permanently\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                    % args.redirect_to).encode()
            recs.append(record(n, "response", url, "application/http;msgtype=response", head, b"", args))
            url, n = args.redirect_to, n + 1
        stored = body
        te = "Content-Length: %d" % len(body)
        if args.chunked:
            stored = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
            te = "Transfer-Encoding: chunked"
        head = ("HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n%s\r\n\r\n"
                % (args.status, "OK" if args.status == 200 else "Not Found", te)).encode()
        # a chunked body's payload digest is over the body as stored, as warcio writes it
        recs.append(record(n, "response", url, "application/http;msgtype=response", head + stored,
                           body if args.dechunked_digest else stored, args, args.bad))
    if args.gzip == "member":
        data = b"".join(gzip.compress(r, mtime=0) for r in recs)
    elif args.gzip == "single":
        data = gzip.compress(b"".join(recs), mtime=0)
    else:
        data = b"".join(recs)
    if args.truncate:
        data = data[:-args.truncate]
    with open(args.out, "wb") as f:
        f.write(data)


main()
