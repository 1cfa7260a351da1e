/* test_keys.c - minisign key files: known-answer vectors from stock minisign 0.11, keygen, unlock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "dossier.h"


#define PUB_BLOB 42
#define SEC_BLOB 158
/* offsets inside the secret key blob (minisign's layout) */
#define SK_SIG_ALG 0
#define SK_KDF_ALG 2
#define SK_CHK_ALG 4
#define SK_SALT 6
#define SK_OPS 38
#define SK_MEM 46
#define SK_KEYNUM 54
#define SK_SK 62
#define SK_CHK 126


/* ---- a fresh temp dir for every test that writes files ---- */

static char *in_dir(void **state, const char *name)
{
	/* a few live at once within one test */
	static char path[16][512];
	static int next;
	char *p = path[next++ % 16];
	snprintf(p, sizeof path[0], "%s/%s", (const char *)*state, name);
	return p;
}

static int file_mode(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return -1;
	return (int)(sb.st_mode & 07777);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

/* ---- key text surgery: decode the base64 line, change bytes, encode again ---- */

static size_t decode_key_line(const char *text, uint8_t *bin, size_t max)
{
	const char *line = strchr(text, '\n') + 1;
	size_t n = strcspn(line, "\r\n"), got = 0;
	assert_int_equal(sodium_base642bin(bin, max, line, n, NULL, &got, NULL,
	                     sodium_base64_VARIANT_ORIGINAL), 0);
	return got;
}

static char *encode_key(const char *comment, const uint8_t *bin, size_t len)
{
	size_t b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(strlen(comment) + b64 + 32);
	assert_non_null(out);
	int n = sprintf(out, "untrusted comment: %s\n", comment);
	sodium_bin2base64(out + n, b64, bin, len, sodium_base64_VARIANT_ORIGINAL);
	strcat(out, "\n");
	return out;
}

static void vec_seckey_blob(uint8_t blob[SEC_BLOB])
{
	assert_int_equal(decode_key_line(vec_key, blob, SEC_BLOB), SEC_BLOB);
}

/* minisign's checksum: BLAKE2b-256 over sig_alg, keynum and the secret key. */
static void minisign_chk(const uint8_t blob[SEC_BLOB], uint8_t out[32])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, blob + SK_SIG_ALG, 2);
	crypto_generichash_update(&st, blob + SK_KEYNUM, 8);
	crypto_generichash_update(&st, blob + SK_SK, 64);
	crypto_generichash_final(&st, out, 32);
}

