// warccheck.mjs - reads WARC files with webrecorder's warcio (an independent reader) and
// re-computes every WARC-Block-Digest and WARC-Payload-Digest ("sha256:" + hex).
// usage: WARCIO=DIR/node_modules/warcio node warccheck.mjs FILE.warc.gz...
// Prints one line per record: "<file> <type> <target-uri> <http status or -> <content
// bytes after transfer and content decoding or -> digests ok"; exits 1 on any mismatch.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const { WARCParser } = await import(pathToFileURL(join(process.env.WARCIO, "dist/index.js")).href);

const sha256 = (bytes) => "sha256:" + createHash("sha256").update(bytes).digest("hex");
let bad = 0;

function fail(file, msg) {
  console.log(`${file}: ${msg}`);
  bad++;
}

for (const path of process.argv.slice(2)) {
  const file = basename(path);
  // First pass: the raw block (no HTTP parsing), to hash exactly what is stored.
  const raw = [];
  for await (const rec of WARCParser.iterRecords(createReadStream(path), { parseHttp: false })) {
    const block = await rec.readFully(false);
    raw.push({ type: rec.warcType, headers: rec.warcHeaders.headers, block });
  }
  // Second pass: as a replay tool reads it, HTTP parsed and the content decoded.
  let i = 0;
  for await (const rec of WARCParser.iterRecords(createReadStream(path))) {
    const r = raw[i++];
    let status = "-", content = "-";
    if (rec.httpHeaders && rec.warcType === "response") {
      status = rec.httpHeaders.statusCode;
      content = String((await rec.readFully(true)).length);
    }
    const want = r.headers.get("WARC-Block-Digest");
    if (r.type !== "warcinfo" && !want) fail(file, `${r.type}: no WARC-Block-Digest`);
    if (want && want !== sha256(r.block)) fail(file, `${r.type}: WARC-Block-Digest ${want} but the block hashes to ${sha256(r.block)}`);
    const wantp = r.headers.get("WARC-Payload-Digest");
    if (r.type === "response" && !wantp) fail(file, "response: no WARC-Payload-Digest");
    if (wantp) {
      const end = Buffer.from(r.block).indexOf("\r\n\r\n");
      const payload = r.block.subarray(end + 4);
      if (end < 0 || wantp !== sha256(payload)) fail(file, `${r.type}: WARC-Payload-Digest ${wantp} but the payload hashes to ${sha256(payload)}`);
    }
    if (Number(r.headers.get("Content-Length")) !== r.block.length) fail(file, `${r.type}: Content-Length differs from the block`);
    console.log(`${file} ${r.type} ${r.headers.get("WARC-Target-URI") || "-"} ${status} ${content} digests ok`);
  }
  if (i !== raw.length || i === 0) fail(file, `the two passes read ${raw.length} and ${i} records`);
}
process.exit(bad ? 1 : 0);
