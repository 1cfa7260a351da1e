/* test_wycheproof.c - Ed25519 edge cases from Project Wycheproof, verified through the
   minisign signature path (dossier_pubkey_parse, dossier_sig_parse, dossier_sig_verify),
   plus the edge cases libsodium documents: S >= L, small-order and non-canonical keys.

   A Wycheproof vector is a plain Ed25519 signature over the message itself: exactly the
   first signature of a legacy ("Ed", minisign -l) .minisig. Each vector becomes

       untrusted comment: ...
       base64("Ed" || keynum || sig)
       trusted comment: wycheproof ed25519 tcId N
       base64(global signature over sig || trusted comment)

   and a public key "Ed" || keynum || pk. The global signature needs the vector's secret
   key. Wycheproof's v1 file gives only public keys; the seeds come from its older file
   (tests/vectors/wycheproof/README) and the test checks that each one derives the
   vector's public key. One group has no seed (tcIds 84, 85): its global signature is
   made with an unrelated key, so dossier_sig_verify can never return OK for it, but its
   two steps fail with different messages - "does not match the signed bytes" for the
   Ed25519 signature over the message, "trusted comment ... was altered" for the global
   one - so the message still tells whether the vector's own signature verified. Every
   vector is also checked against crypto_sign_verify_detached on the raw bytes.

   The vectors are read at run time from tests/vectors/wycheproof/ed25519.tsv relative
   to the current directory (make test and tests/run run from the repository root), or
   under $TOP. A missing file fails the test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <cmocka.h>

#include "testutil.h"

#include "dossier.h"

#define VECTORS "tests/vectors/wycheproof/ed25519.tsv"
/* Vectors in the file at the commit named in its README; a change means regenerate
   on purpose, not a truncated or damaged file. */
#define VECTORS_TOTAL 151
#define VECTORS_VALID 88
#define VECTORS_INVALID 63

enum result { R_VALID, R_INVALID, R_ACCEPTABLE };

struct vec {
	int tcid;
	enum result result;
	uint8_t pk[32];
	uint8_t *msg;
	size_t msglen;
	uint8_t *sig;
	size_t siglen;
	int has_seed;
	uint8_t seed[32];
	char comment[400];
};

struct vecs {
	struct vec *v;
	size_t n;
};

/* What dossier made of one vector, in the order the checks run. */
enum outcome {
	O_KEY_REFUSED,    /* dossier_pubkey_parse refused the public key */
	O_PARSE_REFUSED,  /* dossier_sig_parse refused the .minisig (a signature not 64 bytes) */
	O_SIG_REFUSED,    /* dossier_sig_verify: "does not match the signed bytes" */
	O_GLOBAL_REFUSED, /* dossier_sig_verify: "trusted comment ... was altered" */
	O_VERIFIED        /* dossier_sig_verify: OK */
};

static const char *const outcome_name[] = { "key refused", "signature file refused",
	"signature refused", "global signature refused", "verified" };

/* ---- reading the vectors ---- */

/* hex, or "-" for empty, into a fresh buffer; -1 if not hex */
static int unhex(const char *hex, uint8_t **out, size_t *len)
{
	size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex);
	size_t got = 0;
	*out = malloc(n / 2 + 1);
	if (*out == NULL || n % 2 != 0)
		return -1;
	if (n > 0 && (sodium_hex2bin(*out, n / 2, hex, n, NULL, &got, NULL) != 0 || got != n / 2))
		return -1;
	*len = got;
	return 0;
}

static int unhex_fixed(const char *hex, uint8_t *out, size_t want)
{
	uint8_t *tmp;
	size_t len = 0;
	int rc = unhex(hex, &tmp, &len) == 0 && len == want ? 0 : -1;
	if (rc == 0)
		memcpy(out, tmp, want);
	free(tmp);
	return rc;
}