static void le64(uint8_t *out, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

/*
 * The vector key, encrypted the way minisign does it (scrypt stream XORed over
 * keynum, sk and chk) but with the cheapest scrypt parameters, so that unlock
 * runs in milliseconds. memlimit is what the file claims.
 */
static char *cheap_encrypted_key(const char *passphrase, uint64_t memlimit)
{
	uint8_t blob[SEC_BLOB], stream[104];
	vec_seckey_blob(blob);
	memcpy(blob + SK_KDF_ALG, "Sc", 2);
	randombytes_buf(blob + SK_SALT, 32);
	le64(blob + SK_OPS, crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN);
	le64(blob + SK_MEM, memlimit);
	minisign_chk(blob, blob + SK_CHK);
	assert_int_equal(crypto_pwhash_scryptsalsa208sha256(stream, sizeof stream, passphrase,
	                     strlen(passphrase), blob + SK_SALT,
	                     crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN,
	                     crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN), 0);
	for (size_t i = 0; i < sizeof stream; i++)
		blob[SK_KEYNUM + i] ^= stream[i];
	return encode_key("minisign encrypted secret key", blob, sizeof blob);
}

/* Signs msg with key, verifies against pub; both must succeed. */
static void sign_and_verify(const struct dossier_seckey *key, const struct dossier_pubkey *pub)
{
	static const char msg[] = "tagmanifest bytes\n";
	struct dossier_sig sig;
	struct dossier_error err;
	char *text = NULL;
	if (dossier_sig_create(key, msg, strlen(msg), "unit test", &text, &err) != DOSSIER_OK)
		fail_msg("sig_create: %s", err.message);
	assert_int_equal(dossier_sig_parse(text, strlen(text), &sig, &err), DOSSIER_OK);
	if (dossier_sig_verify(&sig, pub, msg, strlen(msg), &err) != DOSSIER_OK)
		fail_msg("sig_verify: %s", err.message);
	free(text);
}

static void parse_pub(const char *text, struct dossier_pubkey *pk)
{
	struct dossier_error err;
	if (dossier_pubkey_parse(text, strlen(text), pk, &err) != DOSSIER_OK)
		fail_msg("pubkey_parse: %s", err.message);
}

static void pub_bad(const char *text, size_t len, const char *reason)
{
	struct dossier_pubkey pk;
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	if (dossier_pubkey_parse(text, len, &pk, &err) != DOSSIER_INVALID)
		fail_msg("accepted bad public key (want \"%s\"): %s", reason, text);
	assert_int_equal(err.code, DOSSIER_INVALID);
	assert_contains(err.message, reason);
}

/* ---- public keys ---- */

static void pubkey_known_answer(void **state)
{
	static const uint8_t keynum[8] = { 0x9d, 0xb2, 0x5b, 0xe5, 0x80, 0xd6, 0x3b, 0x27 };
	struct dossier_pubkey pk;
	uint8_t blob[PUB_BLOB];
	(void)state;
	parse_pub(vec_pub, &pk);
	/* minisign prints the little-endian key number in uppercase hex */
	assert_string_equal(pk.keyid, VEC_KEYID);
	assert_memory_equal(pk.keynum, keynum, 8);
	assert_int_equal(decode_key_line(vec_pub, blob, sizeof blob), PUB_BLOB);
	assert_memory_equal(pk.pk, blob + 10, 32);
	assert_string_equal(pk.comment, "minisign public key " VEC_KEYID);
	parse_pub(vec_pub2, &pk);
	assert_string_equal(pk.keyid, VEC_KEYID2);
}

static void pubkey_accepts_crlf(void **state)
{
	struct dossier_pubkey pk;
	(void)state;
	parse_pub("untrusted comment: minisign public key 273BD680E55BB29D\r\n"
	          "RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\r\n", &pk);
	assert_string_equal(pk.keyid, VEC_KEYID);
	assert_string_equal(pk.comment, "minisign public key " VEC_KEYID);
	/* no final newline at all is fine too */
	parse_pub("untrusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk", &pk);
	assert_string_equal(pk.keyid, VEC_KEYID);
}

static void pubkey_rejects_bad_comment_line(void **state)
{
	(void)state;
	pub_bad("", 0, "first line is not an untrusted comment");
	pub_bad("RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n", 57,
	    "first line is not an untrusted comment");
	pub_bad("trusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n", 76,
	    "first line is not an untrusted comment");
	pub_bad("untrusted comment: no key line", 30, "first line is not an untrusted comment");
}

static void pubkey_rejects_bad_base64(void **state)
{
	static const char *const bad[] = {
		"untrusted comment: x\n!!!!\n",
		"untrusted comment: x\n\n",
		/* truncated by 4 characters (3 bytes) */
		"untrusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W\n",
		/* 3 bytes too many */
		"untrusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljkAAAA\n",
		/* the URL-safe alphabet is not minisign's */
		"untrusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5lj_\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		pub_bad(bad[i], strlen(bad[i]), "public key: key line is not valid base64 of 42 bytes");
}

static void pubkey_rejects_wrong_algorithm(void **state)
{
	uint8_t blob[PUB_BLOB];
	(void)state;
	decode_key_line(vec_pub, blob, sizeof blob);
	blob[1] = 'D'; /* "ED" is a signature algorithm, never a key's */
	char *text = encode_key("x", blob, sizeof blob);
	pub_bad(text, strlen(text), "public key: unsupported algorithm");
	free(text);
}

static void pubkey_rejects_trailing_data(void **state)
{
	static const char text[] =
		"untrusted comment: x\n"
		"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n"
		"RWRjywSsbiFC9Nj7ATvbYv1KWZ+eSTdRj4rRUHnSLSZAxx+ZTeSZKxKe\n";
	(void)state;
	pub_bad(text, strlen(text), "unexpected data after the key");
	pub_bad("untrusted comment: x\nRWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n\nx", 80,
	    "unexpected data after the key");
}

/* The base64 key line of "Ed" || keynum || pk, for crafted points. */
static char *pub_text_for(const uint8_t pk[32])
{
	uint8_t blob[42] = { 'E', 'd', 1, 2, 3, 4, 5, 6, 7, 8 };
	char b64[64];
	memcpy(blob + 10, pk, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	char *text = malloc(128);
	assert_non_null(text);
	snprintf(text, 128, "untrusted comment: crafted\n%s\n", b64);
	return text;
}

static void pubkey_rejects_small_order_and_non_canonical(void **state)
{
	/* the identity (y = 1), a point of order 2 (y = -1), and y = p (non-canonical 0) */
	uint8_t points[3][32] = { { 1 }, { 0 }, { 0 } };
	(void)state;
	points[1][0] = 0xEC;
	memset(points[1] + 1, 0xFF, 30);
	points[1][31] = 0x7F;
	points[2][0] = 0xED;
	memset(points[2] + 1, 0xFF, 30);
	points[2][31] = 0x7F;
	for (int i = 0; i < 3; i++) {
		char *text = pub_text_for(points[i]);
		pub_bad(text, strlen(text), "not a valid Ed25519 point");
		free(text);
	}
}

static void pubkey_load_names_the_file(void **state)
{
	struct dossier_pubkey pk;
	struct dossier_error err;
	char *good = in_dir(state, "good.pub"), *bad = in_dir(state, "bad.pub");
	write_file_mode(good, vec_pub, strlen(vec_pub), 0644);
	write_file_mode(bad, "untrusted comment: x\n!!!\n", 25, 0644);
	assert_int_equal(dossier_pubkey_load(good, &pk, &err), DOSSIER_OK);
	assert_string_equal(pk.keyid, VEC_KEYID);
	assert_int_equal(dossier_pubkey_load(bad, &pk, &err), DOSSIER_INVALID);
	assert_contains(err.message, bad);
	assert_contains(err.message, "not valid base64");
	assert_int_equal(dossier_pubkey_load(in_dir(state, "missing.pub"), &pk, &err), DOSSIER_NOINPUT);
	assert_contains(err.message, "missing.pub");
	assert_int_equal(dossier_pubkey_load((const char *)*state, &pk, &err), DOSSIER_NOINPUT);
}

static void pubkey_name_from_comment(void **state)
{
	struct dossier_pubkey pk;
	char name[64];
	(void)state;
	memset(&pk, 0, sizeof pk);
	strcpy(pk.comment, "dossier public key " VEC_KEYID " Helmut Scholz (GUE/NGL)");
	dossier_pubkey_comment_name(&pk, name, sizeof name);
	assert_string_equal(name, "Helmut Scholz (GUE/NGL)");
	dossier_pubkey_comment_name(&pk, name, 8);
	assert_string_equal(name, "Helmut ");
	strcpy(pk.comment, "dossier public key " VEC_KEYID);
	dossier_pubkey_comment_name(&pk, name, sizeof name);
	assert_string_equal(name, "");
	strcpy(pk.comment, "minisign public key " VEC_KEYID);
	dossier_pubkey_comment_name(&pk, name, sizeof name);
	assert_string_equal(name, "");
	strcpy(pk.comment, "dossier public key ABC x");
	dossier_pubkey_comment_name(&pk, name, sizeof name);
	assert_string_equal(name, "");
}

/* The trusted name is the receiver's (key->name), never the comment's. */
static void pubkey_name_is_never_the_comment(void **state)
{
	struct dossier_pubkey pk;
	char name[64];
	(void)state;
	parse_pub("untrusted comment: dossier public key " VEC_KEYID " Ana Lopez\n"
	          "RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n", &pk);
	dossier_pubkey_name(&pk, name, sizeof name);
	assert_string_equal(name, "");
	strcpy(pk.name, "Ana Lopez");
	dossier_pubkey_name(&pk, name, sizeof name);
	assert_string_equal(name, "Ana Lopez");
}

/* A comment that names another key's id (someone's name and id above another key) is
   refused; the key's own id, in either case, and minisign's short spelling are fine. */
static void pubkey_rejects_comment_naming_another_keyid(void **state)
{
	static const char line2[] = "RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";
	static const char *const bad[] = {
		"dossier public key 259280FF8E0873B8 Ana Lopez",
		"minisign public key 259280ff8e0873b8",
		"Ana Lopez, key id 273BD680E55BB29D/259280FF8E0873B8",
	};
	static const char *const good[] = {
		"dossier public key " VEC_KEYID " Ana Lopez",
		"minisign public key 273bd680e55bb29d",
		"minisign public key 73BD680E55BB29D",    /* 15 digits: not a key id */
		"Ana Lopez 0123456789ABCDEF0", /* 17 digits: not a key id */
		"Ana Lopez",
	};
	struct dossier_pubkey pk;
	char text[256];
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text, "untrusted comment: %s\n%s", bad[i], line2);
		pub_bad(text, strlen(text), "public key " VEC_KEYID ": its comment names key id 259280FF8E0873B8");
	}
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		snprintf(text, sizeof text, "untrusted comment: %s\n%s", good[i], line2);
		parse_pub(text, &pk);
	}
}

