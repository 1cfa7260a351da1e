/* keys.c - minisign public and secret key files, byte for byte. */
#include <ctype.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define COMMENT_PREFIX "untrusted comment: "
#define PUBKEY_BLOB 42  /* "Ed" keynum[8] pk[32] */
#define SECKEY_BLOB 158 /* see struct seckey_blob */

/* The layout minisign writes, field by field (no padding: all byte arrays). */
struct seckey_blob {
	uint8_t sig_alg[2];
	uint8_t kdf_alg[2];
	uint8_t chk_alg[2];
	uint8_t kdf_salt[32];
	uint8_t opslimit_le[8];
	uint8_t memlimit_le[8];
	uint8_t keynum[8]; /* keynum, sk and chk are what the scrypt stream covers */
	uint8_t sk[64];
	uint8_t chk[32];
};

_Static_assert(sizeof(struct seckey_blob) == SECKEY_BLOB, "minisign secret key layout");

struct dossier_seckey {
	struct seckey_blob blob;
	int encrypted; /* still sealed */
};

void keyid_format(const uint8_t keynum[8], char out[17])
{
	/* minisign prints the key number as a little-endian integer in hex. */
	static const char digits[] = "0123456789ABCDEF";
	for (int i = 0; i < 8; i++) {
		out[2 * i] = digits[keynum[7 - i] >> 4];
		out[2 * i + 1] = digits[keynum[7 - i] & 15];
	}
	out[16] = '\0';
}

int keyid_parse(const char *hex, uint8_t keynum[8])
{
	if (strlen(hex) != 16)
		return -1;
	for (int i = 0; i < 8; i++) {
		unsigned v;
		char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };
		if (strspn(two, "0123456789ABCDEF") != 2 || sscanf(two, "%2X", &v) != 1)
			return -1;
		keynum[7 - i] = (uint8_t)v;
	}
	return 0;
}

static void le64_store(uint8_t out[8], uint64_t v)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le64_load(const uint8_t in[8])
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | in[i];
	return v;
}

/* Splits "untrusted comment: ...\n<base64>\n" and decodes the base64 line. */
static enum dossier_status parse_two_lines(const char *what, const char *text, size_t len,
    char *comment, size_t comment_len, uint8_t *bin, size_t bin_len,
    struct dossier_error *err)
{
	size_t plen = strlen(COMMENT_PREFIX);
	const char *nl = memchr(text, '\n', len);
	if (len < plen || memcmp(text, COMMENT_PREFIX, plen) != 0 || nl == NULL)
		return dossier_fail(err, DOSSIER_INVALID, "%s: first line is not an untrusted comment", what);
	size_t clen = (size_t)(nl - text) - plen;
	if (clen > 0 && text[plen + clen - 1] == '\r')
		clen--;
	if (comment != NULL) {
		if (clen >= comment_len)
			clen = comment_len - 1;
		memcpy(comment, text + plen, clen);
		comment[clen] = '\0';
	}
	const char *b64 = nl + 1;
	size_t rest = len - (size_t)(b64 - text);
	size_t blen = 0;
	while (blen < rest && b64[blen] != '\n' && b64[blen] != '\r')
		blen++;
	/* Nothing but line endings may follow the key line. */
	for (size_t i = blen; i < rest; i++)
		if (b64[i] != '\n' && b64[i] != '\r')
			return dossier_fail(err, DOSSIER_INVALID, "%s: unexpected data after the key", what);
	size_t got = 0;
	if (sodium_base642bin(bin, bin_len, b64, blen, NULL, &got, NULL,
	        sodium_base64_VARIANT_ORIGINAL) != 0 || got != bin_len)
		return dossier_fail(err, DOSSIER_INVALID, "%s: key line is not valid base64 of %zu bytes", what, bin_len);
	return DOSSIER_OK;
}

/* Whether a word of the comment (a run of letters and digits) is a key id, 16 hex
   digits, other than keyid: minisign and keygen write the key's id there, and a name
   next to another person's id is how a key is passed off as theirs. */
