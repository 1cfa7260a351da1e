#!/usr/bin/env python3
"""tsa.py - a throw-away RFC 3161 time-stamp authority for the tests, on 127.0.0.1 only.

  tsa.py pki DIR          make test CAs and TSA certificates in DIR (openssl, at test time)
  tsa.py serve DIR PORT   answer POSTs on 127.0.0.1; write the chosen port to the file PORT

The path picks the TSA:
  /good      TSA "Test TSA 1" (critical timeStamping EKU), issued by "Test TSA CA"
  /second    TSA "Test TSA 2", same CA: a second, distinct TSA
  /untrusted a TSA under another CA that the tests never trust
  /inter     TSA "Test TSA 3", issued by the intermediate "Test TSA Sub CA" under "Test TSA CA"
  /old       a TSA certificate valid 2020-01-01..2021-01-01, answering at 2020-06-01
             (faketime): expired today, valid at its genTime
  /noeku     the /good answer re-signed by a certificate without the timeStamping EKU
  /replay    DIR/replay.tsr as it is, whatever was asked (an old answer: wrong nonce)
  /garbage   200 with bytes that are no timestamp
  /fail      HTTP 500
Everything the TSA signs comes from `openssl ts -reply`; nothing here is cryptography.
"""
import http.server
import os
import subprocess
import sys
import tempfile

CONF = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def run(*args, cwd=None, fake=None, stdin=None):
    cmd = list(args)
    if fake:
        cmd = ["faketime", fake] + cmd
    return subprocess.run(cmd, cwd=cwd, input=stdin, check=True, capture_output=True).stdout


def cert(d, name, subject, issuer, ext, days=3650, fake=None):
    """A key and a certificate for name, signed by issuer (None: self-signed)."""
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key", cwd=d)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write(ext)
    if issuer is None:
        run("openssl", "req", "-x509", "-new", "-key", name + ".key", "-subj", subject, "-days", str(days),
            "-sha256", "-extensions", "v3", "-config", name + ".cnf", "-out", name + ".pem", cwd=d, fake=fake)
    else:
        run("openssl", "req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr", cwd=d)
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
            "-set_serial", str(int.from_bytes(name.encode()[:8], "big")), "-days", str(days), "-sha256",
            "-extfile", name + ".ext", "-out", name + ".pem", cwd=d, fake=fake)


def pki(d):
    os.makedirs(d, exist_ok=True)
    ca_ext = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
    for ca in ("ca", "ca2"):
        with open(os.path.join(d, ca + ".cnf"), "w") as f:
            f.write("[req]\ndistinguished_name=dn\n[dn]\n[v3]\n" + ca_ext)
    tsa_ext = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n"
    # the CAs date from 2019, so that the 2020 TSA below chains to a CA valid at its genTime
    cert(d, "ca", "/CN=Test TSA CA", None, ca_ext, days=20000, fake="2019-01-01 00:00:00")
    cert(d, "ca2", "/CN=Untrusted TSA CA", None, ca_ext, days=20000, fake="2019-01-01 00:00:00")
    cert(d, "tsa1", "/CN=Test TSA 1", "ca", tsa_ext)
    cert(d, "ica", "/CN=Test TSA Sub CA", "ca", ca_ext, days=20000, fake="2019-01-01 00:00:00")
    cert(d, "tsa3", "/CN=Test TSA 3", "ica", tsa_ext)
    with open(os.path.join(d, "ica-chain.pem"), "w") as out:
        for name in ("ica", "ca"):
            with open(os.path.join(d, name + ".pem")) as f:
                out.write(f.read())
    cert(d, "tsa2", "/CN=Test TSA 2", "ca", tsa_ext)
    cert(d, "tsa-untrusted", "/CN=Untrusted TSA", "ca2", tsa_ext)
    cert(d, "tsa-old", "/CN=Old TSA", "ca", tsa_ext, days=366, fake="2020-01-01 00:00:00")
    cert(d, "noeku", "/CN=No EKU TSA", "ca", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n")
    with open(os.path.join(d, "tsa.cnf"), "w") as f:
        f.write(CONF.format(dir=d))
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("01\n")


# the certificates a token carries besides its signer's: the issuing CAs up to the root
CHAIN = {"tsa-untrusted": "ca2.pem", "tsa3": "ica-chain.pem"}


def reply(d, query, signer, fake=None):
    with tempfile.TemporaryDirectory() as tmp:
        q = os.path.join(tmp, "q.tsq")
        r = os.path.join(tmp, "r.tsr")
        with open(q, "wb") as f:
            f.write(query)
        run("openssl", "ts", "-reply", "-config", os.path.join(d, "tsa.cnf"), "-queryfile", q,
            "-signer", os.path.join(d, signer + ".pem"), "-inkey", os.path.join(d, signer + ".key"),
            "-chain", os.path.join(d, CHAIN.get(signer, "ca.pem")), "-out", r, fake=fake)
        with open(r, "rb") as f:
            return f.read()


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def resign_without_eku(d, query):
    """The /good answer's TSTInfo, signed again as CMS by the certificate without the EKU."""
    good = reply(d, query, "tsa1")
    with tempfile.TemporaryDirectory() as tmp:
        resp = os.path.join(tmp, "good.tsr")
        with open(resp, "wb") as f:
            f.write(good)
        token = os.path.join(tmp, "token.der")
        run("openssl", "ts", "-reply", "-in", resp, "-token_out", "-out", token)
        tst = os.path.join(tmp, "tst.der")
        run("openssl", "cms", "-verify", "-noverify", "-inform", "DER", "-in", token, "-out", tst)
        signed = run("openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-nosmimecap",
                     "-econtent_type", "1.2.840.113549.1.9.16.1.4", "-md", "sha256", "-in", tst,
                     "-signer", os.path.join(d, "noeku.pem"), "-inkey", os.path.join(d, "noeku.key"))
    status = bytes.fromhex("3003020100")  # PKIStatusInfo { granted }
    body = status + signed
    return b"\x30" + der_len(len(body)) + body


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        d = self.server.pki_dir
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            path = self.path
            if path == "/fail":
                self.send_error(500)
                return
            if path == "/good":
                body = reply(d, query, "tsa1")
            elif path == "/second":
                body = reply(d, query, "tsa2")
            elif path == "/inter":
                body = reply(d, query, "tsa3")
            elif path == "/untrusted":
                body = reply(d, query, "tsa-untrusted")
            elif path == "/old":
                body = reply(d, query, "tsa-old", fake="2020-06-01 12:00:00")
            elif path == "/noeku":
                body = resign_without_eku(d, query)
            elif path == "/replay":
                with open(os.path.join(d, "replay.tsr"), "rb") as f:
                    body = f.read()
            elif path == "/garbage":
                body = b"this is not a time-stamp response\n"
            else:
                self.send_error(404)
                return
        except subprocess.CalledProcessError as e:
            sys.stderr.write("tsa.py: %s\n" % e.stderr.decode(errors="replace"))
            self.send_error(500)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(d, portfile):
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    srv.pki_dir = d
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pki":
        pki(os.path.abspath(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(os.path.abspath(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
