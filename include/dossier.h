/*
 * dossier.h - the public API of libdossier: pack, sign and verify evidence
 * bundles (BagIt bags with minisign signatures over the tag manifest).
 *
 * Calling sequence
 *   Every call that can fail returns an enum dossier_status and fills a
 *   caller-owned struct dossier_error whose message names the entry and the
 *   reason. The status values are the exit codes of the `dossier` command.
 *   The library never prints, never exits and keeps no global state; call
 *   dossier_init() once before anything else (it initialises libsodium).
 *
 * Ownership
 *   Whatever a _new, _open or _load call hands out is released with the
 *   matching _free. Pointers returned by accessors are borrowed: const, and
 *   valid as long as the object they came from. Strings returned through a
 *   char ** are malloc'd and released with free().
 */
#ifndef DOSSIER_H
#define DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DOSSIER_API __attribute__((visibility("default")))
#else
#define DOSSIER_API
#endif

#define DOSSIER_VERSION "0.1.0"
#define DOSSIER_FORMAT_VERSION 1

/* Status codes double as the command's exit codes (sysexits where they fit). */
enum dossier_status {
	DOSSIER_OK = 0,
	DOSSIER_INVALID = 1,   /* tampered, forged or malformed input */
	DOSSIER_UNTRUSTED = 2, /* intact, but a signer is untrusted or policy unmet */
	DOSSIER_USAGE = 64,    /* the caller asked for something impossible */
	DOSSIER_DATAERR = 65,  /* an input is not what it should be (e.g. no letter text) */
	DOSSIER_NOINPUT = 66,  /* an input cannot be opened */
	DOSSIER_SOFTWARE = 70, /* out of memory or an internal error */
	DOSSIER_CANTCREAT = 73, /* an output exists already or cannot be made */
	DOSSIER_IOERR = 74     /* reading or writing failed */
};

struct dossier_error {
	enum dossier_status code;
	int sys_errno;     /* errno of the failing system call, or 0 */
	char message[512]; /* "entry: reason", lowercase, no trailing period */
};

DOSSIER_API int dossier_init(void);
DOSSIER_API const char *dossier_status_name(enum dossier_status status);
/* "YYYY-MM-DD" (the day's first second, or with end_of_day its last) or
   "YYYY-MM-DDThh:mm:ssZ" as a Unix time; -1 if malformed. */
DOSSIER_API int dossier_parse_time(const char *text, int end_of_day, int64_t *out);

/* ---- keys (minisign formats, byte for byte) ---------------------------- */

#define DOSSIER_KEYNUM_BYTES 8
#define DOSSIER_PUBKEY_BYTES 32
#define DOSSIER_KEYID_CHARS 16
#define DOSSIER_TEXT_MAX 1024 /* a key's name; one field of a card or revocation list, in bytes */

struct dossier_pubkey {
	uint8_t keynum[DOSSIER_KEYNUM_BYTES];
	uint8_t pk[DOSSIER_PUBKEY_BYTES];
	char keyid[DOSSIER_KEYID_CHARS + 1]; /* as minisign prints it */
	char comment[256];                   /* the untrusted comment line: anyone's to edit */
	/* The name the receiver gave this key (dossier keyring add --name), "" if none. Never
	   read from the key file: parse and load leave it empty, the keyring fills it. */
	char name[DOSSIER_TEXT_MAX + 1];
};

struct dossier_seckey; /* opaque; lives in sodium_malloc'd memory */