static int comment_claims_other_keyid(const char *comment, const char *keyid, char claimed[17])
{
	for (const char *p = comment; *p;) {
		size_t n = 0;
		while (isalnum((unsigned char)p[n]))
			n++;
		if (n == 16 && strspn(p, "0123456789ABCDEFabcdef") >= 16) {
			for (size_t i = 0; i < 16; i++)
				claimed[i] = (char)toupper((unsigned char)p[i]);
			claimed[16] = '\0';
			if (strcmp(claimed, keyid) != 0)
				return 1;
		}
		p += n ? n : 1;
	}
	return 0;
}

/* The mistake of passing a file of another kind for a key, named (exit 65). */
static enum dossier_status not_a_key(enum file_kind want, enum file_kind kind, struct dossier_error *err)
{
	if (want == KIND_PUBKEY && kind == KIND_SECKEY)
		return dossier_fail(err, DOSSIER_DATAERR, "this is a secret key; pass the .pub file (the public key)");
	if (want == KIND_SECKEY && kind == KIND_PUBKEY)
		return dossier_fail(err, DOSSIER_DATAERR, "this is a public key; pass the secret key (the .key file)");
	return dossier_fail(err, DOSSIER_DATAERR, "not a %s key (%s)", want == KIND_PUBKEY ? "public" : "secret",
	    file_kind_name(kind));
}

/* A key that does not parse: a mistake when the text is something else we can name,
   else the parser's complaint st stands (a damaged key). */
static enum dossier_status wrong_kind(const char *text, size_t len, enum file_kind want,
    enum dossier_status st, struct dossier_error *err)
{
	enum file_kind kind = file_kind(text, len);
	/* text, or nothing at all, is more likely a damaged key than another kind of file */
	int named = kind != want && kind != KIND_UNKNOWN && kind != KIND_TEXT && kind != KIND_EMPTY;
	return named ? not_a_key(want, kind, err) : st;
}

/* err's message with "path: " in front. */
static enum dossier_status with_path(const char *path, struct dossier_error *err)
{
	char reason[sizeof err->message];
	snprintf(reason, sizeof reason, "%s", err->message);
	return dossier_fail(err, err->code, "%s: %s", path, reason);
}

/* Reads a key file; a file too large for one is named for what it is, when it can be. */
static enum dossier_status read_key_file(const char *path, enum file_kind want, struct buf *b,
    struct dossier_error *err)
{
	enum dossier_status st = read_small_file(path, 4096, b, err);
	if (st != DOSSIER_INVALID)
		return st;
	char head[SNIFF_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, head, sizeof head) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0 || wrong_kind(head, (size_t)n, want, st, err) != DOSSIER_DATAERR)
		return st; /* as read_small_file said */
	return with_path(path, err);
}

enum dossier_status dossier_pubkey_parse(const char *text, size_t len,
    struct dossier_pubkey *out, struct dossier_error *err)
{
	uint8_t blob[PUBKEY_BLOB];
	memset(out, 0, sizeof *out);
	enum dossier_status st = parse_two_lines("public key", text, len, out->comment,
	    sizeof out->comment, blob, sizeof blob, err);
	if (st != DOSSIER_OK)
		return wrong_kind(text, len, KIND_PUBKEY, st, err);
	if (memcmp(blob, "Ed", 2) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "public key: unsupported algorithm");
	memcpy(out->keynum, blob + 2, 8);
	memcpy(out->pk, blob + 10, 32);
	keyid_format(out->keynum, out->keyid);
	/* A non-canonical or small-order point would let one signature verify for many
	   messages or keys: such a "key" is refused before it can vouch for anything. */
	if (!crypto_core_ed25519_is_valid_point(out->pk))
		return dossier_fail(err, DOSSIER_INVALID,
		    "public key %s: not a valid Ed25519 point (small order or not canonical)", out->keyid);
	char claimed[17];
	if (comment_claims_other_keyid(out->comment, out->keyid, claimed))
		return dossier_fail(err, DOSSIER_INVALID,
		    "public key %s: its comment names key id %s; the file was edited or mixed up with another key's",
		    out->keyid, claimed);
	return DOSSIER_OK;
}