/* An operator's mistake is named and is a data error (65), not a damaged key (1). */
static void pubkey_names_the_wrong_kind(void **state)
{
	uint8_t sig[74];
	struct dossier_pubkey pk;
	struct dossier_error err;
	(void)state;
	char *text = cheap_encrypted_key("x", crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN);
	assert_int_equal(dossier_pubkey_parse(text, strlen(text), &pk, &err), DOSSIER_DATAERR);
	assert_string_equal(err.message, "this is a secret key; pass the .pub file (the public key)");
	free(text);
	memset(sig, 7, sizeof sig);
	memcpy(sig, "ED", 2);
	text = encode_key("signature from minisign secret key", sig, sizeof sig);
	char *minisig = malloc(strlen(text) + 64);
	assert_non_null(minisig);
	sprintf(minisig, "%strusted comment: x\nAAAA\n", text);
	assert_int_equal(dossier_pubkey_parse(minisig, strlen(minisig), &pk, &err), DOSSIER_DATAERR);
	assert_string_equal(err.message, "not a public key (a minisign signature)");
	free(minisig);
	free(text);
	assert_int_equal(dossier_pubkey_parse("%PDF-1.7\n", 9, &pk, &err), DOSSIER_DATAERR);
	assert_string_equal(err.message, "not a public key (a PDF document)");
	assert_int_equal(dossier_pubkey_parse("{\"dossier_card\": 1}\n", 20, &pk, &err), DOSSIER_DATAERR);
	assert_string_equal(err.message, "not a public key (a JSON document)");
	/* text that is no key at all reads as a damaged key */
	pub_bad("hello\n", 6, "first line is not an untrusted comment");
}

