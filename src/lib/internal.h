/* internal.h - what the files of libdossier share and nobody else sees. */
#ifndef DOSSIER_INTERNAL_H
#define DOSSIER_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "dossier.h"

#define DOSSIER_BUG(msg) dossier_bug(__FILE__, __LINE__, (msg))
void dossier_bug(const char *file, int line, const char *msg);

/* Limits that keep a hostile bundle from exhausting memory or time. */
#define LIMIT_PATH_BYTES 1024      /* one path inside the bag */
#define LIMIT_NAME_BYTES 255       /* one path component */
#define LIMIT_DEPTH 32             /* components in one path */
#define LIMIT_LINE 4096            /* one manifest line */
#define LIMIT_TAGFILE (1u << 20)   /* a small tag file: bagit.txt, dossier.json, keys */
#define LIMIT_MANIFEST (256u << 20) /* manifest-sha256.txt / tagmanifest */
#define LIMIT_TAGS_TOTAL (512u << 20) /* all tag files of one bundle together */
#define LIMIT_SIGFILE 16384        /* one .minisig */
#define LIMIT_JSON_DEPTH 32

/* ---- errors ---- */
/* Fills err and returns code, so `return error(...)` reads well. */
enum dossier_status dossier_fail(struct dossier_error *err, enum dossier_status code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Same, appending strerror(errno). */
enum dossier_status dossier_fail_errno(struct dossier_error *err, enum dossier_status code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- growable buffer ---- */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
int buf_append(struct buf *b, const void *data, size_t len);
/* Room for extra more bytes, allocated to the byte: for data whose size is known (a
   9 MB manifest would otherwise sit in a 16 MiB buffer). 0, or -1. */
int buf_reserve_exact(struct buf *b, size_t extra);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_release(struct buf *b);
/* Room for one more item in an array of count items of size bytes with *cap slots: the
   array (moved perhaps, *cap updated), or NULL when out of memory (items unchanged). */
void *array_grow(void *items, size_t count, size_t *cap, size_t size);

/* ---- sha256 (OpenSSL EVP: SHA-NI where the CPU has it) ---- */
struct sha256 {
	void *ctx; /* EVP_MD_CTX */
};
int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, uint8_t out[32]);
void sha256_release(struct sha256 *h);
int sha256_buf(const void *data, size_t len, uint8_t out[32]);
/* The SHA-256 of a followed by b (a salt line and a file's bytes): 0, or -1. */
int sha256_two(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32]);
void hex_encode(const uint8_t *in, size_t len, char *out); /* lowercase, NUL-terminated */
/* SHA-256 of one stream at a time on a second thread (hasher.c), so that reading and
   writing the bytes overlaps hashing them. Per stream: hasher_begin, then for each chunk
   hasher_buffer (up to HASHER_CHUNK bytes to fill; it stays readable until the next
   hasher_buffer call) and hasher_push, then hasher_end. Worth it for streams of
   HASHER_MIN bytes or more; smaller ones are cheaper to hash in place. */
#define HASHER_CHUNK (128u << 10)
#define HASHER_MIN (1u << 20)
struct hasher;
int hasher_new(struct hasher **out);
int hasher_begin(struct hasher *hs);
char *hasher_buffer(struct hasher *hs);
void hasher_push(struct hasher *hs, size_t len);
void hasher_end(struct hasher *hs, uint8_t digest[32]); /* digest NULL: abandon the stream */
void hasher_free(struct hasher *hs);
/* One stream hashed through *hs (made when first needed) if it is large, else in place
   in own[own_len]: fill hash_stream_buffer's chunk, hash_stream_push it, and so on;
   hash_stream_end with NULL abandons the stream. */
struct hash_stream {
	struct hasher *hs;
	struct sha256 h;
	char *own;
	size_t own_len;
};
int hash_stream_begin(struct hash_stream *s, struct hasher **hs, uint64_t size, char *own,
    size_t own_len);
char *hash_stream_buffer(struct hash_stream *s, size_t *len);
void hash_stream_push(struct hash_stream *s, const char *chunk, size_t len);
void hash_stream_end(struct hash_stream *s, uint8_t digest[32]);

int hex_decode_digest(const char *hex, uint8_t out[32]);    /* exactly 64 hex digits */
/* len bytes from 2 * len hex digits (either case); whole: and nothing after them. */
int hex_decode_bytes(const char *hex, uint8_t *out, size_t len, int whole);