/* Parses the two-line minisign public key text. */
DOSSIER_API enum dossier_status dossier_pubkey_parse(const char *text, size_t len,
    struct dossier_pubkey *out, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_pubkey_load(const char *path,
    struct dossier_pubkey *out, struct dossier_error *err);
/*
 * Parse and load refuse a key whose comment names a key id (any word of 16 hex digits)
 * other than the key's own: such a file was edited or mixed up.
 */
/* The name the receiver trusts this key under (key->name); "" if none. */
DOSSIER_API void dossier_pubkey_name(const struct dossier_pubkey *key, char *out, size_t outlen);
/* The name keygen --name wrote into the untrusted comment; "" if none. Anyone can edit a
   comment: for a sender's own keys (pack -p) and for hints, never for trust. */
DOSSIER_API void dossier_pubkey_comment_name(const struct dossier_pubkey *key, char *out, size_t outlen);

/* Reads a minisign secret key file; it stays sealed until unlocked. */
DOSSIER_API enum dossier_status dossier_seckey_load(const char *path,
    struct dossier_seckey **out, struct dossier_error *err);
DOSSIER_API int dossier_seckey_encrypted(const struct dossier_seckey *key);
/* Decrypts an scrypt-protected key; passphrase may be NULL for unencrypted keys. */
DOSSIER_API enum dossier_status dossier_seckey_unlock(struct dossier_seckey *key,
    const char *passphrase, struct dossier_error *err);
DOSSIER_API void dossier_seckey_keyid(const struct dossier_seckey *key,
    char out[DOSSIER_KEYID_CHARS + 1]);
DOSSIER_API void dossier_seckey_free(struct dossier_seckey *key);

/*
 * Writes NAME.key (0600, O_EXCL) and NAME.pub. passphrase NULL writes an
 * unencrypted key (minisign -W). name goes into the untrusted comments.
 * force allows replacing existing files.
 */
DOSSIER_API enum dossier_status dossier_keygen(const char *basepath, const char *name,
    const char *passphrase, int force, char keyid[DOSSIER_KEYID_CHARS + 1],
    struct dossier_error *err);

/* ---- signatures (minisign .minisig files) ------------------------------ */

enum dossier_sig_alg { DOSSIER_SIG_PREHASHED = 0, DOSSIER_SIG_LEGACY = 1 };

struct dossier_sig {
	enum dossier_sig_alg alg;
	uint8_t keynum[DOSSIER_KEYNUM_BYTES];
	uint8_t sig[64];
	uint8_t global_sig[64];
	char keyid[DOSSIER_KEYID_CHARS + 1];
	char untrusted_comment[1024];
	char trusted_comment[8192];
};

DOSSIER_API enum dossier_status dossier_sig_parse(const char *text, size_t len,
    struct dossier_sig *out, struct dossier_error *err);
/* Checks key id, then the signature, then the trusted comment. */
DOSSIER_API enum dossier_status dossier_sig_verify(const struct dossier_sig *sig,
    const struct dossier_pubkey *key, const void *msg, size_t msglen,
    struct dossier_error *err);
/* Signs msg (prehashed "ED") and returns the .minisig text in *out. */
DOSSIER_API enum dossier_status dossier_sig_create(const struct dossier_seckey *key,
    const void *msg, size_t msglen, const char *trusted_comment, char **out,
    struct dossier_error *err);

/* ---- key sets: public keys, each with the file it came from ----------- */

struct dossier_keyset;

DOSSIER_API struct dossier_keyset *dossier_keyset_new(void);
DOSSIER_API void dossier_keyset_free(struct dossier_keyset *set);
DOSSIER_API enum dossier_status dossier_keyset_add(struct dossier_keyset *set,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_keyset_add_file(struct dossier_keyset *set,
    const char *path, struct dossier_error *err);
DOSSIER_API size_t dossier_keyset_count(const struct dossier_keyset *set);
DOSSIER_API const struct dossier_pubkey *dossier_keyset_get(const struct dossier_keyset *set,
    size_t i, const char **source);
DOSSIER_API const struct dossier_pubkey *dossier_keyset_find(const struct dossier_keyset *set,
    const uint8_t keynum[DOSSIER_KEYNUM_BYTES], const char **source);

/* ---- key cards and revocation lists (JSON signed by an authority key) --- */


/* A key card: an authority vouches that a key belongs to a named person. The file is
   canonical JSON (docs/FORMAT.md) with a detached minisign signature beside it. */
struct dossier_card {
	char keyid[DOSSIER_KEYID_CHARS + 1];     /* the key the card is for */
	struct dossier_pubkey key;
	char authority[DOSSIER_KEYID_CHARS + 1]; /* the key id of the issuing authority */
	char name[DOSSIER_TEXT_MAX + 1];
	char affiliation[DOSSIER_TEXT_MAX + 1];
	char role[DOSSIER_TEXT_MAX + 1];
	char email[DOSSIER_TEXT_MAX + 1];        /* "" when the card has none */
	char issued[32], valid_from[32], valid_until[32]; /* RFC 3339 UTC */
	int64_t not_before, not_after;           /* valid_from and valid_until as Unix times */
};

/* Parses a card; name is for messages. Refuses JSON that is not in canonical form. */
DOSSIER_API enum dossier_status dossier_card_parse(const char *name, const char *text,
    size_t len, struct dossier_card *out, struct dossier_error *err);

struct dossier_card_request {
	const char *name;        /* required */
	const char *affiliation; /* required */
	const char *role;        /* required, e.g. "signatory" */
	const char *email;       /* NULL or "" for none */
	int64_t issued, valid_from, valid_until; /* Unix times, UTC */
};

/* Issues a card for key, signed by the (unlocked) authority key: writes out, the
   card, and out.minisig, its signature. force allows replacing them. */
DOSSIER_API enum dossier_status dossier_certify(const struct dossier_pubkey *key,
    const struct dossier_seckey *authority, const struct dossier_card_request *req,
    const char *out, int force, struct dossier_error *err);

struct dossier_revocation {
	char keyid[DOSSIER_KEYID_CHARS + 1];     /* the revoked key */
	char authority[DOSSIER_KEYID_CHARS + 1]; /* who revoked it */
	char revoked_at[32];                     /* RFC 3339 UTC */
	int64_t at;
	const char *reason;
	const char *source; /* the list file it came from */
};

/* Adds keyids to the revocation list at path (path.minisig beside it), signed by the
   unlocked authority key. An existing list must verify with that key first. A key
   listed already keeps its earlier date (*already counts those). */
DOSSIER_API enum dossier_status dossier_revoke(const char *path,
    const struct dossier_seckey *authority, const char *const *keyids, size_t nkeyids,
    int64_t at, const char *reason, size_t *already, struct dossier_error *err);

/* ---- trust: what a verifier accepts ------------------------------------ */

/* Directly trusted signer keys, authority keys that vouch through cards, revocation
   lists, TSA certificates and the signing policy (docs/CLI.md, keyring). */
struct dossier_trust;

DOSSIER_API struct dossier_trust *dossier_trust_new(void);
DOSSIER_API void dossier_trust_free(struct dossier_trust *trust);
DOSSIER_API enum dossier_status dossier_trust_add_signer(struct dossier_trust *trust,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_trust_add_signer_file(struct dossier_trust *trust,
    const char *path, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_trust_add_authority(struct dossier_trust *trust,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err);
/*
 * Loads a keyring directory: NAME.pub at the top and in signers/ (trusted signers),
 * authorities/NAME.pub, revoked/NAME.json (+ .minisig), tsa/NAME.pem, policy.json. Fails only
 * when DIR cannot be read; a file that does not parse or verify is recorded as a
 * problem (and makes verification untrusted), an unexpected file as a notice.
 */
DOSSIER_API enum dossier_status dossier_trust_load_keyring(struct dossier_trust *trust,
    const char *dir, struct dossier_error *err);
/* Trusts the TSA certificates (PEM) in a file, as the keyring's tsa/ does. */
DOSSIER_API enum dossier_status dossier_trust_add_tsa_file(struct dossier_trust *trust,
    const char *path, struct dossier_error *err);
/* Loads a policy file, replacing the keyring's (or the default). */
DOSSIER_API enum dossier_status dossier_trust_load_policy(struct dossier_trust *trust,
    const char *path, struct dossier_error *err);

/* What dossier_keyring_add did. */
struct dossier_keyring_added {
	char dest[4096];            /* the path written */
	int already;                /* the very same file (and name) was there */
	int is_key;                 /* a .pub: key is it, key.name the name it is trusted under */
	struct dossier_pubkey key;
};
/* Adds a file to the keyring at dir (made 0700 if missing) after checking it: a .pub
   goes to signers/ (authorities/ with as_authority), a revocation list (.json with its
   .minisig, signed by an authority of this keyring) to revoked/, a .pem TSA
   certificate to tsa/, a policy to policy.json. name (NULL: none) is the name the
   receiver gives a .pub key, kept beside it as NAME.name.json (docs/FORMAT.md); without
   one a key is known by its key id, whatever its comment says. force replaces a
   different file or name. */
DOSSIER_API enum dossier_status dossier_keyring_add(const char *dir, const char *file,
    const char *name, int as_authority, int force, struct dossier_keyring_added *out,
    struct dossier_error *err);
/* Removes every key file with key id what (signers and authorities), or the file
   what names relative to dir (with its .minisig, or a key's .name.json). *removed
   counts the files. */
DOSSIER_API enum dossier_status dossier_keyring_remove(const char *dir, const char *what,
    size_t *removed, struct dossier_error *err);

struct dossier_trust_problem {
	int fatal;           /* 1: the keyring cannot be relied on; 0: a notice */
	const char *message; /* "path: reason" */
};
DOSSIER_API size_t dossier_trust_problems(const struct dossier_trust *trust,
    const struct dossier_trust_problem **out);
DOSSIER_API const struct dossier_keyset *dossier_trust_signers(const struct dossier_trust *trust);
DOSSIER_API const struct dossier_keyset *dossier_trust_authorities(const struct dossier_trust *trust);
DOSSIER_API size_t dossier_trust_revocations(const struct dossier_trust *trust,
    const struct dossier_revocation **out);
/* The TSA certificate files (PEM) that parsed. */
DOSSIER_API size_t dossier_trust_tsa_files(const struct dossier_trust *trust,
    const char *const **out);
/* The policy's rules in words, one per line, and where it came from ("default policy"
   or the file). */
DOSSIER_API size_t dossier_trust_policy_rules(const struct dossier_trust *trust,
    const char *const **out);
DOSSIER_API const char *dossier_trust_policy_source(const struct dossier_trust *trust);

/* ---- progress ---------------------------------------------------------- */

/* How far a long pack, read or extract has come: fn is called from the calling thread
   every few MiB of data and once at the end, with bytes done of total (total 0 when it
   is not known in advance, as for a bag directory). The library never prints; showing
   it is the caller's business, and fn should return quickly. */
struct dossier_progress {
	void (*fn)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

/* ---- pack -------------------------------------------------------------- */

struct dossier_pack_options {
	const char *output;   /* .tar, .tar.gz, .tgz, .tar.zst, .zip; "-" is stdout */
	int64_t epoch;        /* mtime of every entry; < 0: the spec's date, or for a
	                         directory the newest file's mtime */
	const struct dossier_keyset *signers; /* binds key ids to signatories by name */
	const char *const *cards; /* key card files (each with .minisig beside it), carried
	                             under keys/ and binding key ids to signatories by name */
	size_t ncards;
	int force;            /* replace an existing output */
	const struct dossier_progress *progress; /* NULL: none; total is the payload size */
	/* Non-NULL (pack --capture): every spec reference without a snapshot file of its
	   footnote is captured first and packed under data/snapshots/. */
	const struct dossier_capture_options *capture;
};

/* Packs from a spec file (JSON) or, if path is a directory, bags it. Zip entries
   carry DOS times in the process's local time zone: set TZ=UTC for output that is
   byte-identical across machines (the dossier command does). Non-ASCII paths need a
   UTF-8 LC_CTYPE locale, since libarchive converts names through it. */
DOSSIER_API enum dossier_status dossier_pack(const char *spec_or_dir,
    const struct dossier_pack_options *opt, struct dossier_error *err);

/* ---- capture: a web page as received, in a WARC file ------------------- */

struct dossier_capture_options {
	long timeout;          /* seconds for one URL, every redirect included; 0: 30 */
	uint64_t max_size;     /* bytes of one response body as received; 0: 100 MiB */
	int max_redirects;     /* hops followed after the first; 0: 10 */
	const char *const *resolve; /* "HOST:PORT:ADDR", as curl --resolve; may be NULL */
	size_t nresolve;
	/* "HOST:PORT:CONNECT-HOST:CONNECT-PORT", as curl --connect-to: the URL (and what the
	   WARC records) keeps HOST:PORT, the connection goes elsewhere; may be NULL */
	const char *const *connect_to;
	size_t nconnect_to;
	const char *cacert;    /* PEM file of the CAs to trust; NULL: the system's */
	int force;             /* replace an existing output file */
};

struct dossier_capture_result {
	char path[4096];       /* the WARC file written: dir/<host>-<12 hex>.warc.gz */
	char file[256];        /* its name without the directory */
	char captured_at[32];  /* when the first request was sent, RFC 3339 UTC */
	long status;           /* the last hop's HTTP status */
	unsigned hops;         /* responses recorded: 1 + redirects followed */
	uint64_t bytes;        /* the last response's payload as received */
	char sha256[65];       /* its SHA-256, hex: the WARC-Payload-Digest */
};

/*
 * Fetches url (http or https) and writes what was sent and received, every
 * redirect hop included, as one WARC/1.1 file in dir (each record its own gzip
 * member): warcinfo, then per hop request and response records, and for HTTPS
 * metadata records with the TLS session and the peer's certificate chain. Any
 * HTTP status is a capture; a connection, TLS, timeout, size or redirect
 * failure is DOSSIER_IOERR and leaves no file. The name is derived from the URL;
 * an existing file is DOSSIER_CANTCREAT unless force.
 */
DOSSIER_API enum dossier_status dossier_capture_url(const struct dossier_capture_options *opt,
    const char *url, const char *dir, struct dossier_capture_result *result,
    struct dossier_error *err);

/* ---- re-issuance -------------------------------------------------------- */

struct dossier_reissue_options {
	const char *output;  /* the new bundle (its kind from the name, as for pack) */
	const char *spec;    /* a new spec for the payload and metadata, or NULL: the old ones */
	const char *reason;  /* why it was re-issued, recorded in supersedes; may be NULL */
	const struct dossier_keyset *signers; /* as for pack, with a spec */
	const char *const *cards;             /* as for pack; the old keys/ cards are kept */
	size_t ncards;
	int64_t epoch;       /* mtime and created; < 0: now */
	int force;
};

/*
 * Makes a new version of an intact bundle: the payload from the spec (or the old
 * payload), dossier.json with "supersedes" (the old id and the SHA-256 of its
 * tagmanifest), and the old version's tag files, signatures and timestamps under
 * history/<n>/, after the history it already carried. The new version is unsigned:
 * old signatures vouch for the old bytes only. new_id gets the new bundle's id.
 */
DOSSIER_API enum dossier_status dossier_reissue(const char *old,
    const struct dossier_reissue_options *opt, char new_id[37], struct dossier_error *err);

/* ---- bundles: read once, then ask ------------------------------------- */

struct dossier_bundle;

/* What one bundle may hold before reading stops with DOSSIER_INVALID: a hostile
   archive (a compression bomb, millions of entries) ends in a clean error. */
struct dossier_limits {
	uint64_t max_bytes;   /* all entries together, uncompressed */
	uint64_t max_entries; /* archive entries, directories included */
};
#define DOSSIER_DEFAULT_MAX_BYTES ((uint64_t)256 << 30)
#define DOSSIER_DEFAULT_MAX_ENTRIES 1000000u

/*
 * Reads a bundle (archive, "-" for stdin, or an extracted bag directory) in
 * one pass: hashes every payload file, keeps the tag files in memory. Fails
 * only when the input cannot be read as an archive at all; what is wrong
 * inside is collected by dossier_bundle_verify.
 */
DOSSIER_API enum dossier_status dossier_bundle_open(const char *path,
    struct dossier_bundle **out, struct dossier_error *err);
/* The same with limits other than the defaults; limits may be NULL. */
DOSSIER_API enum dossier_status dossier_bundle_open_limited(const char *path,
    const struct dossier_limits *limits, struct dossier_bundle **out, struct dossier_error *err);
/* The same, reporting progress (may be NULL) in bytes of the archive file read so far. */
DOSSIER_API enum dossier_status dossier_bundle_open_progress(const char *path,
    const struct dossier_limits *limits, const struct dossier_progress *progress,
    struct dossier_bundle **out, struct dossier_error *err);
DOSSIER_API void dossier_bundle_free(struct dossier_bundle *bundle);
DOSSIER_API const char *dossier_bundle_name(const struct dossier_bundle *bundle);
/* The exact bytes of tagmanifest-sha256.txt (the signed object), or NULL. */
DOSSIER_API const char *dossier_bundle_tagmanifest(const struct dossier_bundle *bundle,
    size_t *len);

/* Adds a signature and rewrites the archive atomically. card (NULL for none) is the
   signer's key card file, added beside the signature with its .minisig. */
DOSSIER_API enum dossier_status dossier_bundle_sign(const char *path,
    const struct dossier_seckey *key, const char *card, int *already_signed,
    char keyid[DOSSIER_KEYID_CHARS + 1], struct dossier_error *err);
/* Asked by dossier_bundle_sign_confirm once the bundle is found intact and before the
   signature is made, with the report of the very bytes it would sign (what to show the
   signer): non-zero to sign, 0 to stop. Not asked when the key has signed already. */
struct dossier_report;
typedef int (*dossier_sign_confirm_fn)(void *ctx, const struct dossier_report *report);
/* dossier_bundle_sign with a question first. When confirm answers 0, nothing is written
   and the call fails with DOSSIER_USAGE ("not signed: declined"). */
DOSSIER_API enum dossier_status dossier_bundle_sign_confirm(const char *path,
    const struct dossier_seckey *key, const char *card, dossier_sign_confirm_fn confirm,
    void *confirm_ctx, int *already_signed, char keyid[DOSSIER_KEYID_CHARS + 1],
    struct dossier_error *err);
/* Adds a signature made elsewhere; key may be NULL (then it is only parsed). The very
   same signature attached again is a no-op (*already set); another by that key is refused.
   card as for dossier_bundle_sign. */
DOSSIER_API enum dossier_status dossier_bundle_attach(const char *path,
    const char *sig_text, size_t sig_len, const struct dossier_pubkey *key, const char *card,
    char keyid[DOSSIER_KEYID_CHARS + 1], int *already, struct dossier_error *err);

/* ---- redaction ---------------------------------------------------------- */

struct dossier_redact_options {
	const char *output;              /* the public copy; its kind from the name, as for pack */
	const char *const *withhold;     /* payload paths (data/..., the .salted may be left off) */
	size_t nwithhold;
	const char *reason;              /* recorded for each newly withheld file; may be NULL */
	int force;                       /* replace an existing output */
};

/* Writes a copy of an intact bundle without the withheld files, which dossier.json must
   mark redactable, plus redactions.json naming each with its digest, size and reason
   (merged with the list the bundle carries already). Every other byte is copied
   unchanged, so signatures and timestamps still verify. *withheld counts the files
   newly withheld. Refuses a tag file, a path not in the bundle or not redactable
   (DOSSIER_USAGE) and a bundle that is not intact (DOSSIER_INVALID). */
DOSSIER_API enum dossier_status dossier_bundle_redact(const char *path,
    const struct dossier_redact_options *opt, size_t *withheld, struct dossier_error *err);

/* ---- RFC 3161 timestamps ----------------------------------------------- */

struct dossier_timestamp_options {
	const char *const *tsa_urls; /* TSAs to ask, each in turn */
	size_t ntsa_urls;
	const char *const *tokens;   /* .tsr responses obtained elsewhere, over the tagmanifest */
	size_t ntokens;
	const struct dossier_trust *trust; /* whose TSA certificates check the answers */
	long timeout;                /* seconds per TSA; <= 0: 30 */
};

/* One token added: its entry, genTime and TSA. */
struct dossier_stamp {
	char entry[32];
	char gen_time[32];
	char tsa[512];
};

/* Asks each TSA for a token (SHA-256 imprint, random nonce, certReq), checks every
   answer (status, imprint, nonce, signature, chain with the critical timeStamping EKU
   against the trust's TSA certificates) and adds them all as timestamps/<n>.tsr in one
   atomic rewrite; nothing is added unless every one checks out. out has one slot per
   URL and token. */
DOSSIER_API enum dossier_status dossier_bundle_timestamp(const char *path,
    const struct dossier_timestamp_options *opt, struct dossier_stamp *out, struct dossier_error *err);

/* ---- verification report ---------------------------------------------- */

enum dossier_sig_status {
	DOSSIER_SIG_VALID = 0,   /* key trusted, signature and trusted comment verified */
	DOSSIER_SIG_UNKNOWN_KEY, /* well-formed, but no trusted key or card for this id */
	DOSSIER_SIG_BAD,         /* forged, malformed, or over other bytes */
	DOSSIER_SIG_UNTRUSTED    /* verifies, but its card, revocation or age fails the trust rules */
};

enum dossier_finding_kind {
	DOSSIER_FINDING_INVALID = 1,   /* makes the verdict DOSSIER_INVALID */
	DOSSIER_FINDING_UNTRUSTED = 2, /* makes the verdict at least DOSSIER_UNTRUSTED */
	DOSSIER_FINDING_NOTICE = 3     /* worth saying, changes nothing */
};

struct dossier_finding {
	enum dossier_finding_kind kind;
	const char *code;    /* stable: "payload-mismatch", "sig-forged", ... */
	const char *entry;   /* path inside the bag, or "" */
	const char *message; /* "entry: reason" */
};

struct dossier_file_info {
	const char *path; /* relative to the bag root, e.g. data/annex/cases.csv */
	const char *role; /* letter, annex, snapshot, attachment, or "" */
	const char *media_type;
	uint64_t size;
	char sha256[65];
	int ok; /* present and matching the manifest */
};

/* A file with role snapshot, and for a WARC file what its records say. */
struct dossier_snapshot_info {
	const char *path;         /* data/snapshots/... */
	const char *url;          /* the captured URL, from dossier.json */
	int footnote;             /* the footnote it covers, or -1 */
	const char *captured_at;  /* RFC 3339, from dossier.json */
	const char *media_type;   /* from dossier.json */
	const char *content_type; /* a WARC's final response payload type, or "" */
	int http_status;          /* a WARC's final response to url, or -1 */
	uint64_t size;            /* bytes of the file */
	int64_t records;          /* WARC records read, or -1 for a file that is not WARC */
	int ok;                   /* present, intact, and for a WARC every record held */
	const char *reason;       /* why not ok, or NULL */
};

/* A footnote's reference and the snapshot files that cover it. */
struct dossier_reference_info {
	int footnote;
	const char *url;
	int captured;                 /* at least one snapshot file covers it */
	const char *const *snapshots; /* their paths */
	size_t nsnapshots;
	const char *reason;           /* "not_captured" from dossier.json, or NULL */
};

struct dossier_sig_info {
	char keyid[DOSSIER_KEYID_CHARS + 1];
	enum dossier_sig_status status;
	int legacy;                  /* "Ed" (not prehashed) */
	const char *trusted_comment;
	const char *signer_name;     /* from dossier.json "from", or the trusted identity */
	const char *signer_group;
	const char *key_source;      /* which key file vouched for it, or "" */
	const char *reason;          /* why not valid, or "" */
	const char *trust;           /* "keyring" (directly trusted), "card", or "" */
	const char *chain;           /* key -> card -> authority in words, or "" */
	const char *identity;        /* the trusted name the policy matches, or "" */
	const char *signed_at;       /* time from a dossier-v1 trusted comment, or "" */
	int listed;                  /* the signer is a signatory named in dossier.json */
	const char *card_entry;      /* the card used, e.g. keys/<KEYID>.card.json, or "" */
	const char *card_name, *card_affiliation, *card_role; /* "" without a card */
	const char *card_valid_from, *card_valid_until;
	const char *authority;       /* key id of the card's authority, or "" */
	const char *authority_source; /* the keyring file that trusts it, or "" */
	const char *public_key;      /* the Ed25519 key that checked it, 64 hex digits, or "" */
	const char *same_key_as;     /* key id of an earlier signature by the same public key
	                                under another key id (counted once), or "" */
	const char *same_person_as;  /* key id of an earlier valid signature with the same
	                                trusted identity (one person, counted once), or "" */
};

/* A signatory named in dossier.json "from", and whether a valid, trusted signature
   accounts for them (docs/FORMAT.md, section 12). */
struct dossier_signatory_info {
	const char *name;      /* as dossier.json names them */
	const char *group;     /* their group or affiliation, or "" */
	const char *keyid;     /* the key id dossier.json binds to them, or "" */
	int has_signed;        /* a valid, trusted signature is theirs */
	const char *signed_by; /* the key id of that signature, or "" */
	const char *identity;  /* its trusted identity, or "" */
	const char *chain;     /* its trust chain in words, or "" */
	const char *reason;    /* why no signature accounts for them, or "" */
};

/* A timestamps/<n>.tsr token as verify found it. */
struct dossier_timestamp_info {
	const char *entry;    /* timestamps/<n>.tsr */
	const char *gen_time; /* RFC 3339 UTC, or "" if unreadable */
	const char *tsa;      /* the TSA certificate's subject */
	const char *covers;   /* "tagmanifest-sha256.txt" or "... and N signatures" */
	int trusted;          /* verified against a trusted TSA certificate at genTime */
	const char *reason;   /* why not trusted, or "" */
};

/* One version of a re-issued bundle: those under history/, then the current one. */
struct dossier_version_info {
	int number;             /* 1 is the first version */
	int current;            /* the version being verified */
	const char *id;
	const char *created;
	const char *reason;     /* why it replaced the version before, or "" */
	const char *changes;    /* payload changes from the version before, in words */
	const char *signers;    /* "Name (KEYID) valid, ..." for history versions */
	const char *timestamps; /* "N (M trusted)" for history versions */
};

/* A payload file this copy withholds, as redactions.json names it and verify accepted it
   (FORMAT.md, "Redaction"). */
struct dossier_withheld_info {
	const char *path;  /* data/....salted */
	char sha256[65];   /* its digest in manifest-sha256.txt */
	uint64_t size;     /* its size in dossier.json */
	const char *reason; /* "" when none was given */
	const char *disclosed; /* NULL: not disclosed; "matched" or "differs" (see
	                          dossier_report_disclose) */
};

/* One rule of the signing policy and whether this bundle meets it. */
struct dossier_policy_check {
	const char *rule;   /* "at least 10 of 16 named signers" */
	int met;
	const char *detail; /* who counted, or what is missing */
};

struct dossier_report;

/* What a verification is judged against. */
struct dossier_verify_options {
	const struct dossier_trust *trust; /* NULL: nothing is trusted, the default policy */
	int64_t at; /* the verification time, Unix seconds: the verdict as it is (or was, or will
	               be) at that moment. Cards, revocations, max_age_days and claimed signing
	               times are judged against it, never against the machine's clock */
};

DOSSIER_API enum dossier_status dossier_bundle_verify_with(const struct dossier_bundle *bundle,
    const struct dossier_verify_options *opt, struct dossier_report **out, struct dossier_error *err);
/* The same, judged now. trust may be NULL: nothing is trusted and the default policy applies. */
DOSSIER_API enum dossier_status dossier_bundle_verify(const struct dossier_bundle *bundle,
    const struct dossier_trust *trust, struct dossier_report **out, struct dossier_error *err);
DOSSIER_API void dossier_report_free(struct dossier_report *report);
DOSSIER_API enum dossier_status dossier_report_verdict(const struct dossier_report *report);
DOSSIER_API size_t dossier_report_findings(const struct dossier_report *report,
    const struct dossier_finding **out);

/* A report keeps the first DOSSIER_FINDINGS_KEPT findings, and after them the first of
   each code and severity, one by one; the rest are only counted (a hostile bundle can
   make millions of findings: one per manifest line or entry). Each dossier_omitted
   counts the findings left out of one code, severity and scope; the verdict counts
   them all. */
#define DOSSIER_FINDINGS_KEPT 1000
struct dossier_omitted {
	enum dossier_finding_kind kind;
	const char *code;
	int history;    /* about an earlier version (entries under history/) */
	uint64_t count; /* > 0 */
};
DOSSIER_API size_t dossier_report_omitted(const struct dossier_report *report,
    const struct dossier_omitted **out);
/* How many findings of that kind the report left out (0 for none): the sum of the counts. */
DOSSIER_API uint64_t dossier_report_omitted_count(const struct dossier_report *report,
    enum dossier_finding_kind kind);
DOSSIER_API size_t dossier_report_files(const struct dossier_report *report,
    const struct dossier_file_info **out);
DOSSIER_API size_t dossier_report_signatures(const struct dossier_report *report,
    const struct dossier_sig_info **out);
DOSSIER_API size_t dossier_report_timestamps(const struct dossier_report *report,
    const struct dossier_timestamp_info **out);
DOSSIER_API size_t dossier_report_versions(const struct dossier_report *report,
    const struct dossier_version_info **out);
DOSSIER_API size_t dossier_report_policy(const struct dossier_report *report,
    const struct dossier_policy_check **out);
DOSSIER_API const char *dossier_report_policy_source(const struct dossier_report *report);
/* The files this copy withholds (redactions.json), each accounted for. */
DOSSIER_API size_t dossier_report_withheld(const struct dossier_report *report,
    const struct dossier_withheld_info **out);
/* Checks a file handed over after redaction (the stored .salted file, salt line and
   all) against the withheld files: *matched gets the path of the one whose digest it
   has, or NULL, and then the report gets an invalid "disclosed-mismatch" finding (and
   a withheld file of the same base name is marked "differs"). Fails only when the
   file cannot be read. */
DOSSIER_API enum dossier_status dossier_report_disclose(struct dossier_report *report,
    const char *file, const char **matched, struct dossier_error *err);
/* A metadata field of dossier.json as text ("title", "date", ...), or NULL. */
DOSSIER_API const char *dossier_report_meta(const struct dossier_report *report, const char *field);
/* "from", "to" or "cc" as lines "name (group)" / "name, role"; count returned. */
DOSSIER_API size_t dossier_report_people(const struct dossier_report *report, const char *field,
    const char *const **out);
DOSSIER_API size_t dossier_report_references(const struct dossier_report *report,
    const char *const **out);
/* The snapshot files, and every reference with its coverage (dossier.json order). */
DOSSIER_API size_t dossier_report_snapshots(const struct dossier_report *report,
    const struct dossier_snapshot_info **out);
DOSSIER_API size_t dossier_report_coverage(const struct dossier_report *report,
    const struct dossier_reference_info **out);
DOSSIER_API const char *dossier_report_bundle_name(const struct dossier_report *report);
/* SHA-256 (64 lowercase hex digits) of tagmanifest-sha256.txt, the bytes a signer signs;
   "" when the bundle has none. */
DOSSIER_API const char *dossier_report_tagmanifest_sha256(const struct dossier_report *report);
/* The file the report is about, so that a printed report can be tied to the file
   received (an e-mail attachment): sha256sum of that file prints the same digest. */
struct dossier_bundle_file {
	const char *name;    /* the path given, without its directories; "-" for stdin; for a
	                        bag directory its own name */
	const char *kind;    /* "file", "stdin" (spooled whole, then read as a file) or
	                        "directory" (a bag directory: no file, so no size or digest) */
	uint64_t size;       /* bytes of the file; 0 for a directory */
	char sha256[65];     /* SHA-256 of the file's bytes, hex; "" for a directory */
	char tagmanifest_sha256[65]; /* of tagmanifest-sha256.txt (the signed object), "" if none */
};
DOSSIER_API const struct dossier_bundle_file *dossier_report_bundle_file(
    const struct dossier_report *report);
/* Every signatory named in dossier.json "from", in its order, signed or not. */
DOSSIER_API size_t dossier_report_signatories(const struct dossier_report *report,
    const struct dossier_signatory_info **out);
/* The verification time the verdict is for (dossier_verify_options.at). */
DOSSIER_API int64_t dossier_report_verified_at(const struct dossier_report *report);
/* The report as one JSON object (schema: docs/verify-report.schema.json). */
DOSSIER_API enum dossier_status dossier_report_json(const struct dossier_report *report,
    char **out, struct dossier_error *err);

/* ---- extract ------------------------------------------------------------ */

struct dossier_extract_options {
	const struct dossier_trust *trust;
	const struct dossier_limits *limits; /* NULL: the defaults */
	int allow_untrusted; /* extract an intact bag even if no signer is trusted */
	const struct dossier_progress *progress; /* NULL: none */
	/* NULL, or called once the staging directory exists, before anything is written to
	   it: its path, and whether dir was made for this extract. A caller whose process
	   may be stopped from outside (a signal) keeps them for dossier_extract_discard. */
	void (*staged)(void *ctx, const char *staging, int made_dir);
	void *staged_ctx;
	int64_t at; /* the verification time (dossier_verify_options); 0: now */
};

/*
 * Streams the bundle once into a staging directory inside dir, hashing while
 * writing, verifies, and only then renames the bag into dir/<name>. On any
 * failure nothing is left in dir. *report (may be NULL) gets the verdict.
 */
DOSSIER_API enum dossier_status dossier_bundle_extract(const char *path, const char *dir,
    const struct dossier_extract_options *opt, struct dossier_report **report,
    struct dossier_error *err);
/* What an extract that never returned (its process was killed) left behind: removes the
   staging tree (only a .dossier-extract-XXXXXX directly inside dir) and, with made_dir,
   dir when it is empty. A bag already renamed into place stays. */
DOSSIER_API void dossier_extract_discard(const char *staging, const char *dir, int made_dir);

/* ---- letters: a draft spec from a letter's text (dossier init) --------- */

/* A person the letter names: a signatory (detail: group or affiliation), an
   addressee or a copy recipient (detail: role; address for an addressee). */
struct dossier_letter_party {
	char *name;
	char *detail;  /* NULL when the letter gives none */
	char *address; /* NULL when the letter gives none */
};

/* A footnote: its number and either the URL it cites or, for a footnote of
   text, that text. */
struct dossier_letter_footnote {
	int number;
	char *url;  /* NULL for a footnote of text */
	char *text; /* NULL for a footnote with a URL */
};

struct dossier_letter {
	char *title;    /* a subject or "Open letter ..." line; NULL if none */
	char date[11];  /* YYYY-MM-DD of the date line; "" if none was found */
	char *place;    /* the place before the date ("Brussels, 16 October 2020") */
	int open_letter; /* the text calls itself an open letter */
	struct dossier_letter_party *from, *to, *cc;
	size_t nfrom, nto, ncc;
	struct dossier_letter_footnote *footnotes; /* in the letter's order */
	size_t nfootnotes;
};

/* Finds what a pack spec needs in a letter's plain text (UTF-8): title, date and
   place line, addressees, copy list, signatories after the closing, footnotes.
   Pure text work, no I/O. DOSSIER_DATAERR for empty text, a NUL byte or bytes
   that are not UTF-8 (name: how the message calls the text, e.g. its path). */
DOSSIER_API enum dossier_status dossier_letter_scan(const char *name, const char *text,
    size_t len, struct dossier_letter **out, struct dossier_error *err);
DOSSIER_API void dossier_letter_free(struct dossier_letter *letter);
/* A draft pack spec (pretty JSON, malloc'd) for the letter: bundle name, the
   letter file at letter_source (relative to the spec's directory) with role
   letter, references for the footnotes with a URL, notes for the others. What
   was not found is left out, for the user to fill in. */
DOSSIER_API enum dossier_status dossier_letter_spec(const struct dossier_letter *letter,
    const char *name, const char *letter_source, char **json, struct dossier_error *err);

/* Writes len bytes to path as a whole or not at all (a temp file beside it, fsync,
   rename), mode 0644: for drafts and reports the command line makes. An existing file
   is replaced only with force, a directory never (else DOSSIER_CANTCREAT). */
DOSSIER_API enum dossier_status dossier_write_file(const char *path, const void *data,
    size_t len, int force, struct dossier_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DOSSIER_H */