/* ---- secret keys ---- */

static void seckey_minisign_unencrypted(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_pubkey pub;
	struct dossier_error err;
	char keyid[17];
	char *path = in_dir(state, "k.key");
	write_file_mode(path, vec_key, strlen(vec_key), 0600);
	if (dossier_seckey_load(path, &key, &err) != DOSSIER_OK)
		fail_msg("seckey_load: %s", err.message);
	assert_int_equal(dossier_seckey_encrypted(key), 0);
	dossier_seckey_keyid(key, keyid);
	assert_string_equal(keyid, VEC_KEYID);
	/* minisign -W leaves the checksum zero; that must not count as damage */
	assert_int_equal(dossier_seckey_unlock(key, NULL, &err), DOSSIER_OK);
	parse_pub(vec_pub, &pub);
	sign_and_verify(key, &pub);
	dossier_seckey_free(key);
}

static void seckey_load_error(void **state, const char *text, enum dossier_status want,
    const char *reason)
{
	struct dossier_seckey *key = (struct dossier_seckey *)1;
	struct dossier_error err;
	char *path = in_dir(state, "bad.key");
	write_file_mode(path, text, strlen(text), 0600);
	enum dossier_status st = dossier_seckey_load(path, &key, &err);
	if (st != want)
		fail_msg("seckey_load gave %d, want %d (%s)", st, want, reason);
	assert_null(key);
	assert_contains(err.message, reason);
	unlink(path);
}