/* ---- progress (progress.c): the caller's callback every few MiB, never from a
   second thread ---- */
struct progress {
	const struct dossier_progress *cb; /* NULL: nobody asked */
	uint64_t done, total, next;
};
void progress_init(struct progress *p, const struct dossier_progress *cb, uint64_t total);
/* Both take p NULL; progress_end reports the end once more, done == total. */
void progress_set(struct progress *p, uint64_t done);
void progress_add(struct progress *p, uint64_t n);
void progress_end(struct progress *p);

/* ---- paths inside a bag ---- */
/* NULL if path is safe to use under a bag root, else the reason. */
const char *bag_path_problem(const char *path);
/* A copy of s in which every byte that is not part of well-formed UTF-8 is '?'. */
char *utf8_sanitize(const char *s);
/* Whether s[0..n) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/* Whether s ends with suffix; fold compares ASCII letters case-insensitively. */
int has_suffix(const char *s, const char *suffix, int fold);
/* The NFC form of a UTF-8 path (malloc'd), or NULL if it is not valid UTF-8 or out of
   memory. Paths are compared in NFC: libarchive and some disks hand back NFC names. */
char *path_nfc(const char *path);
/* The case-folded NFC form (malloc'd), under which two names are one file on a
   case-insensitive or normalizing disk; NULL if not UTF-8 or out of memory. */
char *path_fold(const char *path);
struct strset;
/* The value set holds for the first proper parent directory of path, or NULL. */
const char *path_parent_in(const struct strset *set, const char *path);
/* qsort comparator for an array of char *. */
int cmp_strptr(const void *a, const void *b);
/* RFC 8493: CR, LF and % become %0D, %0A, %25 in manifests. */
int manifest_path_encode(const char *path, struct buf *out);
/* Decodes %0D, %0A and %25; any other '%' is kept as it is. NULL only when out of
   memory. Caller frees. */
char *manifest_path_decode(const char *in, size_t len);

/* ---- manifests ---- */
struct manifest_line {
	char *path; /* decoded, in NFC; points into the manifest's arena */
	uint8_t digest[32];
	int seen;
};
struct manifest {
	struct manifest_line *lines;
	size_t count;
	char *arena; /* every line's path, one after another */
};
/* Parses "<hex>  <path>" lines; rejects duplicates and bad paths. name is for messages. */
enum dossier_status manifest_parse(const char *name, const char *text, size_t len,
    struct manifest *out, struct dossier_error *err);
/* Lookup by decoded path (lines are sorted after parsing). */
struct manifest_line *manifest_find(const struct manifest *m, const char *path);
void manifest_release(struct manifest *m);
/* Appends one "<hex>  <encoded path>\n" line. */
int manifest_append(struct buf *out, const char *path, const uint8_t digest[32]);

/* ---- files ---- */
/* Reads a whole small file (at most max bytes) into a NUL-terminated buffer. */
/* Opens a pack input and makes sure it is still a regular file (else errno EINVAL):
   -1 with errno set, or the descriptor. Pack's writer and its read-ahead both use it. */
int open_input(const char *path);
enum dossier_status read_small_file(const char *path, size_t max, struct buf *out,
    struct dossier_error *err);

/* Removes a directory tree this process made (never follows symlinks). */
void remove_tree(const char *path);

/* ---- what kind of file (sniff.c) ---- */
#define SNIFF_BYTES 1024 /* enough of a file's start to tell its kind */
enum file_kind {
	KIND_UNKNOWN, KIND_EMPTY, KIND_PUBKEY, KIND_SECKEY, KIND_SIGNATURE, KIND_TAR, KIND_GZIP,
	KIND_ZSTD, KIND_ZIP, KIND_PDF, KIND_PEM, KIND_JSON, KIND_IMAGE, KIND_WARC, KIND_OFFICE,
	KIND_MARKUP, KIND_TEXT
};
/* The kind of a file from its first bytes (at most SNIFF_BYTES are looked at). */
enum file_kind file_kind(const char *data, size_t len);
/* "a PDF document", "a minisign secret key", ... */
const char *file_kind_name(enum file_kind kind);
/* An archive dossier may have written, or bytes nobody recognises (a damaged one). */
int file_kind_may_be_bundle(enum file_kind kind);
/* After the archive reader refused fd with st (err filled): a file of another kind given
   for a bundle becomes DOSSIER_DATAERR, naming the kind; damage (st) stays as it was. */