enum dossier_status dossier_pubkey_load(const char *path, struct dossier_pubkey *out,
    struct dossier_error *err)
{
	struct buf b = { 0 };
	enum dossier_status st = read_key_file(path, KIND_PUBKEY, &b, err);
	if (st == DOSSIER_OK && (st = dossier_pubkey_parse(b.data, b.len, out, err)) != DOSSIER_OK)
		with_path(path, err);
	buf_release(&b);
	return st;
}

void dossier_pubkey_name(const struct dossier_pubkey *key, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", key->name);
}

void dossier_pubkey_comment_name(const struct dossier_pubkey *key, char *out, size_t outlen)
{
	/* keygen writes "dossier public key <KEYID> <name>" */
	const char *prefix = "dossier public key ";
	out[0] = '\0';
	if (strncmp(key->comment, prefix, strlen(prefix)) != 0)
		return;
	const char *p = key->comment + strlen(prefix);
	if (strlen(p) <= 17 || p[16] != ' ')
		return;
	snprintf(out, outlen, "%s", p + 17);
}

enum dossier_status dossier_seckey_load(const char *path, struct dossier_seckey **out,
    struct dossier_error *err)
{
	struct buf b = { 0 };
	struct stat sb;
	*out = NULL;
	enum dossier_status st = read_key_file(path, KIND_SECKEY, &b, err);
	if (st != DOSSIER_OK)
		return st;
	struct dossier_seckey *key = sodium_malloc(sizeof *key);
	if (key == NULL) {
		sodium_memzero(b.data, b.len);
		buf_release(&b);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	st = parse_two_lines(path, b.data, b.len, NULL, 0, (uint8_t *)&key->blob,
	    sizeof key->blob, err);
	if (st != DOSSIER_OK && (st = wrong_kind(b.data, b.len, KIND_SECKEY, st, err)) == DOSSIER_DATAERR)
		with_path(path, err);
	sodium_memzero(b.data, b.len);
	buf_release(&b);
	if (st == DOSSIER_OK && memcmp(key->blob.sig_alg, "Ed", 2) != 0)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: unsupported signature algorithm", path);
	if (st == DOSSIER_OK && memcmp(key->blob.chk_alg, "B2", 2) != 0)
		st = dossier_fail(err, DOSSIER_INVALID, "%s: unsupported checksum algorithm", path);
	if (st == DOSSIER_OK) {
		if (memcmp(key->blob.kdf_alg, "Sc", 2) == 0)
			key->encrypted = 1;
		else if (memcmp(key->blob.kdf_alg, "\0\0", 2) == 0)
			key->encrypted = 0;
		else
			st = dossier_fail(err, DOSSIER_INVALID, "%s: unsupported key derivation", path);
	}
	/* A secret key others can read is a key others may have copied: refuse to use it,
	   as ssh does, instead of signing with a key that may no longer be secret. */
	if (st == DOSSIER_OK && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0077) != 0)
		st = dossier_fail(err, DOSSIER_NOINPUT,
		    "%s: secret key is accessible by group or others (mode %04o); run 'chmod 600 %s'", path,
		    (unsigned)(sb.st_mode & 07777), path);
	if (st != DOSSIER_OK) {
		sodium_free(key);
		return st;
	}
	*out = key;
	return DOSSIER_OK;
}

int dossier_seckey_encrypted(const struct dossier_seckey *key)
{
	return key->encrypted;
}

static void compute_chk(const struct seckey_blob *b, uint8_t chk[32])
{
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, 32);
	crypto_generichash_update(&hs, b->sig_alg, 2);
	crypto_generichash_update(&hs, b->keynum, 8);
	crypto_generichash_update(&hs, b->sk, 64);
	crypto_generichash_final(&hs, chk, 32);
}