static void seckey_rejects_bad_files(void **state)
{
	uint8_t blob[SEC_BLOB];
	char *text;
	vec_seckey_blob(blob);
	blob[1] = 'D';
	text = encode_key("x", blob, sizeof blob);
	seckey_load_error(state, text, DOSSIER_INVALID, "unsupported signature algorithm");
	free(text);
	vec_seckey_blob(blob);
	memcpy(blob + SK_CHK_ALG, "B3", 2);
	text = encode_key("x", blob, sizeof blob);
	seckey_load_error(state, text, DOSSIER_INVALID, "unsupported checksum algorithm");
	free(text);
	vec_seckey_blob(blob);
	memcpy(blob + SK_KDF_ALG, "Ar", 2);
	text = encode_key("x", blob, sizeof blob);
	seckey_load_error(state, text, DOSSIER_INVALID, "unsupported key derivation");
	free(text);
	/* a public key is no secret key, and the message says which mistake it was */
	seckey_load_error(state, vec_pub, DOSSIER_DATAERR, "this is a public key; pass the secret key (the .key file)");
	seckey_load_error(state, "%PDF-1.4\n", DOSSIER_DATAERR, "not a secret key (a PDF document)");
	seckey_load_error(state, "not a key\n", DOSSIER_INVALID, "first line is not an untrusted comment");
}

static void seckey_rejects_large_and_missing_files(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	char big[5000];
	char *path = in_dir(state, "big.key");
	memset(big, 'A', sizeof big);
	memcpy(big, "untrusted comment: x\n", 21);
	write_file_mode(path, big, sizeof big, 0600);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_INVALID);
	assert_null(key);
	assert_contains(err.message, "larger than 4096 bytes");
	assert_int_equal(dossier_seckey_load(in_dir(state, "none.key"), &key, &err), DOSSIER_NOINPUT);
	assert_null(key);
	assert_contains(err.message, "none.key");
}

static void seckey_damaged_checksum(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	uint8_t blob[SEC_BLOB];
	char *path = in_dir(state, "damaged.key");
	vec_seckey_blob(blob);
	minisign_chk(blob, blob + SK_CHK);
	blob[SK_SK + 5] ^= 0x01; /* one bit of the secret key flipped after the checksum */
	char *text = encode_key("x", blob, sizeof blob);
	write_file_mode(path, text, strlen(text), 0600);
	free(text);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_unlock(key, NULL, &err), DOSSIER_INVALID);
	assert_contains(err.message, "checksum mismatch");
	dossier_seckey_free(key);
	/* with the right checksum the same key unlocks */
	vec_seckey_blob(blob);
	minisign_chk(blob, blob + SK_CHK);
	text = encode_key("x", blob, sizeof blob);
	write_file_mode(path, text, strlen(text), 0600);
	free(text);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_unlock(key, NULL, &err), DOSSIER_OK);
	dossier_seckey_free(key);
}