enum dossier_status not_a_bundle(const char *path, int fd, enum dossier_status st,
    struct dossier_error *err);

/* Atomic output: temp file beside the target, fsync, rename, fsync dir. Without force
   the commit cannot replace a file that appeared meanwhile (rename_noreplace). */
struct atomic_file {
	char *target;
	char *temp;
	int fd;
	int replace; /* force: the commit may replace an existing target */
};
/* rename(2) that fails with EEXIST when to exists, enforced by the kernel: renameat2
   RENAME_NOREPLACE, else link(2) + unlink(2) for a file, or for a directory an empty
   directory of our own that only rename(2) of an empty directory can replace. */
int rename_noreplace(const char *from, const char *to);
enum dossier_status atomic_open(struct atomic_file *f, const char *target, int force,
    mode_t mode, struct dossier_error *err);
enum dossier_status atomic_commit(struct atomic_file *f, struct dossier_error *err);
void atomic_abort(struct atomic_file *f);
enum dossier_status write_all(int fd, const void *data, size_t len, const char *name,
    struct dossier_error *err);

/* ---- archive output ---- */
enum archive_kind { ARCHIVE_TAR, ARCHIVE_TAR_GZ, ARCHIVE_TAR_ZST, ARCHIVE_ZIP };
enum archive_kind archive_kind_from_name(const char *name);

struct bag_writer;
/* Entries must be added in sorted path order; parent directories are implied. */
enum dossier_status bag_writer_open(struct bag_writer **out, int fd, enum archive_kind kind,
    const char *top, int64_t mtime, struct dossier_error *err);
enum dossier_status bag_writer_add_mem(struct bag_writer *w, const char *path,
    const void *data, size_t len, struct dossier_error *err);
/* Copies size bytes from fd, hashing on the way; fails if the file changes size. */
enum dossier_status bag_writer_add_fd(struct bag_writer *w, const char *path, int fd,
    uint64_t size, const char *source, uint8_t digest[32], struct dossier_error *err);
/* Writes an input already read whole (prefetch.c) behind plen bytes of prefix. Its
   digest is the caller's to make (the read-ahead thread may have made it already).
   Progress as add_fd. */
enum dossier_status bag_writer_add_bytes(struct bag_writer *w, const char *path,
    const char *prefix, size_t plen, const void *data, size_t len, struct dossier_error *err);
/* The next bag_writer_add_fd also hands its bytes to scan (warc.h): one read of a
   WARC snapshot both packs and checks it. */
struct warc_scan;
void bag_writer_set_warc(struct bag_writer *w, struct warc_scan *scan);
/* The same, with plen bytes of prefix (at most a few hundred) written and hashed before
   the file's bytes: the salt line of a redactable file. */
enum dossier_status bag_writer_add_fd_prefixed(struct bag_writer *w, const char *path,
    const char *prefix, size_t plen, int fd, uint64_t size, const char *source, uint8_t digest[32],
    struct dossier_error *err);
/* Starts an entry whose data arrives through bag_writer_data. */
enum dossier_status bag_writer_begin(struct bag_writer *w, const char *path, uint64_t size,
    struct dossier_error *err);
enum dossier_status bag_writer_data(struct bag_writer *w, const void *data, size_t len,
    struct dossier_error *err);
/* The mtime of the entries written from now on (a rewrite keeps each entry's own). */
void bag_writer_set_mtime(struct bag_writer *w, int64_t mtime);
/* Reports the input bytes of bag_writer_add_fd and _add_bytes to p (may be NULL); p outlives w. */
void bag_writer_set_progress(struct bag_writer *w, struct progress *p);
enum dossier_status bag_writer_close(struct bag_writer *w, struct dossier_error *err);
void bag_writer_free(struct bag_writer *w);

/* ---- bundle input: one pass over an archive or a bag directory ---- */
enum entry_type { ENTRY_FILE, ENTRY_DIR, ENTRY_OTHER };

struct entry {
	const char *path; /* relative to the bag root, validated */
	const char *raw;  /* as stored in the archive */
	enum entry_type type;
	const char *type_name; /* "symlink", "hardlink", ... for ENTRY_OTHER */
	uint64_t size;
	int64_t mtime;
};

/* Called for each entry; read its data with entry_read. Return non-OK to stop. */
struct bag_reader;
typedef enum dossier_status (*entry_fn)(void *ctx, struct bag_reader *r,
    const struct entry *e, struct dossier_error *err);