static FILE *open_vectors(char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s", VECTORS);
	FILE *f = fopen(path, "r");
	const char *top = getenv("TOP");
	if (f == NULL && top != NULL && *top != '\0') {
		snprintf(path, pathlen, "%s/%s", top, VECTORS);
		f = fopen(path, "r");
	}
	return f;
}

static void load(struct vecs *vs)
{
	char path[4096], line[16384];
	FILE *f = open_vectors(path, sizeof path);
	if (f == NULL)
		fail_msg("cannot open %s (run from the repository root or set TOP): %s", VECTORS,
		    strerror(errno));
	vs->v = NULL;
	vs->n = 0;
	int lineno = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		size_t l = strlen(line);
		if (l == sizeof line - 1 && line[l - 1] != '\n')
			fail_msg("%s:%d: line too long", path, lineno);
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *field[7], *save = NULL, *p = line;
		int nf = 0;
		for (char *tok; nf < 7 && (tok = strtok_r(p, "\t", &save)) != NULL; p = NULL)
			field[nf++] = tok;
		if (nf != 7 || strtok_r(NULL, "\t", &save) != NULL)
			fail_msg("%s:%d: want 7 tab-separated fields", path, lineno);
		struct vec *grown = realloc(vs->v, (vs->n + 1) * sizeof *vs->v);
		assert_non_null(grown);
		vs->v = grown;
		struct vec *v = &vs->v[vs->n++];
		memset(v, 0, sizeof *v);
		v->tcid = atoi(field[0]);
		if (strcmp(field[1], "valid") == 0)
			v->result = R_VALID;
		else if (strcmp(field[1], "invalid") == 0)
			v->result = R_INVALID;
		else if (strcmp(field[1], "acceptable") == 0)
			v->result = R_ACCEPTABLE;
		else
			fail_msg("%s:%d: result \"%s\"", path, lineno, field[1]);
		if (v->tcid <= 0 || unhex_fixed(field[2], v->pk, 32) != 0 ||
		    unhex(field[3], &v->msg, &v->msglen) != 0 || unhex(field[4], &v->sig, &v->siglen) != 0)
			fail_msg("%s:%d: bad tcId, pk, msg or sig", path, lineno);
		snprintf(v->comment, sizeof v->comment, "%s", field[5]);
		if (strcmp(field[6], "-") != 0) {
			if (unhex_fixed(field[6], v->seed, 32) != 0)
				fail_msg("%s:%d: bad seed", path, lineno);
			v->has_seed = 1;
		}
	}
	fclose(f);
}

static void unload(struct vecs *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->v[i].msg);
		free(vs->v[i].sig);
	}
	free(vs->v);
}

/* ---- minisign texts ---- */

static void keynum_of(int tcid, uint8_t keynum[8])
{
	/* "WP" and the tcId: a key id per vector, so a mix-up shows as a key id mismatch */
	keynum[0] = 'W';
	keynum[1] = 'P';
	for (int i = 0; i < 6; i++)
		keynum[2 + i] = (uint8_t)((uint64_t)tcid >> (8 * i));
}

/* "untrusted comment: ...\n" base64("Ed" || keynum || pk) "\n" */
static void pubkey_text(const uint8_t keynum[8], const uint8_t pk[32], char *out, size_t outlen)
{
	uint8_t blob[42];
	char b64[sodium_base64_ENCODED_LEN(42, sodium_base64_VARIANT_ORIGINAL)];
	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, keynum, 8);
	memcpy(blob + 10, pk, 32);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	snprintf(out, outlen, "untrusted comment: wycheproof test key\n%s\n", b64);
}

/* A legacy .minisig for sig (siglen bytes, normally 64) with a global signature made
   by gsk (a libsodium secret key) over sig || comment. Caller frees. */
