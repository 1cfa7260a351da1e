/* help_text.c - the one source of every command's help: `dossier CMD --help`, `dossier help
   TOPIC`, the man pages (`dossier help --man`) and the bash completion (`dossier help
   --completion`) are all made from these tables, so they cannot drift apart.

   Adding a command (e.g. capture, redact):
   1. its row in commands[] (src/cli/main.c): name, function, usage line, summary;
   2. its entry in command_docs[] below: description, every option as "-x, --long ARG"
      (the completion takes the option words from these strings), examples, see also;
   3. nothing else: `make` writes $(BUILD)/man/dossier-NAME.1 and the completion picks
      the command and its options up; tests/cli/test_help.sh checks that every command
      has a doc entry and a man page that groff renders without warnings.

   Markup, kept small so the terminal shows it as it is: paragraphs apart by a blank line;
   a paragraph whose lines start with two spaces is shown verbatim (commands, JSON); plain
   ASCII only (the man pages pass through groff). */
#include <stddef.h>

#include "help.h"

const struct exit_doc exit_docs[] = {
	{ 0, "success; for verify: intact, every signature valid and made with a trusted key, the policy met" },
	{ 1, "tampered, forged or malformed input: a changed, missing or added file, a bad signature or "
	     "timestamp, a broken spec, dossier.json, key file, key card or revocation list, a wrong passphrase" },
	{ 2, "intact, but not (fully) trusted: unsigned, a signer whose key you have not given dossier "
	     "(-p, -K), a revoked or expired key, the signing policy not met, a keyring file it cannot use" },
	{ 64, "usage: wrong options or operands, a contradictory request, no terminal for a passphrase" },
	{ 65, "bad data: an input that is not what the command needs: a file of the wrong kind (a secret key "
	      "for -p, a public key for -k, a PDF or a key given as the bundle); init: an empty or binary letter" },
	{ 66, "an input cannot be opened: bundle, spec, letter, source file, key, keyring, passphrase file" },
	{ 70, "internal error, out of memory" },
	{ 73, "an output exists already, or appeared while the command ran (use --force where offered), "
	      "or cannot be created" },
	{ 74, "reading or writing failed; for timestamp: the TSA cannot be reached or answers badly" },
	{ -1, NULL },
};

const struct env_doc env_docs[] = {
	{ "SOURCE_DATE_EPOCH", "pack and reissue: the time of every archive entry, Bagging-Date and created, "
	  "in seconds since 1970, for reproducible bundles. Unset: the spec's date (pack) or now (reissue)" },
	{ "XDG_CONFIG_HOME", "the default keyring is $XDG_CONFIG_HOME/dossier/keyring" },
	{ "HOME", "without XDG_CONFIG_HOME, the default keyring is $HOME/.config/dossier/keyring" },
	{ "NO_COLOR", "set and not empty: no colour, even on a terminal (colour is only ever used on a terminal)" },
	{ "http_proxy, https_proxy, no_proxy", "timestamp --tsa: libcurl's proxy settings. No other command uses the network" },
	{ "PATH", "init: where pdftotext (poppler-utils) is found, to read a PDF letter" },
	{ NULL, NULL },
};

const char files_doc[] =
	"$XDG_CONFIG_HOME/dossier/keyring (or ~/.config/dossier/keyring): the default keyring, used\n"
	"by verify, extract, timestamp and keyring when -K is not given, and only if it exists.\n"
	"Inside: signers/*.pub (trusted signer keys), authorities/*.pub (keys that vouch through key\n"
	"cards), revoked/*.json with .minisig (revocation lists), tsa/*.pem (trusted TSA roots),\n"
	"policy.json (the signing policy).";

#define NO_OPTIONS { { NULL, NULL } }
#define OPT_HELP { "-h, --help", "print this help and exit 0" }
#define OPT_QUIET(what) { "-q, --quiet", what "; errors are still printed" }
#define OPT_TRUST                                                                                    \
	{ "-K, --keyring DIR", "the keyring to trust (see dossier help files); DIR must exist. "        \
	  "Without -K, the default keyring if it exists" },                                              \
	{ "-p, --public-key KEY.pub", "trust this signer's public key too (repeatable)" },               \
	{ "--policy FILE", "the signing policy to apply instead of the keyring's policy.json or the "   \
	  "default one (see dossier help policy)" }
