#!/usr/bin/env python3
"""webserver.py - the web sites dossier capture is tested against, on 127.0.0.1 only.

  webserver.py pki DIR          a test CA and a server certificate (localhost, 127.0.0.1,
                                www.ohchr.org, www.example.org, SAMPLE_HOSTS) made with openssl
  webserver.py serve DIR PORTS  HTTP and HTTPS servers; writes "HTTP_PORT HTTPS_PORT" to PORTS

Paths: /page.html, /doc.pdf, /image.png, /r1 -> 301 /r2 -> 302 final (relative) -> 200,
/missing (404), /slow (answers after 5 s), /large (2 MiB, with Content-Length),
/large-chunked (2 MiB, chunked), /chunked, /gzip (Content-Encoding: gzip), /loop (302 to itself);
any other path on a host the sample letter cites (SAMPLE_HOSTS) is a 200 page.
"""
import gzip
import http.server
import os
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time
import zlib

PAGE = (b"<!doctype html><html><head><title>Joint letter sources</title></head>"
        b"<body><h1>Human rights council</h1><p>A page kept as evidence.</p></body></html>\n")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BIG = b"x" * (2 << 20)

# The hosts the sample letter cites: the tests reach them here with --connect-to, so a
# capture records the letter's real URLs without leaving this machine.
SAMPLE_HOSTS = ("www.akorda.kz", "twitter.com", "www.instagram.com", "en.odfoundation.eu",
                "uprdoc.ohchr.org")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.server.scheme, fmt % args))

    def send(self, code, body, ctype="text/html; charset=utf-8", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, code, where):
        self.send(code, b"moved\n", extra=[("Location", where)])

    def chunked(self, parts, ctype="text/plain"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for p in parts:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(p), p))
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        p = self.path
        if p == "/page.html":
            self.send(200, PAGE)
        elif p == "/doc.pdf":
            self.send(200, PDF, "application/pdf")
        elif p == "/image.png":
            self.send(200, png(), "image/png")
        elif p == "/r1":
            self.redirect(301, "/r2")
        elif p == "/r2":
            self.redirect(302, "final")
        elif p == "/final":
            self.send(200, b"<p>the end of the chain</p>\n")
        elif p == "/loop":
            self.redirect(302, "/loop")
        elif p == "/slow":
            time.sleep(5)
            self.send(200, b"late\n")
        elif p == "/large":
            self.send(200, BIG, "application/octet-stream")
        elif p == "/large-chunked":
            self.chunked([BIG[i:i + 65536] for i in range(0, len(BIG), 65536)])
        elif p == "/chunked":
            self.chunked([b"first part, ", b"second part, ", b"last part\n"])
        elif p == "/gzip":
            self.send(200, gzip.compress(PAGE, mtime=0), extra=[("Content-Encoding", "gzip")])
        elif self.headers.get("Host", "").split(":")[0] in SAMPLE_HOSTS:
            self.send(200, b"<h1>%s</h1><p>a source of the sample letter</p>\n" % self.headers["Host"].encode())
        else:
            self.send(404, b"<h1>not found</h1>\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def pki(d):
    os.makedirs(d, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run = lambda *a: subprocess.run(a, cwd=d, check=True, capture_output=True)
    run("openssl", "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
        "-subj", "/CN=Dossier Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=dossier test server")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,DNS:www.ohchr.org,DNS:www.example.org,IP:127.0.0.1,"
                + ",".join("DNS:" + h for h in SAMPLE_HOSTS) + "\n"
                "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "30", "-extfile", "ext.cnf")
    with open(os.path.join(d, "chain.pem"), "w") as out:
        for name in ("server.pem", "ca.pem"):
            out.write(open(os.path.join(d, name)).read())


def serve(d, portfile):
    plain = Server(("127.0.0.1", 0), Handler)
    plain.scheme = "http"
    tls = Server(("127.0.0.1", 0), Handler)
    tls.scheme = "https"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "chain.pem"), os.path.join(d, "server.key"))
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=tls.serve_forever, daemon=True).start()
    with open(portfile + ".tmp", "w") as f:
        f.write("%d %d\n" % (plain.server_address[1], tls.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    plain.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pki":
        pki(os.path.abspath(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(os.path.abspath(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