/* Returns >0 bytes read, 0 at the end of the entry, <0 on error (err filled). */
ssize_t entry_read(struct bag_reader *r, void *buf, size_t len, struct dossier_error *err);
struct aside;
struct read_options {
	const struct dossier_limits *limits; /* NULL: the defaults */
	struct progress *progress;           /* NULL: none; bytes of the archive file read */
	/* Non-NULL: the large files of an uncompressed tar may be hashed by a second reader
	   (aside.c), handed back here, when nobody needs their bytes; see entry_aside. */
	struct aside **aside;
	/* Non-NULL: an archive file's own size and SHA-256 (filetap.c), left unhashed for
	   a bag directory */
	struct file_digest *file;
};
/* Walks every entry of an archive ("-": stdin) or a bag directory; opt may be NULL. */
enum dossier_status bag_read(const char *path, const struct read_options *opt, entry_fn fn,
    void *ctx, char **top, enum archive_kind *kind, struct dossier_error *err);
/* Whether the second reader hashes this entry: then its data is skipped here (counted
   all the same) and *ticket names its digest for aside_digest. 0 if not, <0 on error. */
int entry_aside(struct bag_reader *r, const struct entry *e, uint64_t *ticket,
    struct dossier_error *err);
/* The formats and filters a bundle may use, on a new read handle: 0 or -1. */
struct archive;
int archive_in_setup(struct archive *a);

/* ---- the archive file's own digest, as it is read (filetap.c) ---- */
struct file_digest {
	int hashed;         /* 0 for a bag directory */
	uint64_t size;
	uint8_t sha256[32];
};
struct filetap;
/* Makes libarchive read fd through the tap (read and seek callbacks); then open it with
   archive_read_open1. 0, or -1 when out of memory. */
int filetap_open(struct filetap **out, struct archive *a, int fd);
/* After the last entry: reads the rest of the file and gives its digest. */
enum dossier_status filetap_finish(struct filetap *t, const char *name, struct file_digest *out,
    struct dossier_error *err);
void filetap_free(struct filetap *t);

/* ---- the second reader (aside.c) ---- */
#define ASIDE_MIN (4u << 20) /* smaller files are not worth a thread's round trip */
/* Each reader keeps the bytes it and the other reader were given, in the same order. */
struct split {
	uint64_t ours, theirs;
};
struct archive_entry;
/* The rule both readers apply, at each header in turn: 1 if the second reader hashes
   the entry. s is the caller's own side of the split. */
int aside_takes(struct split *s, struct archive *a, struct archive_entry *ae, uint64_t file_size);
/* Starts the second reader on fd (borrowed; read with pread, never moved). */
enum dossier_status aside_start(struct aside **out, int fd, uint64_t file_size, const char *name,
    struct dossier_error *err);
struct split *aside_split(struct aside *s);
/* Waits for the second reader; its failure, if any. */
enum dossier_status aside_finish(struct aside *s, struct dossier_error *err);
/* The digest of entry number ordinal (1-based, as both readers count), which must have
   size bytes, after aside_finish. */
enum dossier_status aside_digest(const struct aside *s, uint64_t ordinal, uint64_t size,
    uint8_t digest[32], struct dossier_error *err);
void aside_free(struct aside *s);

/* ---- the in-memory model of a bundle (bundle.c) ---- */
struct payload_entry {
	char *path;
	uint64_t size;
	uint8_t digest[32];
	uint64_t ticket; /* while reading: hashed by the second reader, or 0 */
	struct warc_summary *warc; /* a .warc or .warc.gz file read on the way, or NULL */
};
struct tag_entry {
	char *path;
	struct buf content;
	uint8_t digest[32];
};
struct problem {
	enum dossier_finding_kind kind;
	const char *code;
	char *entry;
	char *message;
};
struct dossier_bundle {
	char *name; /* the top directory */
	enum archive_kind kind;
	int is_dir;
	struct payload_entry *payload;
	size_t npayload, cappayload;
	struct tag_entry *tags;
	size_t ntags, captags;
	struct problem *problems; /* structural problems met while reading */
	size_t nproblems, capproblems;
	int64_t mtime; /* of the newest entry, reused when rewriting */
	struct dossier_limits limits;
	/* optional tee for extract: called with each payload/tag chunk */
	enum dossier_status (*sink)(void *ctx, const struct entry *e, const void *data,
	    size_t len, int end, struct dossier_error *err);
	void *sink_ctx;
	const struct dossier_progress *progress; /* optional, while reading */
	char *source;             /* the path it was read from; "-" for stdin */
	struct file_digest file;  /* that file's own digest (not for a bag directory) */
	int no_file_digest;       /* set before reading: nobody asks for the file's digest */
};
enum dossier_status bundle_read(const char *path, struct dossier_bundle *b,
    struct dossier_error *err);