#define OPT_LIMITS                                                                                   \
	{ "--max-bytes SIZE", "refuse a bundle with more payload than SIZE (K, M, G, T suffixes)" },     \
	{ "--max-entries N", "refuse a bundle with more than N entries" }
#define OPT_PASSFILE { "-P, --passphrase-file FILE", "read the passphrase from the first line of FILE " \
	"('-': stdin) instead of the terminal" }

const struct command_doc command_docs[] = {
	{ "keygen",
	  "Makes a minisign key pair: the secret key NAME.key (mode 0600, encrypted with a passphrase\n"
	  "unless -W) and the public key NAME.pub. Stock minisign reads both. Give NAME.pub to\n"
	  "whoever verifies; keep NAME.key and its passphrase to yourself.",
	  { { "-o, --output NAME", "required: the path of the two files, without .key and .pub" },
	    { "-n, --name TEXT", "the signer's name, written in both files' comments; pack -p binds the key to the signatory of that name" },
	    { "-W", "no passphrase: the secret key is stored unencrypted" },
	    OPT_PASSFILE,
	    { "-f, --force", "replace existing key files" },
	    OPT_HELP, { NULL, NULL } },
	  "  dossier keygen -o ana --name \"Ana Lopez\"",
	  "dossier-sign dossier-certify" },
	{ "init",
	  "Drafts a pack spec from a letter, so a sender does not type its metadata again. LETTER\n"
	  "is plain UTF-8 text or a PDF (read with pdftotext from poppler-utils, run without a\n"
	  "shell). init finds the title (a Subject: or Open letter line), the date and place line\n"
	  "(Brussels, 16 October 2020; October 16, 2020; 2020-10-16; 16.10.2020), the addressee\n"
	  "(a name with a title such as H.E., Mr or Dr, its role and address), the copy list\n"
	  "(Cc: or Copy:), the signatories after the closing (Name, Group lines, or a name line\n"
	  "followed by its affiliation) and every footnote (a URL becomes a reference; a footnote\n"
	  "of text goes into the notes).\n"
	  "\n"
	  "The draft names LETTER as the letter file and passes the spec schema; what was not found\n"
	  "is left out for you to fill in, and pack names it. A summary goes to stderr. Check every\n"
	  "field against the letter, add each signatory's key id (or pack with -p), add the annex.",
	  { { "-o, --output SPEC.json", "write the draft there (atomically) instead of stdout" },
	    { "-f, --force", "replace an existing SPEC.json" },
	    OPT_QUIET("no summary on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier init letter-2020-10-16.txt -o spec.json\n"
	  "  dossier pack spec.json -o letter.tar -p ana.pub",
	  "dossier-pack" },
	{ "pack",
	  "Assembles a bundle from a spec (JSON: the letter, annexes, snapshots and metadata; see\n"
	  "dossier help spec) or bags a plain directory. The archive type comes from the output's\n"
	  "name: .tar, .tar.gz or .tgz, .tar.zst, .zip. The same inputs give the same bytes\n"
	  "(entries sorted, times from SOURCE_DATE_EPOCH or the spec's date). The bundle is\n"
	  "unsigned: each signer then runs dossier sign.",
	  { { "-o, --output BUNDLE", "required: the bundle to write; '-' for stdout" },
	    { "-p, --public-key KEY.pub", "bind this key's id to the signatory of the same name (repeatable)" },
	    { "--card CARD.json", "carry this key card under keys/, binding its key to a signatory (repeatable)" },
	    { "--capture", "capture each reference of the spec that has no snapshot and no \"not_captured\" reason (WARC; see dossier capture)" },
	    { "--timeout S", "with --capture: as for capture" },
	    { "--max-size SIZE", "with --capture: as for capture" },
	    { "--resolve HOST:PORT:ADDR", "with --capture: as for capture (repeatable)" },
	    { "--connect-to HOST:PORT:CHOST:CPORT", "with --capture: as for capture (repeatable)" },
	    { "--cacert FILE", "with --capture: as for capture" },
	    { "-f, --force", "replace an existing bundle" },
	    OPT_QUIET("no progress or result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier pack spec.json -o letter.tar -p ana.pub -p ben.pub\n"
	  "  dossier pack evidence/ -o evidence.tar.zst",
	  "dossier-init dossier-sign dossier-verify" },
	{ "sign",
	  "Adds your signature over the bundle's tag manifest, which pins every byte of it. The\n"
	  "bundle is rewritten atomically; signing twice with one key changes nothing. First it\n"
	  "prints on stderr what the signature covers (title, date, signatories, each payload\n"
	  "file's SHA-256 and size, the tag manifest's SHA-256), as show does, and on a terminal\n"
	  "asks \"sign this? [y/N]\"; no answer but y leaves the bundle unsigned (exit 64).",
	  { { "-k, --key NAME.key", "required: your secret key" },
	    { "--card CARD.json", "add your key card beside the signature" },
	    OPT_PASSFILE,
	    { "-y, --yes", "sign without asking, also on a terminal" },
	    OPT_QUIET("no result line, and no summary unless asked"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier sign letter.tar -k ana.key",
	  "dossier-attach dossier-keygen dossier-verify" },
	{ "manifest",
	  "Writes the bundle's tagmanifest-sha256.txt to stdout: the bytes every signer signs. A\n"
	  "co-signer without dossier signs it with stock minisign and sends back the .minisig.\n"
	  "It does not check the bundle; run show or verify for that.",
	  { OPT_HELP, { NULL, NULL } },
	  "  dossier manifest letter.tar > tagmanifest-sha256.txt\n"
	  "  minisign -S -s ben.key -m tagmanifest-sha256.txt",
	  "dossier-attach" },
	{ "attach",
	  "Adds a signature made elsewhere (minisign -S over dossier manifest's output) to the\n"
	  "bundle. With -p the signature is checked before it is added.",
	  { { "-p, --public-key KEY.pub", "check the signature with this key first" },
	    { "--card CARD.json", "add the signer's key card beside the signature" },
	    OPT_QUIET("no result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier attach letter.tar tagmanifest-sha256.txt.minisig -p ben.pub",
	  "dossier-manifest dossier-sign" },
	{ "verify",
	  "Checks a bundle offline: every file intact and listed, every signature valid, every\n"
	  "signer's key trusted (given with -p, in the keyring, or vouched for by a key card of a\n"
	  "trusted authority), revocations, timestamps, history and the signing policy. Prints a\n"
	  "report on stdout and one line per problem on stderr: the first 50 findings, then how\n"
	  "many more there are (--json has them).\n"
	  "\n"
	  "The exit code is the verdict: 0 valid, 1 tampered, forged or malformed, 2 intact but\n"
	  "not trusted (see dossier help trust).",
	  { OPT_TRUST,
	    { "--at DATE", "judge as of DATE (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) instead of now: what the verdict was, or will be" },
	    { "--json", "print the report as one JSON object (docs/verify-report.schema.json)" },
	    { "--html FILE", "also write the report as one printable, self-contained HTML page" },
	    { "--disclosed FILE", "check that a file handed over after redaction (NAME.salted) is the one withheld (repeatable)" },
	    OPT_QUIET("no report and no progress: only the exit code and the problem lines"),
	    { "-v, --verbose", "list every file and check in the report, and every finding it keeps (the first 1000)" },
	    OPT_LIMITS,
	    OPT_HELP, { NULL, NULL } },
	  "  dossier verify letter.tar -p ana.pub\n"
	  "  dossier verify letter.tar -K keyring --json > report.json\n"
	  "  dossier verify letter.tar -K keyring --html report.html\n"
	  "  dossier verify letter.tar -K keyring --at 2030-12-31\n"
	  "  dossier verify a.tar b.tar c.tar -K keyring",
	  "dossier-extract dossier-show dossier-keyring" },
	{ "extract",
	  "Verifies the bundle, then writes the bag under DIR/NAME. Nothing is written unless the\n"
	  "bundle verifies; no path leaves DIR, no link, device or duplicate name is made.\n"
	  "Stopped by SIGINT, SIGTERM or SIGHUP, it removes what it wrote (and DIR if it made DIR).",
	  { { "-d, --directory DIR", "required: where to extract" },
	    OPT_TRUST,
	    { "--allow-untrusted", "extract an intact bundle even if no signer is trusted" },
	    OPT_QUIET("no progress or result line on stderr"),
	    OPT_LIMITS,
	    OPT_HELP, { NULL, NULL } },
	  "  dossier extract letter.tar -d out -p ana.pub",
	  "dossier-verify" },
	{ "show",
	  "Lists a bundle's contents, metadata, signatures and timestamps without checking trust:\n"
	  "no keys are needed. Its block \"what a signature covers\" is the one sign shows before\n"
	  "it signs, line for line. Exit 1 for a damaged bundle.",
	  { { "--json", "print one JSON object" },
	    OPT_LIMITS,
	    OPT_HELP, { NULL, NULL } },
	  "  dossier show letter.tar",
	  "dossier-verify" },
	{ "certify",
	  "Issues a key card: an authority (e.g. a parliament's IT office) vouches, with its\n"
	  "signature, that a key is a person's. A verifier who trusts the authority then trusts\n"
	  "the card's key. Writes CARD.json and CARD.json.minisig.",
	  { { "-k, --key AUTHORITY.key", "required: the authority's secret key" },
	    { "-n, --name TEXT", "required: the person's name" },
	    { "-a, --affiliation TEXT", "required: their organisation" },
	    { "--valid-until DATE", "required: the card's last day (YYYY-MM-DD)" },
	    { "--valid-from DATE", "its first day (default: today)" },
	    { "-r, --role ROLE", "their role" },
	    { "-e, --email ADDR", "their address" },
	    { "-o, --output CARD.json", "where to write (default: KEYID.card.json)" },
	    OPT_PASSFILE,
	    { "-f, --force", "replace an existing card" },
	    OPT_QUIET("no result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier certify ana.pub -k it-office.key --name \"Ana Lopez\" --affiliation \"European Parliament\" --valid-until 2030-12-31",
	  "dossier-revoke dossier-keyring" },
	{ "revoke",
	  "Adds keys to an authority's signed revocation list. A signature by a revoked key counts\n"
	  "only if a trusted timestamp shows it was made before the revocation.",
	  { { "-k, --key AUTHORITY.key", "required: the authority's secret key" },
	    { "-r, --reason TEXT", "why the keys are revoked" },
	    { "-d, --date DATE", "from when (default: now)" },
	    { "-o, --output LIST.json", "the list to add to or create (default: revoked-AUTHORITY.json)" },
	    OPT_PASSFILE,
	    OPT_QUIET("no result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier revoke ana.pub -k it-office.key --reason \"key lost\"\n"
	  "  dossier keyring add revoked-*.json",
	  "dossier-certify dossier-keyring" },
	{ "timestamp",
	  "Adds RFC 3161 timestamps over the tag manifest, from a TSA over HTTP (--tsa) or from\n"
	  "answers fetched elsewhere (--token). Each token is checked against the trusted TSA\n"
	  "certificates (the keyring's tsa/ or --tsa-ca) before it is added.",
	  { { "--tsa URL", "ask this TSA (repeatable)" },
	    { "--token FILE.tsr", "add this answer (repeatable)" },
	    { "--tsa-ca CA.pem", "trust this TSA root certificate too (repeatable)" },
	    { "-K, --keyring DIR", "the keyring whose tsa/ to trust" },
	    { "--timeout S", "give up on a TSA after S seconds" },
	    OPT_QUIET("no result lines on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier timestamp letter.tar --tsa https://freetsa.org/tsr --tsa-ca freetsa-ca.pem",
	  "dossier-verify" },
	{ "reissue",
	  "Makes a new version of a bundle that carries the old one's signed state under history/,\n"
	  "so the chain of versions verifies. The new version is unsigned.",
	  { { "-o, --output NEW", "required: the new bundle" },
	    { "-s, --spec SPEC.json", "new payload and metadata (default: the old ones)" },
	    { "-r, --reason TEXT", "why, recorded in supersedes" },
	    { "-p, --public-key KEY.pub", "as for pack (repeatable)" },
	    { "--card CARD.json", "as for pack (repeatable)" },
	    { "-f, --force", "replace an existing NEW" },
	    OPT_QUIET("no result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier reissue letter.tar -o letter-v2.tar --spec spec-v2.json --reason \"annex updated\"",
	  "dossier-pack dossier-timestamp" },
	{ "capture",
	  "Fetches each URL and keeps what this machine received, redirects and the server's TLS\n"
	  "certificate chain included, in one WARC/1.1 file per URL (DIR/HOST-HASH.warc.gz), to be\n"
	  "packed as a snapshot. A 404 is a capture too. Every URL is tried; a failure leaves no\n"
	  "file. See docs/SNAPSHOTS.md for what a snapshot proves.",
	  { { "-o, --output DIR", "required: the directory to write the WARC files into" },
	    { "--timeout S", "seconds for each URL's whole redirect chain (default 30)" },
	    { "--max-size SIZE", "stop a body larger than this (default 100M)" },
	    { "--resolve HOST:PORT:ADDR", "connect to ADDR for HOST:PORT, as curl --resolve (repeatable)" },
	    { "--connect-to HOST:PORT:CHOST:CPORT", "connect to CHOST:CPORT for HOST:PORT, as curl --connect-to; the URL recorded stays the same (repeatable)" },
	    { "--cacert FILE", "trust these CA certificates instead of the system's" },
	    { "-f, --force", "replace existing WARC files" },
	    OPT_QUIET("no summary line per URL"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier capture https://www.ohchr.org/en/press-releases -o snapshots",
	  "dossier-pack" },
	{ "redact",
	  "Writes a public copy of a bundle without some of its redactable files (packed with\n"
	  "\"redactable\": true), listing each in an unsigned redactions.json with its digest and\n"
	  "the reason. Signatures, timestamps and the tag manifest are copied unchanged and still\n"
	  "verify. The bundle must be intact.",
	  { { "-o, --output PUBLIC", "required: the public copy to write" },
	    { "-w, --withhold PATH", "a redactable payload file to leave out (repeatable)" },
	    { "-r, --reason TEXT", "why, recorded in redactions.json" },
	    { "-f, --force", "replace an existing PUBLIC" },
	    OPT_QUIET("no result line on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier redact letter.tar -o public.tar --withhold data/annex/cases/C004.json.salted --reason \"personal data\"",
	  "dossier-verify" },
	{ "keyring",
	  "Manages what you trust: keyring add copies a signer key, an authority key (with\n"
	  "--authority), a revocation list, a TSA certificate or a policy into the keyring after\n"
	  "checking it; keyring list prints what is there and any file it cannot use; keyring\n"
	  "remove takes out the files of a key.\n"
	  "\n"
	  "A key is known by the name you give it with --name, and without one by its key id:\n"
	  "the comment in a .pub file is anyone's to edit and never names anyone. keyring add\n"
	  "prints the key id it will trust and the name; compare the key id with what the key's\n"
	  "owner tells you before you trust it under their name.",
	  { { "-K, --keyring DIR", "the keyring (default: see FILES)" },
	    { "--authority", "add: the keys are authority keys, not signer keys" },
	    { "-n, --name NAME", "add: the name to trust one public key under (kept beside it as NAME.name.json)" },
	    { "-f, --force", "add: replace a different file of the same name, or change a key's name" },
	    OPT_QUIET("no line per file added or removed on stderr"),
	    OPT_HELP, { NULL, NULL } },
	  "  dossier keyring add --name \"Ana Lopez\" ana.pub\n"
	  "  dossier keyring add --authority --name \"EP IT office\" it-office.pub\n"
	  "  dossier keyring list",
	  "dossier-verify dossier-certify dossier-revoke" },
	{ NULL, NULL, NO_OPTIONS, NULL, NULL },
};

const struct help_topic help_topics[] = {
	{ "exit-codes", "what each exit code means", NULL },
	{ "environment", "the variables dossier reads", NULL },
	{ "trust", "when a signature counts as trusted",
	  "A signature is valid when it verifies over the bundle's tag manifest. It is trusted when\n"
	  "its key is one you gave dossier: with -p KEY.pub, in the keyring's signers/, or named\n"
	  "in a key card signed by an authority in the keyring's authorities/ and valid at the\n"
	  "signing time. Nothing inside a bundle is trusted by itself.\n"
	  "\n"
	  "A revoked key, or a card that expired, counts only if a trusted timestamp proves the\n"
	  "signature was made before. The names in dossier.json are the sender's text: a signer's\n"
	  "identity is the name of their trusted card or public key.\n"
	  "\n"
	  "verify exits 0 when everything is intact and the policy is met, 1 when anything is\n"
	  "tampered or forged, 2 when it is intact but a signer is not trusted or the policy is\n"
	  "not met. Next steps for 2: get the signer's key from them in person and add it:\n"
	  "\n"
	  "  dossier keyring add their.pub\n"
	  "  dossier verify BUNDLE -p their.pub" },
	/* not "keyring": dossier help keyring is the command's help */
	{ "files", "the keyring: where it is and what it holds", NULL },
	{ "policy", "what a verifier requires of the signatures together",
	  "The signing policy is the keyring's policy.json or the file given with --policy. Without\n"
	  "either: every signature must be trusted, and every signatory dossier.json names must\n"
	  "have signed. A policy that says who must sign instead (min_signers, required,\n"
	  "thresholds) relaxes the second rule, and so does \"all_signatories\": false.\n"
	  "\n"
	  "  {\n"
	  "    \"dossier_policy\": 1,\n"
	  "    \"min_signers\": 2,\n"
	  "    \"required\": [\"Ana Lopez\"],\n"
	  "    \"thresholds\": [{ \"at_least\": 10, \"of\": [\"Ana Lopez\", \"Ben Novak\"] }],\n"
	  "    \"require_timestamp\": true,\n"
	  "    \"max_age_days\": 365\n"
	  "  }\n"
	  "\n"
	  "Members are key ids or names; a name matches a signer's trusted identity after case\n"
	  "folding. Each person counts once however many keys they used, each key once however\n"
	  "many key ids it is filed under. The schema is\n"
	  "manifests/schema/policy.schema.json; docs/FORMAT.md section 12 has every rule." },
	{ "spec", "the JSON that pack reads",
	  "A spec says what goes into a bundle. dossier init drafts one from a letter. Required:\n"
	  "spec_version (1), name (the bundle's top directory), title, kind (e.g. open-letter),\n"
	  "date (YYYY-MM-DD), from (signatories: name, group, affiliation, email, keyid), to\n"
	  "(name, role, address) and files (source, relative to the spec; role letter, annex,\n"
	  "snapshot or attachment; a snapshot also needs url, captured_at and footnote).\n"
	  "Optional: place, language, cc, references (footnote and url), notes.\n"
	  "\n"
	  "  {\n"
	  "    \"spec_version\": 1, \"name\": \"letter-2020-10-16\", \"title\": \"Open letter\",\n"
	  "    \"kind\": \"open-letter\", \"date\": \"2020-10-16\", \"place\": \"Brussels\",\n"
	  "    \"from\": [{ \"name\": \"Ana Lopez\", \"group\": \"EPP\" }],\n"
	  "    \"to\": [{ \"name\": \"H.E. Jane Roe\", \"role\": \"President\" }],\n"
	  "    \"files\": [{ \"source\": \"letter.txt\", \"role\": \"letter\" }],\n"
	  "    \"references\": [{ \"footnote\": 1, \"url\": \"https://example.org/a\" }]\n"
	  "  }\n"
	  "\n"
	  "The schema is manifests/schema/spec.schema.json." },
	{ "formats", "bundles, keys and signatures on disk",
	  "A bundle is a BagIt bag (RFC 8493) in one archive: .tar (pax), .tar.gz, .tgz, .tar.zst\n"
	  "or .zip, detected from the content when read, or an extracted bag directory. The signed\n"
	  "bytes are tagmanifest-sha256.txt, which pins dossier.json and manifest-sha256.txt, which\n"
	  "pins every payload file. Signatures are minisign signatures under signatures/, key\n"
	  "cards JSON with a minisign signature, timestamps RFC 3161 tokens under timestamps/.\n"
	  "Keys are minisign keys byte for byte. So a bundle verifies with stock tools too:\n"
	  "\n"
	  "  minisign -Vm tagmanifest-sha256.txt -x signatures/KEYID.minisig -p KEY.pub\n"
	  "  sha256sum -c tagmanifest-sha256.txt && sha256sum -c manifest-sha256.txt\n"
	  "\n"
	  "docs/FORMAT.md describes every file." },
	{ NULL, NULL, NULL },
};