static char *minisig_text(const uint8_t keynum[8], const uint8_t *sig, size_t siglen,
    const char *comment, const uint8_t gsk[64])
{
	size_t blen = 10 + siglen, clen = strlen(comment);
	uint8_t *blob = malloc(blen), *g = malloc(siglen + clen + 1), gsig[64];
	char *b64 = malloc(sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL));
	char gb64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	char *out = malloc(blen * 2 + clen + 256);
	assert_true(blob && g && b64 && out);
	memcpy(blob, "Ed", 2);
	memcpy(blob + 2, keynum, 8);
	if (siglen > 0)
		memcpy(blob + 10, sig, siglen);
	sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL), blob,
	    blen, sodium_base64_VARIANT_ORIGINAL);
	if (siglen > 0)
		memcpy(g, sig, siglen);
	memcpy(g + siglen, comment, clen);
	crypto_sign_detached(gsig, NULL, g, siglen + clen, gsk);
	sodium_bin2base64(gb64, sizeof gb64, gsig, 64, sodium_base64_VARIANT_ORIGINAL);
	sprintf(out, "untrusted comment: wycheproof vector\n%s\ntrusted comment: %s\n%s\n", b64,
	    comment, gb64);
	free(blob);
	free(g);
	free(b64);
	return out;
}