void bundle_release(struct dossier_bundle *b);
/* dossier_bundle_open without the file's own SHA-256 (filetap.c): for a bundle read to
   be rewritten, where no report names the file. */
enum dossier_status bundle_open_undigested(const char *path, struct dossier_bundle **out,
    struct dossier_error *err);
const struct tag_entry *bundle_tag(const struct dossier_bundle *b, const char *path);
int bundle_problem(struct dossier_bundle *b, enum dossier_finding_kind kind, const char *code,
    const char *entry, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Copies a bundle to a new archive of the same kind, adding files (sorted merge). */
struct added_file {
	const char *path;
	const char *data;
	size_t len;
};
/* A copy of the bundle at path (read as b) written atomically to output: entries in
   drop (sorted) left out, add merged in. */
struct bundle_copy_spec {
	const char *output;
	enum archive_kind kind;
	int force;
	mode_t mode;
	const struct added_file *add;
	size_t nadd;
	const char *const *drop;
	size_t ndrop;
};
enum dossier_status bundle_copy(const char *path, const struct dossier_bundle *b,
    const struct bundle_copy_spec *spec, struct dossier_error *err);
/* Serializes writers of one bundle (two co-signers at once): an exclusive flock on
   the file that is at path when the lock is granted. Release with bundle_unlock. */
enum dossier_status bundle_lock(const char *path, int *fd, struct dossier_error *err);
void bundle_unlock(int fd);
/* Opens a bundle to add to it: refuses one with any invalid finding (signing or
   stamping vouches for the bytes), saying "refusing to VERB a damaged bundle". id
   gets dossier.json's id, or "". */
enum dossier_status bundle_open_intact(const char *path, const char *verb, struct dossier_bundle **b,
    char id[64], struct dossier_error *err);
enum dossier_status bundle_rewrite(const char *path, const struct dossier_bundle *b,
    const struct added_file *add, size_t nadd, struct dossier_error *err);

/* ---- redaction (FORMAT.md, "Redaction") ---- */
/* A redactable file is stored as SALT_LINE bytes, 64 lowercase hex digits of a random
   256-bit salt and "\n", then its own bytes, under its name with SALTED_SUFFIX. */
#define SALT_LINE 65
#define SALTED_SUFFIX ".salted"
/* The salt line: fresh random bytes each call. */
void salt_line_make(char out[SALT_LINE + 1]);

/* ---- json helpers (cJSON with limits) ---- */
struct cJSON;
/* Parses text of at most LIMIT_TAGFILE bytes, depth-limited, no trailing data,
   no duplicate keys. NULL with err filled on failure. */
struct cJSON *json_parse_strict(const char *name, const char *text, size_t len,
    struct dossier_error *err);
/* Renders with two-space indentation and a final newline. Caller frees. */
char *json_render(const struct cJSON *json);

/* ---- dossier.json ---- */
enum dossier_status dossier_json_check(const char *name, const struct cJSON *doc,
    struct dossier_error *err);

/* ---- time ---- */
void format_rfc3339(int64_t t, char out[32]);   /* 2020-10-16T00:00:00Z */
int parse_date(const char *s, int64_t *out);    /* YYYY-MM-DD to 00:00 UTC */
int parse_rfc3339(const char *s, int64_t *out); /* YYYY-MM-DDThh:mm:ssZ */

/* ---- keys ---- */
/* The Ed25519 secret key and its key number, or NULL while the key is still sealed. */
const uint8_t *seckey_sk(const struct dossier_seckey *key, const uint8_t **keynum);
void keyid_format(const uint8_t keynum[8], char out[17]);
/* The public half of a secret key (unlocked or not: the key number is in the clear
   only after unlocking, so call it after dossier_seckey_unlock). */
int seckey_pubkey(const struct dossier_seckey *key, struct dossier_pubkey *out);
/* The base64 line of a public key file ("RW..."), NUL-terminated. */
void pubkey_base64(const struct dossier_pubkey *key, char out[64]);
int keyid_parse(const char *hex, uint8_t keynum[8]);

#endif
