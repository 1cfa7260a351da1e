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

/* ---- keys (minisign formats, byte for byte) ---------------------------- */

#define DOSSIER_KEYNUM_BYTES 8
#define DOSSIER_PUBKEY_BYTES 32
#define DOSSIER_KEYID_CHARS 16

struct dossier_pubkey {
	uint8_t keynum[DOSSIER_KEYNUM_BYTES];
	uint8_t pk[DOSSIER_PUBKEY_BYTES];
	char keyid[DOSSIER_KEYID_CHARS + 1]; /* as minisign prints it */
	char comment[256];                   /* the untrusted comment line */
};

struct dossier_seckey; /* opaque; lives in sodium_malloc'd memory */

/* Parses the two-line minisign public key text. */
DOSSIER_API enum dossier_status dossier_pubkey_parse(const char *text, size_t len,
    struct dossier_pubkey *out, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_pubkey_load(const char *path,
    struct dossier_pubkey *out, struct dossier_error *err);
/* The name given to keygen --name, taken from the untrusted comment; "" if none. */
DOSSIER_API void dossier_pubkey_name(const struct dossier_pubkey *key, char *out, size_t outlen);

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

/* ---- trust: the keys a verifier accepts -------------------------------- */

struct dossier_keyset;

DOSSIER_API struct dossier_keyset *dossier_keyset_new(void);
DOSSIER_API void dossier_keyset_free(struct dossier_keyset *set);
DOSSIER_API enum dossier_status dossier_keyset_add(struct dossier_keyset *set,
    const struct dossier_pubkey *key, const char *source, struct dossier_error *err);
DOSSIER_API enum dossier_status dossier_keyset_add_file(struct dossier_keyset *set,
    const char *path, struct dossier_error *err);
/* Adds every *.pub in DIR and DIR/signers; a malformed file is an error. */
DOSSIER_API enum dossier_status dossier_keyset_add_dir(struct dossier_keyset *set,
    const char *dir, struct dossier_error *err);
DOSSIER_API size_t dossier_keyset_count(const struct dossier_keyset *set);
DOSSIER_API const struct dossier_pubkey *dossier_keyset_get(const struct dossier_keyset *set,
    size_t i, const char **source);
DOSSIER_API const struct dossier_pubkey *dossier_keyset_find(const struct dossier_keyset *set,
    const uint8_t keynum[DOSSIER_KEYNUM_BYTES], const char **source);

/* ---- pack -------------------------------------------------------------- */

struct dossier_pack_options {
	const char *output;   /* .tar, .tar.gz, .tgz, .tar.zst, .zip; "-" is stdout */
	int64_t epoch;        /* mtime of every entry; < 0: the spec's date, or for a
	                         directory the newest file's mtime */
	const struct dossier_keyset *signers; /* binds key ids to signatories by name */
	int force;            /* replace an existing output */
};

/* Packs from a spec file (JSON) or, if path is a directory, bags it. Zip entries
   carry DOS times in the process's local time zone: set TZ=UTC for output that is
   byte-identical across machines (the dossier command does). Non-ASCII paths need a
   UTF-8 LC_CTYPE locale, since libarchive converts names through it. */
DOSSIER_API enum dossier_status dossier_pack(const char *spec_or_dir,
    const struct dossier_pack_options *opt, struct dossier_error *err);

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
DOSSIER_API void dossier_bundle_free(struct dossier_bundle *bundle);
DOSSIER_API const char *dossier_bundle_name(const struct dossier_bundle *bundle);
/* The exact bytes of tagmanifest-sha256.txt (the signed object), or NULL. */
DOSSIER_API const char *dossier_bundle_tagmanifest(const struct dossier_bundle *bundle,
    size_t *len);

/* Adds a signature (text of a .minisig) and rewrites the archive atomically. */
DOSSIER_API enum dossier_status dossier_bundle_sign(const char *path,
    const struct dossier_seckey *key, int *already_signed, char keyid[DOSSIER_KEYID_CHARS + 1],
    struct dossier_error *err);
/* Adds a signature made elsewhere; key may be NULL (then it is only parsed). The very
   same signature attached again is a no-op (*already set); another by that key is refused. */
DOSSIER_API enum dossier_status dossier_bundle_attach(const char *path,
    const char *sig_text, size_t sig_len, const struct dossier_pubkey *key,
    char keyid[DOSSIER_KEYID_CHARS + 1], int *already, struct dossier_error *err);

/* ---- verification report ---------------------------------------------- */

enum dossier_sig_status {
	DOSSIER_SIG_VALID = 0,   /* key trusted, signature and trusted comment verified */
	DOSSIER_SIG_UNKNOWN_KEY, /* well-formed, but no trusted key with this id */
	DOSSIER_SIG_BAD          /* forged, malformed, or over other bytes */
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

struct dossier_sig_info {
	char keyid[DOSSIER_KEYID_CHARS + 1];
	enum dossier_sig_status status;
	int legacy;                  /* "Ed" (not prehashed) */
	const char *trusted_comment;
	const char *signer_name;     /* from dossier.json "from", or the key's comment */
	const char *signer_group;
	const char *key_source;      /* which key file vouched for it, or "" */
	const char *reason;          /* why not valid, or "" */
};

struct dossier_report;

DOSSIER_API enum dossier_status dossier_bundle_verify(const struct dossier_bundle *bundle,
    const struct dossier_keyset *keys, struct dossier_report **out, struct dossier_error *err);
DOSSIER_API void dossier_report_free(struct dossier_report *report);
DOSSIER_API enum dossier_status dossier_report_verdict(const struct dossier_report *report);
DOSSIER_API size_t dossier_report_findings(const struct dossier_report *report,
    const struct dossier_finding **out);
DOSSIER_API size_t dossier_report_files(const struct dossier_report *report,
    const struct dossier_file_info **out);
DOSSIER_API size_t dossier_report_signatures(const struct dossier_report *report,
    const struct dossier_sig_info **out);
/* A metadata field of dossier.json as text ("title", "date", ...), or NULL. */
DOSSIER_API const char *dossier_report_meta(const struct dossier_report *report, const char *field);
/* "from", "to" or "cc" as lines "name (group)" / "name, role"; count returned. */
DOSSIER_API size_t dossier_report_people(const struct dossier_report *report, const char *field,
    const char *const **out);
DOSSIER_API size_t dossier_report_references(const struct dossier_report *report,
    const char *const **out);
DOSSIER_API const char *dossier_report_bundle_name(const struct dossier_report *report);
/* The report as one JSON object (schema: docs/verify-report.schema.json). */
DOSSIER_API enum dossier_status dossier_report_json(const struct dossier_report *report,
    char **out, struct dossier_error *err);

/* ---- extract ------------------------------------------------------------ */

struct dossier_extract_options {
	const struct dossier_keyset *keys;
	const struct dossier_limits *limits; /* NULL: the defaults */
	int allow_untrusted; /* extract an intact bag even if no signer is trusted */
};

/*
 * Streams the bundle once into a staging directory inside dir, hashing while
 * writing, verifies, and only then renames the bag into dir/<name>. On any
 * failure nothing is left in dir. *report (may be NULL) gets the verdict.
 */
DOSSIER_API enum dossier_status dossier_bundle_extract(const char *path, const char *dir,
    const struct dossier_extract_options *opt, struct dossier_report **report,
    struct dossier_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DOSSIER_H */