/* XORs keynum||sk||chk with the scrypt stream of the passphrase (both ways). */
static int apply_kdf(struct seckey_blob *b, const char *passphrase)
{
	const size_t n = 8 + 64 + 32;
	uint8_t *stream = sodium_malloc(n);
	if (stream == NULL)
		return -1;
	int rc = crypto_pwhash_scryptsalsa208sha256(stream, n, passphrase, strlen(passphrase),
	    b->kdf_salt, le64_load(b->opslimit_le), (size_t)le64_load(b->memlimit_le));
	if (rc == 0) {
		uint8_t *p = b->keynum;
		for (size_t i = 0; i < n; i++)
			p[i] ^= stream[i];
	}
	sodium_free(stream);
	return rc;
}

enum dossier_status dossier_seckey_unlock(struct dossier_seckey *key, const char *passphrase,
    struct dossier_error *err)
{
	uint8_t chk[32];
	if (key->encrypted) {
		if (passphrase == NULL)
			return dossier_fail(err, DOSSIER_USAGE, "secret key is encrypted; a passphrase is needed");
		if (le64_load(key->blob.memlimit_le) > ((uint64_t)4 << 30))
			return dossier_fail(err, DOSSIER_INVALID, "secret key: scrypt memory limit too large");
		if (apply_kdf(&key->blob, passphrase) != 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "secret key: key derivation failed (out of memory?)");
		compute_chk(&key->blob, chk);
		if (sodium_memcmp(chk, key->blob.chk, 32) != 0) {
			/* Seal it again so a retry starts from the stored bytes. */
			apply_kdf(&key->blob, passphrase);
			sodium_memzero(chk, sizeof chk);
			return dossier_fail(err, DOSSIER_INVALID, "wrong passphrase for this secret key");
		}
		key->encrypted = 0;
		memcpy(key->blob.kdf_alg, "\0\0", 2);
	} else {
		/* minisign -W leaves the checksum zero; when present, hold it to account. */
		static const uint8_t zero[32];
		compute_chk(&key->blob, chk);
		if (sodium_memcmp(key->blob.chk, zero, 32) != 0 &&
		    sodium_memcmp(chk, key->blob.chk, 32) != 0) {
			sodium_memzero(chk, sizeof chk);
			return dossier_fail(err, DOSSIER_INVALID, "secret key: checksum mismatch (damaged key file)");
		}
	}
	sodium_memzero(chk, sizeof chk);
	return DOSSIER_OK;
}

void dossier_seckey_keyid(const struct dossier_seckey *key, char out[17])
{
	keyid_format(key->blob.keynum, out);
}

void dossier_seckey_free(struct dossier_seckey *key)
{
	if (key != NULL)
		sodium_free(key); /* sodium_free wipes before releasing */
}

const uint8_t *seckey_sk(const struct dossier_seckey *key, const uint8_t **keynum)
{
	if (key->encrypted)
		return NULL;
	*keynum = key->blob.keynum;
	return key->blob.sk;
}

int seckey_pubkey(const struct dossier_seckey *key, struct dossier_pubkey *out)
{
	if (key->encrypted)
		return -1;
	memset(out, 0, sizeof *out);
	memcpy(out->keynum, key->blob.keynum, 8);
	/* libsodium's Ed25519 secret key is seed || public key */
	memcpy(out->pk, key->blob.sk + 32, 32);
	keyid_format(out->keynum, out->keyid);
	return 0;
}

void pubkey_base64(const struct dossier_pubkey *key, char out[64])
{
	uint8_t blob[PUBKEY_BLOB];
	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, key->keynum, 8);
	memcpy(blob + 10, key->pk, 32);
	sodium_bin2base64(out, 64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
}