static void seckey_encrypted_unlock(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_pubkey pub;
	struct dossier_error err;
	char keyid[17], *sig = NULL;
	char *path = in_dir(state, "enc.key");
	char *text = cheap_encrypted_key("correct horse", crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN);
	write_file_mode(path, text, strlen(text), 0600);
	free(text);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_encrypted(key), 1);
	/* the key number is encrypted too: not known before unlocking */
	assert_int_equal(dossier_sig_create(key, "m", 1, "c", &sig, &err), DOSSIER_USAGE);
	assert_null(sig);
	assert_contains(err.message, "still encrypted");
	assert_int_equal(dossier_seckey_unlock(key, NULL, &err), DOSSIER_USAGE);
	assert_contains(err.message, "passphrase");
	assert_int_equal(dossier_seckey_unlock(key, "wrong horse", &err), DOSSIER_INVALID);
	assert_string_equal(err.message, "wrong passphrase for this secret key");
	assert_int_equal(dossier_seckey_encrypted(key), 1);
	/* a failed attempt leaves the key as loaded, so a retry can succeed */
	if (dossier_seckey_unlock(key, "correct horse", &err) != DOSSIER_OK)
		fail_msg("unlock after a wrong attempt: %s", err.message);
	assert_int_equal(dossier_seckey_encrypted(key), 0);
	dossier_seckey_keyid(key, keyid);
	assert_string_equal(keyid, VEC_KEYID);
	parse_pub(vec_pub, &pub);
	sign_and_verify(key, &pub);
	dossier_seckey_free(key);
}

static void seckey_refuses_huge_scrypt_memory(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	char *path = in_dir(state, "greedy.key");
	char *text = cheap_encrypted_key("pw", (uint64_t)64 << 30);
	write_file_mode(path, text, strlen(text), 0600);
	free(text);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_unlock(key, "pw", &err), DOSSIER_INVALID);
	assert_contains(err.message, "scrypt memory limit too large");
	dossier_seckey_free(key);
}

/* ---- keygen ---- */