/* An unrelated key for the global signature of vectors without a seed. */
static void other_key(uint8_t pk[32], uint8_t sk[64])
{
	uint8_t seed[32];
	memset(seed, 0x42, sizeof seed);
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* Runs the text through the three library calls; the outcome, and err for the reason. */
static enum outcome run_minisign(const char *pubtext, const char *sigtext, const void *msg,
    size_t msglen, struct dossier_error *err)
{
	struct dossier_pubkey pk;
	struct dossier_sig sig;
	memset(err, 0, sizeof *err);
	if (dossier_pubkey_parse(pubtext, strlen(pubtext), &pk, err) != DOSSIER_OK) {
		assert_int_equal(err->code, DOSSIER_INVALID);
		assert_contains(err->message, "not a valid Ed25519 point");
		return O_KEY_REFUSED;
	}
	if (dossier_sig_parse(sigtext, strlen(sigtext), &sig, err) != DOSSIER_OK) {
		assert_int_equal(err->code, DOSSIER_INVALID);
		assert_contains(err->message, "second line is not base64 of 74 bytes");
		return O_PARSE_REFUSED;
	}
	assert_int_equal(sig.alg, DOSSIER_SIG_LEGACY);
	enum dossier_status st = dossier_sig_verify(&sig, &pk, msg, msglen, err);
	if (st == DOSSIER_OK)
		return O_VERIFIED;
	assert_int_equal(st, DOSSIER_INVALID);
	if (strstr(err->message, "does not match the signed bytes") != NULL)
		return O_SIG_REFUSED;
	assert_contains(err->message, "signature was altered");
	return O_GLOBAL_REFUSED;
}

/* One vector through the minisign path. */
static enum outcome run_vector(const struct vec *v, struct dossier_error *err)
{
	uint8_t keynum[8], gpk[32], gsk[64];
	char pubtext[256], comment[64];
	keynum_of(v->tcid, keynum);
	pubkey_text(keynum, v->pk, pubtext, sizeof pubtext);
	if (v->has_seed) {
		crypto_sign_seed_keypair(gpk, gsk, v->seed);
		if (memcmp(gpk, v->pk, 32) != 0)
			fail_msg("tcId %d: the seed does not derive the vector's public key", v->tcid);
	} else {
		other_key(gpk, gsk);
	}
	snprintf(comment, sizeof comment, "wycheproof ed25519 tcId %d", v->tcid);
	char *text = minisig_text(keynum, v->sig, v->siglen, comment, gsk);
	enum outcome o = run_minisign(pubtext, text, v->msg, v->msglen, err);
	free(text);
	sodium_memzero(gsk, sizeof gsk);
	return o;
}

/* Whether dossier took the vector's own Ed25519 signature as good. Without a seed the
   global signature is made by another key, so "global signature refused" is the best
   it can do and says that the first step passed. */
static int accepted(const struct vec *v, enum outcome o)
{
	return o == O_VERIFIED || (!v->has_seed && o == O_GLOBAL_REFUSED);
}

/* libsodium on the raw vector: what crypto_sign_verify_detached says (0 good). A
   signature not 64 bytes long cannot be passed to it and counts as refused. */
static int raw_ok(const struct vec *v)
{
	if (v->siglen != crypto_sign_BYTES)
		return 0;
	return crypto_sign_verify_detached(v->sig, v->msg, v->msglen, v->pk) == 0;
}

/* ---- the vectors ---- */

static void file_is_complete(void **state)
{
	struct vecs vs;
	size_t counts[3] = { 0 }, seeds = 0;
	(void)state;
	load(&vs);
	for (size_t i = 0; i < vs.n; i++) {
		counts[vs.v[i].result]++;
		seeds += (size_t)vs.v[i].has_seed;
		/* tcIds are 1..n, each once: nothing lost or repeated in the conversion */
		assert_int_equal(vs.v[i].tcid, (int)i + 1);
	}
	assert_int_equal(vs.n, VECTORS_TOTAL);
	assert_int_equal(counts[R_VALID], VECTORS_VALID);
	assert_int_equal(counts[R_INVALID], VECTORS_INVALID);
	assert_int_equal(counts[R_ACCEPTABLE], VECTORS_TOTAL - VECTORS_VALID - VECTORS_INVALID);
	assert_int_equal(seeds, VECTORS_TOTAL - 2); /* all but tcIds 84 and 85 */
	unload(&vs);
}

static void vectors_through_minisign_path(void **state)
{
	struct vecs vs;
	struct dossier_error err;
	size_t by[3][5] = { { 0 } };
	(void)state;
	load(&vs);
	for (size_t i = 0; i < vs.n; i++) {
		const struct vec *v = &vs.v[i];
		enum outcome o = run_vector(v, &err);
		by[v->result][o]++;
		int ok = accepted(v, o), raw = raw_ok(v);
		switch (v->result) {
		case R_VALID:
			if (!ok || (v->has_seed && o != O_VERIFIED))
				fail_msg("tcId %d (valid, %s): %s: %s", v->tcid, v->comment, outcome_name[o],
				    err.message);
			break;
		case R_INVALID:
			if (ok || o == O_GLOBAL_REFUSED)
				fail_msg("tcId %d (invalid, %s) was accepted: %s", v->tcid, v->comment,
				    outcome_name[o]);
			break;
		case R_ACCEPTABLE:
			/* either answer is allowed; it must be libsodium's, and is printed below */
			print_message("# tcId %d (acceptable, %s): %s\n", v->tcid, v->comment,
			    outcome_name[o]);
			break;
		}
		/* whatever the class, dossier answers as libsodium does on the raw vector:
		   the minisign layer neither loses a good signature nor saves a bad one */
		if (ok != raw)
			fail_msg("tcId %d: dossier %s, crypto_sign_verify_detached %s", v->tcid,
			    ok ? "accepts" : "refuses", raw ? "accepts" : "refuses");
	}
	static const char *const rname[] = { "valid", "invalid", "acceptable" };
	for (int r = 0; r < 3; r++)
		for (int o = 0; o < 5; o++)
			if (by[r][o] != 0)
				print_message("# wycheproof %-10s %3zu: %s\n", rname[r], by[r][o], outcome_name[o]);
	unload(&vs);
}

/* An accepted vector's minisig is refused once its trusted comment or message changes:
   the global signature made with the vector key is really checked. */
static void accepted_vectors_refuse_edits(void **state)
{
	struct vecs vs;
	struct dossier_error err;
	(void)state;
	load(&vs);
	for (size_t i = 0; i < vs.n; i++) {
		const struct vec *v = &vs.v[i];
		if (v->result != R_VALID || !v->has_seed)
			continue;
		uint8_t keynum[8], pk[32], sk[64];
		char pubtext[256];
		keynum_of(v->tcid, keynum);
		pubkey_text(keynum, v->pk, pubtext, sizeof pubtext);
		crypto_sign_seed_keypair(pk, sk, v->seed);
		char *good = minisig_text(keynum, v->sig, v->siglen, "comment as signed", sk);
		/* the trusted comment swapped after signing */
		char *swapped = strdup(good);
		assert_non_null(swapped);
		char *c = strstr(swapped, "comment as signed");
		assert_non_null(c);
		c[0] = 'C';
		assert_int_equal(run_minisign(pubtext, good, v->msg, v->msglen, &err), O_VERIFIED);
		assert_int_equal(run_minisign(pubtext, swapped, v->msg, v->msglen, &err), O_GLOBAL_REFUSED);
		/* one more byte of message */
		uint8_t *longer = malloc(v->msglen + 1);
		assert_non_null(longer);
		if (v->msglen > 0)
			memcpy(longer, v->msg, v->msglen);
		longer[v->msglen] = 0;
		assert_int_equal(run_minisign(pubtext, good, longer, v->msglen + 1, &err), O_SIG_REFUSED);
		free(longer);
		free(swapped);
		free(good);
		sodium_memzero(sk, sizeof sk);
	}
	unload(&vs);
}

/* Stock minisign (a test dependency) gives the same answer for every vector it can be
   shown: a 64-byte signature under a key dossier accepts, with a seed for the global
   signature. */
static void minisign_agrees(void **state)
{
	const char *dir = *state;
	char pubp[600], msgp[600], sigp[600];
	struct vecs vs;
	struct dossier_error err;
	size_t asked = 0;
	if (access("/usr/bin/minisign", X_OK) != 0)
		fail_msg("%s", "/usr/bin/minisign is not installed");
	snprintf(pubp, sizeof pubp, "%s/k.pub", dir);
	snprintf(msgp, sizeof msgp, "%s/msg", dir);
	snprintf(sigp, sizeof sigp, "%s/msg.minisig", dir);
	load(&vs);
	for (size_t i = 0; i < vs.n; i++) {
		const struct vec *v = &vs.v[i];
		if (!v->has_seed || v->siglen != 64)
			continue;
		uint8_t keynum[8], pk[32], sk[64];
		char pubtext[256], comment[64];
		keynum_of(v->tcid, keynum);
		pubkey_text(keynum, v->pk, pubtext, sizeof pubtext);
		crypto_sign_seed_keypair(pk, sk, v->seed);
		snprintf(comment, sizeof comment, "wycheproof ed25519 tcId %d", v->tcid);
		char *text = minisig_text(keynum, v->sig, v->siglen, comment, sk);
		enum outcome o = run_minisign(pubtext, text, v->msg, v->msglen, &err);
		if (o == O_KEY_REFUSED) {
			free(text);
			continue;
		}
		write_file(pubp, pubtext, strlen(pubtext));
		write_file(msgp, v->msg, v->msglen);
		write_file(sigp, text, strlen(text));
		char *argv[] = { "/usr/bin/minisign", "-V", "-q", "-p", pubp, "-m", msgp, "-x", sigp, NULL };
		int rc = run_quiet(argv);
		assert_true(rc == 0 || rc == 1);
		if ((rc == 0) != (o == O_VERIFIED))
			fail_msg("tcId %d: minisign exits %d, dossier: %s", v->tcid, rc, outcome_name[o]);
		asked++;
		free(text);
		sodium_memzero(sk, sizeof sk);
	}
	assert_true(asked > 100);
	unload(&vs);
}

/* ---- edge cases libsodium documents ---- */

/* RFC 8032, section 7.1, TEST 1: a published test key */
static const char rfc8032_seed[] =
	"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
/* the group order L, little-endian */
static const uint8_t order_l[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c,
	0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };

/* s += a, 256-bit little-endian; returns the carry */
static int add256(uint8_t s[32], const uint8_t a[32])
{
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) {
		carry += (unsigned)s[i] + a[i];
		s[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return (int)carry;
}

static void rfc8032_key(uint8_t pk[32], uint8_t sk[64])
{
	uint8_t seed[32];
	assert_int_equal(unhex_fixed(rfc8032_seed, seed, 32), 0);
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* libsodium refuses S >= L ("non-canonical" signatures): [S]B is the same for S and
   S + L, so a verifier without that check accepts a second, different signature
   string for the same message. The global signature is made anew over each edited
   signature with the real key, so only the S check can refuse. */
static void rejects_s_at_or_above_order(void **state)
{
	static const char msg[] = "dossier: S must be below L";
	uint8_t pk[32], sk[64], keynum[8], sig[64], bad[64];
	char pubtext[256];
	struct dossier_error err;
	(void)state;
	rfc8032_key(pk, sk);
	keynum_of(9000, keynum);
	pubkey_text(keynum, pk, pubtext, sizeof pubtext);
	crypto_sign_detached(sig, NULL, (const uint8_t *)msg, strlen(msg), sk);
	char *text = minisig_text(keynum, sig, 64, "s below l", sk);
	assert_int_equal(run_minisign(pubtext, text, msg, strlen(msg), &err), O_VERIFIED);
	free(text);

	for (int k = 0; k < 5; k++) {
		memcpy(bad, sig, 64);
		if (k < 3) {
			/* S + L, S + 2L, S + 3L: S < L < 2^253, so no carry out of 256 bits */
			for (int j = 0; j <= k; j++)
				assert_int_equal(add256(bad + 32, order_l), 0);
		} else if (k == 3) {
			memcpy(bad + 32, order_l, 32); /* S = L exactly */
		} else {
			memset(bad + 32, 0xff, 32); /* S = 2^256 - 1 */
		}
		assert_int_not_equal(crypto_sign_verify_detached(bad, (const uint8_t *)msg, strlen(msg), pk), 0);
		text = minisig_text(keynum, bad, 64, "s at or above l", sk);
		if (run_minisign(pubtext, text, msg, strlen(msg), &err) != O_SIG_REFUSED)
			fail_msg("edit %d of S was not refused as a bad signature: %s", k, err.message);
		free(text);
	}

	/* the global signature gets the same check: its S + L is refused as an altered
	   trusted comment, though it is the right signature mod L */
	struct dossier_pubkey dpk;
	struct dossier_sig dsig;
	text = minisig_text(keynum, sig, 64, "global s", sk);
	assert_int_equal(dossier_pubkey_parse(pubtext, strlen(pubtext), &dpk, &err), DOSSIER_OK);
	assert_int_equal(dossier_sig_parse(text, strlen(text), &dsig, &err), DOSSIER_OK);
	assert_int_equal(dossier_sig_verify(&dsig, &dpk, msg, strlen(msg), &err), DOSSIER_OK);
	assert_int_equal(add256(dsig.global_sig + 32, order_l), 0);
	assert_int_equal(dossier_sig_verify(&dsig, &dpk, msg, strlen(msg), &err), DOSSIER_INVALID);
	assert_contains(err.message, "signature was altered");
	free(text);
	sodium_memzero(sk, sizeof sk);
}

/* Points of small order (1, 2, 4, 8) and non-canonical encodings, as libsodium's
   blocklist and RFC 8032 section 5.1.3 have them. */
static const char *const weak_keys[] = {
	"0100000000000000000000000000000000000000000000000000000000000000", /* identity (order 1) */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = -1 (order 2) */
	"0000000000000000000000000000000000000000000000000000000000000000", /* y = 0 (order 4) */
	"0000000000000000000000000000000000000000000000000000000000000080", /* y = 0, x < 0 (order 4) */
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", /* order 8 */
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", /* order 8 */
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", /* order 8 */
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", /* order 8 */
	"0100000000000000000000000000000000000000000000000000000000000080", /* y = 1 with the sign of x set */
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = p: 0, not reduced */
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = p + 1: 1, not reduced */
	"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* y = 2^255 - 1 >= p */
};

static void rejects_small_order_and_noncanonical_keys(void **state)
{
	struct dossier_pubkey pk;
	struct dossier_error err;
	uint8_t keynum[8], raw[32];
	char text[256];
	(void)state;
	for (size_t i = 0; i < sizeof weak_keys / sizeof *weak_keys; i++) {
		assert_int_equal(unhex_fixed(weak_keys[i], raw, 32), 0);
		assert_int_equal(crypto_core_ed25519_is_valid_point(raw), 0);
		keynum_of(9100 + (int)i, keynum);
		pubkey_text(keynum, raw, text, sizeof text);
		memset(&err, 0, sizeof err);
		if (dossier_pubkey_parse(text, strlen(text), &pk, &err) != DOSSIER_INVALID)
			fail_msg("weak key %s was accepted", weak_keys[i]);
		assert_contains(err.message, "not a valid Ed25519 point");
	}
	/* and the RFC 8032 key, a good one, is not */
	uint8_t good[32], sk[64];
	rfc8032_key(good, sk);
	pubkey_text(keynum, good, text, sizeof text);
	assert_int_equal(dossier_pubkey_parse(text, strlen(text), &pk, &err), DOSSIER_OK);
	sodium_memzero(sk, sizeof sk);
}

/* The universal forgery for the identity key: R = identity, S = 0 satisfies
   [S]B = R + [h]A for every message, the global signature included. The key parser
   refuses the key; a key struct filled in by hand (a caller that skips the parser)
   still gets no signature through, because libsodium's verify refuses small-order
   keys and R. */
static void identity_key_forgery_refused_past_parser(void **state)
{
	static const char msg[] = "anything at all";
	struct dossier_pubkey pk;
	struct dossier_sig sig;
	struct dossier_error err;
	(void)state;
	for (size_t i = 0; i < sizeof weak_keys / sizeof *weak_keys; i++) {
		memset(&pk, 0, sizeof pk);
		memset(&sig, 0, sizeof sig);
		keynum_of(9200, pk.keynum);
		memcpy(sig.keynum, pk.keynum, 8);
		snprintf(pk.keyid, sizeof pk.keyid, "5750000000000000");
		snprintf(sig.keyid, sizeof sig.keyid, "5750000000000000");
		assert_int_equal(unhex_fixed(weak_keys[i], pk.pk, 32), 0);
		sig.alg = DOSSIER_SIG_LEGACY;
		/* R = the identity (or the weak key itself, another small-order point), S = 0 */
		sig.sig[0] = 1;
		sig.global_sig[0] = 1;
		if (i % 2 == 1) {
			memcpy(sig.sig, pk.pk, 32);
			memcpy(sig.global_sig, pk.pk, 32);
		}
		memset(&err, 0, sizeof err);
		assert_int_equal(dossier_sig_verify(&sig, &pk, msg, strlen(msg), &err), DOSSIER_INVALID);
		assert_contains(err.message, "does not match the signed bytes");
		sig.alg = DOSSIER_SIG_PREHASHED;
		assert_int_equal(dossier_sig_verify(&sig, &pk, msg, strlen(msg), &err), DOSSIER_INVALID);
	}
}

#define T(f) cmocka_unit_test(f)
#define TD(f) cmocka_unit_test_setup_teardown(f, make_tmpdir, remove_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(file_is_complete),
		T(vectors_through_minisign_path),
		T(accepted_vectors_refuse_edits),
		TD(minisign_agrees),
		T(rejects_s_at_or_above_order),
		T(rejects_small_order_and_noncanonical_keys),
		T(identity_key_forgery_refused_past_parser),
	};
	if (dossier_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("wycheproof", tests, NULL, NULL);
}