static enum dossier_status write_key_file(const char *path, const char *comment,
    const uint8_t *blob, size_t blob_len, mode_t mode, int force, struct dossier_error *err)
{
	struct atomic_file f;
	enum dossier_status st = atomic_open(&f, path, force, mode, err);
	if (st != DOSSIER_OK)
		return st;
	size_t b64len = sodium_base64_ENCODED_LEN(blob_len, sodium_base64_VARIANT_ORIGINAL);
	char *text = sodium_malloc(strlen(COMMENT_PREFIX) + strlen(comment) + b64len + 4);
	if (text == NULL) {
		atomic_abort(&f);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	size_t n = (size_t)sprintf(text, "%s%s\n", COMMENT_PREFIX, comment);
	sodium_bin2base64(text + n, b64len, blob, blob_len, sodium_base64_VARIANT_ORIGINAL);
	n += strlen(text + n);
	text[n++] = '\n';
	st = write_all(f.fd, text, n, path, err);
	sodium_free(text);
	if (st == DOSSIER_OK && fchmod(f.fd, mode) != 0)
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", path);
	if (st != DOSSIER_OK) {
		atomic_abort(&f);
		return st;
	}
	return atomic_commit(&f, err);
}

enum dossier_status dossier_keygen(const char *basepath, const char *name,
    const char *passphrase, int force, char keyid[17], struct dossier_error *err)
{
	enum dossier_status st;
	char *skpath = NULL, *pkpath = NULL;
	char comment[512];
	uint8_t pub[PUBKEY_BLOB];
	struct seckey_blob *b = sodium_malloc(sizeof *b);
	size_t n = strlen(basepath) + 5;
	skpath = malloc(n);
	pkpath = malloc(n);
	if (b == NULL || skpath == NULL || pkpath == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if (name != NULL && strpbrk(name, "\r\n") != NULL) {
		st = dossier_fail(err, DOSSIER_USAGE, "--name must be one line");
		goto out;
	}
	snprintf(skpath, n, "%s.key", basepath);
	snprintf(pkpath, n, "%s.pub", basepath);
	struct stat sb;
	if (!force && (lstat(skpath, &sb) == 0 || lstat(pkpath, &sb) == 0)) {
		st = dossier_fail(err, DOSSIER_CANTCREAT,
		    "%s: key files already exist; refusing to overwrite (use --force)", basepath);
		goto out;
	}
	memset(b, 0, sizeof *b);
	uint8_t pk[32];
	randombytes_buf(b->keynum, sizeof b->keynum);
	crypto_sign_keypair(pk, b->sk);
	memcpy(b->sig_alg, "Ed", 2);
	memcpy(b->chk_alg, "B2", 2);
	compute_chk(b, b->chk);
	/* Key id and public key come from the plain key number, before it is sealed. */
	keyid_format(b->keynum, keyid);
	memcpy(pub, "Ed", 2);
	memcpy(pub + 2, b->keynum, 8);
	memcpy(pub + 10, pk, 32);
	if (passphrase != NULL) {
		memcpy(b->kdf_alg, "Sc", 2);
		randombytes_buf(b->kdf_salt, sizeof b->kdf_salt);
		le64_store(b->opslimit_le, crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE);
		le64_store(b->memlimit_le, crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE);
		if (apply_kdf(b, passphrase) != 0) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "key derivation failed (out of memory?)");
			goto out;
		}
	}
	snprintf(comment, sizeof comment, "dossier %ssecret key %s%s%s",
	    passphrase ? "encrypted " : "", keyid, name && *name ? " " : "", name ? name : "");
	st = write_key_file(skpath, comment, (const uint8_t *)b, sizeof *b, 0600, force, err);
	if (st != DOSSIER_OK)
		goto out;
	snprintf(comment, sizeof comment, "dossier public key %s%s%s", keyid,
	    name && *name ? " " : "", name ? name : "");
	st = write_key_file(pkpath, comment, pub, sizeof pub, 0644, force, err);
	if (st != DOSSIER_OK)
		unlink(skpath); /* never leave half a key pair */
out:
	if (b != NULL)
		sodium_free(b);
	free(skpath);
	free(pkpath);
	return st;
}