static void keygen_unencrypted(void **state)
{
	struct dossier_pubkey pub;
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	char keyid[17] = "", skid[17], name[64];
	char *base = in_dir(state, "alice");
	char *skpath = in_dir(state, "alice.key"), *pkpath = in_dir(state, "alice.pub");
	if (dossier_keygen(base, "Alice Example", NULL, 0, keyid, &err) != DOSSIER_OK)
		fail_msg("keygen: %s", err.message);
	assert_int_equal(strlen(keyid), 16);
	assert_int_equal(strspn(keyid, "0123456789ABCDEF"), 16);
	assert_int_equal(file_mode(skpath), 0600);
	assert_int_equal(file_mode(pkpath), 0644);
	assert_int_equal(dossier_pubkey_load(pkpath, &pub, &err), DOSSIER_OK);
	assert_string_equal(pub.keyid, keyid);
	dossier_pubkey_comment_name(&pub, name, sizeof name);
	assert_string_equal(name, "Alice Example");
	dossier_pubkey_name(&pub, name, sizeof name);
	assert_string_equal(name, ""); /* nobody has named it yet: the comment does not */
	assert_int_equal(dossier_seckey_load(skpath, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_encrypted(key), 0);
	assert_int_equal(dossier_seckey_unlock(key, NULL, &err), DOSSIER_OK);
	dossier_seckey_keyid(key, skid);
	assert_string_equal(skid, keyid);
	sign_and_verify(key, &pub);
	dossier_seckey_free(key);
	/* nothing but the two keys: no temp files left beside them */
	assert_int_equal(count_entries(*state), 2);
}

static void keygen_pairs_differ(void **state)
{
	struct dossier_pubkey a, b;
	struct dossier_error err;
	char ida[17], idb[17];
	assert_int_equal(dossier_keygen(in_dir(state, "a"), NULL, NULL, 0, ida, &err), DOSSIER_OK);
	assert_int_equal(dossier_keygen(in_dir(state, "b"), "", NULL, 0, idb, &err), DOSSIER_OK);
	assert_string_not_equal(ida, idb);
	assert_int_equal(dossier_pubkey_load(in_dir(state, "a.pub"), &a, &err), DOSSIER_OK);
	assert_int_equal(dossier_pubkey_load(in_dir(state, "b.pub"), &b, &err), DOSSIER_OK);
	assert_memory_not_equal(a.pk, b.pk, 32);
	/* no name: the comment ends with the key id */
	char want[64];
	snprintf(want, sizeof want, "dossier public key %s", ida);
	assert_string_equal(a.comment, want);
}

static void keygen_refuses_to_overwrite(void **state)
{
	struct dossier_pubkey before, after;
	struct dossier_error err;
	char id1[17], id2[17];
	char *base = in_dir(state, "k");
	char *pkpath = in_dir(state, "k.pub");
	assert_int_equal(dossier_keygen(base, "x", NULL, 0, id1, &err), DOSSIER_OK);
	assert_int_equal(dossier_pubkey_load(pkpath, &before, &err), DOSSIER_OK);
	assert_int_equal(dossier_keygen(base, "x", NULL, 0, id2, &err), DOSSIER_CANTCREAT);
	assert_contains(err.message, "already exist");
	assert_int_equal(dossier_pubkey_load(pkpath, &after, &err), DOSSIER_OK);
	assert_memory_equal(before.pk, after.pk, 32);
	/* only the .pub there is enough to refuse */
	unlink(in_dir(state, "k.key"));
	assert_int_equal(dossier_keygen(base, "x", NULL, 0, id2, &err), DOSSIER_CANTCREAT);
	assert_int_equal(exists(in_dir(state, "k.key")), 0);
	/* force replaces both */
	assert_int_equal(dossier_keygen(base, "x", NULL, 1, id2, &err), DOSSIER_OK);
	assert_string_not_equal(id1, id2);
	assert_int_equal(dossier_pubkey_load(pkpath, &after, &err), DOSSIER_OK);
	assert_string_equal(after.keyid, id2);
	assert_int_equal(file_mode(in_dir(state, "k.key")), 0600);
}

static void keygen_rejects_multiline_name(void **state)
{
	struct dossier_error err;
	char keyid[17];
	assert_int_equal(dossier_keygen(in_dir(state, "n"), "Alice\nuntrusted comment: evil", NULL, 0,
	                     keyid, &err), DOSSIER_USAGE);
	assert_contains(err.message, "one line");
	assert_int_equal(dossier_keygen(in_dir(state, "n"), "Alice\r", NULL, 0, keyid, &err), DOSSIER_USAGE);
	assert_int_equal(exists(in_dir(state, "n.key")), 0);
	assert_int_equal(exists(in_dir(state, "n.pub")), 0);
}

static void keygen_into_missing_directory(void **state)
{
	struct dossier_error err;
	char keyid[17];
	assert_int_equal(dossier_keygen(in_dir(state, "no/such/dir/k"), "x", NULL, 0, keyid, &err),
	    DOSSIER_CANTCREAT);
	assert_contains(err.message, "no/such/dir/k");
}

/* The one real scrypt run of the suite (sensitive parameters: about 1 GiB and a few seconds).
   DOSSIER_TEST_SKIP_SLOW=1 skips it, e.g. under valgrind, where it takes many minutes. */
static void keygen_encrypted(void **state)
{
	struct dossier_seckey *key = NULL;
	struct dossier_pubkey pub;
	struct dossier_error err;
	char text[4097];
	char keyid[17], skid[17];
	char *skpath = in_dir(state, "enc.key");
	if (getenv("DOSSIER_TEST_SKIP_SLOW") != NULL) {
		skip();
		return;
	}
	if (dossier_keygen(in_dir(state, "enc"), "Enc", "pass phrase", 0, keyid, &err) != DOSSIER_OK)
		fail_msg("keygen: %s", err.message);
	assert_int_equal(file_mode(skpath), 0600);
	int fd = open(skpath, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	assert_true(n > 0);
	text[n] = '\0';
	assert_contains(text, "untrusted comment: dossier encrypted secret key ");
	assert_contains(text, keyid);
	assert_int_equal(dossier_seckey_load(skpath, &key, &err), DOSSIER_OK);
	assert_int_equal(dossier_seckey_encrypted(key), 1);
	if (dossier_seckey_unlock(key, "pass phrase", &err) != DOSSIER_OK)
		fail_msg("unlock: %s", err.message);
	dossier_seckey_keyid(key, skid);
	assert_string_equal(skid, keyid);
	assert_int_equal(dossier_pubkey_load(in_dir(state, "enc.pub"), &pub, &err), DOSSIER_OK);
	sign_and_verify(key, &pub);
	dossier_seckey_free(key);
}

/* ---- interoperability with stock minisign, when it is installed ---- */

static void minisign_signs_with_keygen_key(void **state)
{
	struct dossier_pubkey pub;
	struct dossier_sig sig;
	struct dossier_error err;
	char keyid[17], text[2048];
	static const char msg[] = "signed by stock minisign\n";
	/* stock minisign is a test dependency (scripts/ensure-deps test installs it) */
	if (access("/usr/bin/minisign", X_OK) != 0)
		fail_msg("%s", "/usr/bin/minisign is not installed");
	char *base = in_dir(state, "m"), *m = in_dir(state, "msg");
	char *sigpath = in_dir(state, "msg.minisig");
	assert_int_equal(dossier_keygen(base, "m", NULL, 0, keyid, &err), DOSSIER_OK);
	write_file_mode(m, msg, strlen(msg), 0644);
	char skpath[600];
	snprintf(skpath, sizeof skpath, "%s.key", base);
	char *argv[] = { "/usr/bin/minisign", "-S", "-W", "-s", skpath, "-m", m, "-x", sigpath,
		"-t", "from minisign", NULL };
	assert_int_equal(run_quiet(argv), 0);
	int fd = open(sigpath, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, text, sizeof text);
	close(fd);
	assert_true(n > 0);
	assert_int_equal(dossier_sig_parse(text, (size_t)n, &sig, &err), DOSSIER_OK);
	assert_string_equal(sig.keyid, keyid);
	assert_string_equal(sig.trusted_comment, "from minisign");
	assert_int_equal(dossier_pubkey_load(in_dir(state, "m.pub"), &pub, &err), DOSSIER_OK);
	if (dossier_sig_verify(&sig, &pub, msg, strlen(msg), &err) != DOSSIER_OK)
		fail_msg("verify: %s", err.message);
}

#define T(f) cmocka_unit_test_setup_teardown(f, make_tmpdir, remove_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pubkey_known_answer),
		T(pubkey_accepts_crlf),
		T(pubkey_rejects_bad_comment_line),
		T(pubkey_rejects_bad_base64),
		T(pubkey_rejects_wrong_algorithm),
		T(pubkey_rejects_trailing_data),
		T(pubkey_rejects_small_order_and_non_canonical),
		T(pubkey_load_names_the_file),
		T(pubkey_names_the_wrong_kind),
		T(pubkey_name_from_comment),
		T(pubkey_name_is_never_the_comment),
		T(pubkey_rejects_comment_naming_another_keyid),
		T(seckey_minisign_unencrypted),
		T(seckey_rejects_bad_files),
		T(seckey_rejects_large_and_missing_files),
		T(seckey_damaged_checksum),
		T(seckey_encrypted_unlock),
		T(seckey_refuses_huge_scrypt_memory),
		T(keygen_unencrypted),
		T(keygen_pairs_differ),
		T(keygen_refuses_to_overwrite),
		T(keygen_rejects_multiline_name),
		T(keygen_into_missing_directory),
		T(keygen_encrypted),
		T(minisign_signs_with_keygen_key),
	};
	if (dossier_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
