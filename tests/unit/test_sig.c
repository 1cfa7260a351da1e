/* test_sig.c - minisign signatures: known-answer vectors from stock minisign 0.11, and forgeries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "dossier.h"



static void pub(const char *text, struct dossier_pubkey *pk)
{
	struct dossier_error err;
	if (dossier_pubkey_parse(text, strlen(text), pk, &err) != DOSSIER_OK)
		fail_msg("pubkey_parse: %s", err.message);
}

static void parse(const char *text, size_t len, struct dossier_sig *sig)
{
	struct dossier_error err;
	if (dossier_sig_parse(text, len, sig, &err) != DOSSIER_OK)
		fail_msg("sig_parse: %s", err.message);
}

static void parse_bad(const char *text, size_t len, const char *reason)
{
	struct dossier_sig sig;
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	if (dossier_sig_parse(text, len, &sig, &err) != DOSSIER_INVALID)
		fail_msg("accepted a bad signature (want \"%s\"): %.300s", reason, text);
	assert_int_equal(err.code, DOSSIER_INVALID);
	assert_contains(err.message, reason);
}

/* Verification must fail with DOSSIER_INVALID and this reason. */
static void verify_bad(const struct dossier_sig *sig, const struct dossier_pubkey *pk,
    const void *msg, size_t len, const char *reason)
{
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	if (dossier_sig_verify(sig, pk, msg, len, &err) != DOSSIER_INVALID)
		fail_msg("forgery verified (want \"%s\")", reason);
	assert_int_equal(err.code, DOSSIER_INVALID);
	assert_contains(err.message, reason);
}

static void verify_ok(const struct dossier_sig *sig, const struct dossier_pubkey *pk,
    const void *msg, size_t len)
{
	struct dossier_error err;
	if (dossier_sig_verify(sig, pk, msg, len, &err) != DOSSIER_OK)
		fail_msg("sig_verify: %s", err.message);
}

/* The signature text with line n (0-based) replaced. Caller frees. */
static char *replace_line(const char *text, int n, const char *line)
{
	char *out = malloc(strlen(text) + strlen(line) + 2);
	const char *p = text;
	char *o = out;
	assert_non_null(out);
	for (int i = 0; *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (i == n) {
			o += sprintf(o, "%s", line);
		} else {
			memcpy(o, p, len);
			o += len;
		}
		if (nl == NULL)
			break;
		*o++ = '\n';
		p = nl + 1;
	}
	*o = '\0';
	return out;
}

/* Line 2 of a signature decoded, edited at byte i, encoded again. */
static char *edit_sig_blob(const char *text, size_t i, const char *bytes, size_t n)
{
	uint8_t blob[74];
	char b64[128];
	size_t got = 0;
	const char *line = strchr(text, '\n') + 1;
	assert_int_equal(sodium_base642bin(blob, sizeof blob, line, strcspn(line, "\n"), NULL, &got,
	                     NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(got, 74);
	memcpy(blob + i, bytes, n);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	return replace_line(text, 1, b64);
}

/* ---- known answers ---- */

static void parses_prehashed_vector(void **state)
{
	static const uint8_t keynum[8] = { 0x9d, 0xb2, 0x5b, 0xe5, 0x80, 0xd6, 0x3b, 0x27 };
	struct dossier_sig sig;
	(void)state;
	parse(vec_sig, strlen(vec_sig), &sig);
	assert_int_equal(sig.alg, DOSSIER_SIG_PREHASHED);
	assert_string_equal(sig.keyid, VEC_KEYID);
	assert_memory_equal(sig.keynum, keynum, 8);
	assert_string_equal(sig.untrusted_comment, "signature from minisign secret key");
	assert_string_equal(sig.trusted_comment, "dossier test vector");
}

static void verifies_prehashed_vector(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	pub(vec_pub, &pk);
	parse(vec_sig, strlen(vec_sig), &sig);
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
}

static void verifies_legacy_vector(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	pub(vec_pub, &pk);
	parse(vec_sig_legacy, strlen(vec_sig_legacy), &sig);
	assert_int_equal(sig.alg, DOSSIER_SIG_LEGACY);
	assert_string_equal(sig.keyid, VEC_KEYID);
	assert_string_equal(sig.trusted_comment, "dossier legacy test vector");
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
}

static void verifies_crlf_signature(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	char crlf[1024], *o = crlf;
	(void)state;
	for (const char *p = vec_sig; *p; p++) {
		if (*p == '\n')
			*o++ = '\r';
		*o++ = *p;
	}
	*o = '\0';
	pub(vec_pub, &pk);
	parse(crlf, strlen(crlf), &sig);
	/* the CR is not part of the trusted comment, or the global signature would fail */
	assert_string_equal(sig.trusted_comment, "dossier test vector");
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
}

static void verifies_utf8_trusted_comment(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	/* Signatories have names like this one; minisign 0.11 signs such comments, so a
	   signature made with it (dossier attach) must parse and verify. */
	pub(vec_pub, &pk);
	parse(vec_sig_utf8, strlen(vec_sig_utf8), &sig);
	assert_string_equal(sig.trusted_comment, "signed by Dietmar K\xc3\xb6ster");
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
}

static void accepts_trailing_blank_lines(void **state)
{
	struct dossier_sig sig;
	char text[1024];
	(void)state;
	snprintf(text, sizeof text, "%s\n\r\n", vec_sig);
	parse(text, strlen(text), &sig);
	/* and no final newline at all */
	parse(vec_sig, strlen(vec_sig) - 1, &sig);
}

/* ---- forgeries: each must be refused for its own reason ---- */

static void rejects_flipped_message_byte(void **state)
{
	struct dossier_sig sig, legacy;
	struct dossier_pubkey pk;
	char msg[sizeof vec_msg];
	(void)state;
	pub(vec_pub, &pk);
	parse(vec_sig, strlen(vec_sig), &sig);
	parse(vec_sig_legacy, strlen(vec_sig_legacy), &legacy);
	for (size_t i = 0; i < strlen(vec_msg); i++) {
		memcpy(msg, vec_msg, sizeof msg);
		msg[i] ^= 0x20;
		verify_bad(&sig, &pk, msg, strlen(msg), "signature by " VEC_KEYID " does not match the signed bytes");
		verify_bad(&legacy, &pk, msg, strlen(msg), "does not match the signed bytes");
	}
	/* one byte short, one byte more */
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg) - 1, "does not match the signed bytes");
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg) + 1, "does not match the signed bytes");
	verify_bad(&legacy, &pk, vec_msg, 0, "does not match the signed bytes");
}

static void rejects_flipped_signature_byte(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	pub(vec_pub, &pk);
	for (size_t i = 0; i < 64; i += 7) {
		parse(vec_sig, strlen(vec_sig), &sig);
		sig.sig[i] ^= 0x01;
		verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "does not match the signed bytes");
	}
	/* the same through the file text: a byte of the Ed25519 signature changed */
	char *text = edit_sig_blob(vec_sig, 40, "\x00", 1);
	parse(text, strlen(text), &sig);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "does not match the signed bytes");
	free(text);
}

static void rejects_altered_trusted_comment(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	pub(vec_pub, &pk);
	char *text = replace_line(vec_sig, 2, "trusted comment: dossier test vectoR");
	parse(text, strlen(text), &sig);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg),
	    "trusted comment of " VEC_KEYID "'s signature was altered");
	free(text);
	/* a comment swapped in from another good signature by the same key */
	text = replace_line(vec_sig, 2, "trusted comment: dossier legacy test vector");
	parse(text, strlen(text), &sig);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "was altered");
	free(text);
	/* an empty comment */
	text = replace_line(vec_sig, 2, "trusted comment: ");
	parse(text, strlen(text), &sig);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "was altered");
	free(text);
}

static void rejects_flipped_global_signature(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	(void)state;
	pub(vec_pub, &pk);
	parse(vec_sig, strlen(vec_sig), &sig);
	sig.global_sig[63] ^= 0x80;
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "was altered");
	/* a global signature lifted from another signature does not fit */
	struct dossier_sig legacy;
	parse(vec_sig, strlen(vec_sig), &sig);
	parse(vec_sig_legacy, strlen(vec_sig_legacy), &legacy);
	memcpy(sig.global_sig, legacy.global_sig, 64);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "was altered");
}

static void rejects_wrong_key_naming_both_ids(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	struct dossier_error err;
	(void)state;
	pub(vec_pub, &pk);
	parse(vec_sig_k2, strlen(vec_sig_k2), &sig);
	assert_string_equal(sig.keyid, VEC_KEYID2);
	assert_int_equal(dossier_sig_verify(&sig, &pk, vec_msg, strlen(vec_msg), &err), DOSSIER_INVALID);
	assert_string_equal(err.message,
	    "signature key id " VEC_KEYID2 " differs from the public key's " VEC_KEYID);
	/* with its own key it is good */
	pub(vec_pub2, &pk);
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
}

static void rejects_key_with_borrowed_key_id(void **state)
{
	struct dossier_sig sig;
	struct dossier_pubkey pk, other;
	(void)state;
	/* a key that claims the vector's key id but holds another public key */
	pub(vec_pub, &pk);
	pub(vec_pub2, &other);
	memcpy(pk.pk, other.pk, 32);
	parse(vec_sig, strlen(vec_sig), &sig);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "does not match the signed bytes");
	/* and a signature whose key id was rewritten to the verifier's key */
	char *text = edit_sig_blob(vec_sig_k2, 2, (const char *)"\x9d\xb2\x5b\xe5\x80\xd6\x3b\x27", 8);
	parse(text, strlen(text), &sig);
	assert_string_equal(sig.keyid, VEC_KEYID);
	pub(vec_pub, &pk);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "does not match the signed bytes");
	free(text);
}

static void rejects_bad_base64(void **state)
{
	static const char *const lines[] = {
		"",
		"!!!!",
		"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK", /* truncated */
		/* one character short of the full line */
		"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK/XYMdgPU4cOejFkTLu1e/PVBgcLr7/Bm+T2KimA21yeKsoOjZpUZOgU",
		/* three bytes too many */
		"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK/XYMdgPU4cOejFkTLu1e/PVBgcLr7/Bm+T2KimA21yeKsoOjZpUZOgUAAAA",
		"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK/XYMdgPU4cOejFkTLu1e/PVBgcLr7/Bm+T2KimA21yeKsoOjZpUZOgU= ",
	};
	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		char *text = replace_line(vec_sig, 1, lines[i]);
		parse_bad(text, strlen(text), "signature: second line is not base64 of 74 bytes");
		free(text);
	}
	char *text = replace_line(vec_sig, 3, "ndRTLH92wrCb1fv8EBx8rUXv0m02KWgHa34rjRRH5");
	parse_bad(text, strlen(text), "signature: fourth line is not base64 of 64 bytes");
	free(text);
	text = replace_line(vec_sig, 3, "");
	parse_bad(text, strlen(text), "fourth line is not base64 of 64 bytes");
	free(text);
}

static void rejects_wrong_algorithm(void **state)
{
	static const char *const algs[] = { "EE", "ed", "\0\0", "B2", "Sc" };
	(void)state;
	for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
		char *text = edit_sig_blob(vec_sig, 0, algs[i], 2);
		parse_bad(text, strlen(text), "signature: unknown algorithm");
		free(text);
	}
}

static void rejects_missing_lines(void **state)
{
	(void)state;
	parse_bad("", 0, "signature: first line is not an untrusted comment");
	parse_bad("trusted comment: x\n", 19, "first line is not an untrusted comment");
	/* the first line only */
	parse_bad(vec_sig, (size_t)(strchr(vec_sig, '\n') + 1 - vec_sig), "second line is not base64 of 74 bytes");
	char *text = replace_line(vec_sig, 2, "untrusted comment: dossier test vector");
	parse_bad(text, strlen(text), "signature: third line is not a trusted comment");
	free(text);
	/* three lines, no global signature */
	size_t three = (size_t)(strstr(vec_sig, "ndRT") - vec_sig);
	parse_bad(vec_sig, three, "signature: fourth line is not base64 of 64 bytes");
}

static void rejects_trailing_data(void **state)
{
	char text[1024];
	(void)state;
	snprintf(text, sizeof text, "%s%s", vec_sig, "trusted comment: a second one\n");
	parse_bad(text, strlen(text), "signature: unexpected data after the signature");
	snprintf(text, sizeof text, "%s\n \n", vec_sig);
	parse_bad(text, strlen(text), "unexpected data after the signature");
}

static void rejects_nul_and_oversize(void **state)
{
	char text[1024];
	(void)state;
	memcpy(text, vec_sig, sizeof vec_sig);
	text[60] = '\0';
	parse_bad(text, strlen(vec_sig), "signature contains a NUL byte");
	size_t n = 16385;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, '\n', n);
	memcpy(big, vec_sig, strlen(vec_sig));
	parse_bad(big, n, "signature file larger than 16384 bytes");
	/* 16384 bytes of a good signature padded with blank lines are fine */
	struct dossier_sig sig;
	parse(big, n - 1, &sig);
	free(big);
}

static void rejects_unprintable_invalid_or_long_trusted_comment(void **state)
{
	static const char *const comments[] = {
		"trusted comment: bell\a", "trusted comment: esc\x1b[2J", "trusted comment: del\x7f",
		"trusted comment: cr\rinside", "trusted comment: stray \x9b byte",
		"trusted comment: overlong \xc0\xaf slash",
	};
	(void)state;
	for (size_t i = 0; i < sizeof comments / sizeof *comments; i++) {
		char *text = replace_line(vec_sig, 2, comments[i]);
		parse_bad(text, strlen(text),
		    "signature: trusted comment too long, not UTF-8, or has control characters");
		free(text);
	}
	char *line = malloc(8300);
	assert_non_null(line);
	strcpy(line, "trusted comment: ");
	memset(line + 17, 'c', 8192);
	line[17 + 8192] = '\0';
	char *text = replace_line(vec_sig, 2, line);
	parse_bad(text, strlen(text), "trusted comment too long, not UTF-8, or has control characters");
	free(text);
	/* a tab is allowed, as minisign allows it */
	struct dossier_sig sig;
	text = replace_line(vec_sig, 2, "trusted comment: a\tb");
	parse(text, strlen(text), &sig);
	assert_string_equal(sig.trusted_comment, "a\tb");
	free(text);
	free(line);
}

static void rejects_long_untrusted_comment(void **state)
{
	char line[1100];
	(void)state;
	strcpy(line, "untrusted comment: ");
	memset(line + 19, 'u', 1024);
	line[19 + 1024] = '\0';
	char *text = replace_line(vec_sig, 0, line);
	parse_bad(text, strlen(text), "signature: untrusted comment too long");
	free(text);
}

/* ---- signing ---- */

static struct dossier_seckey *vector_seckey(const char *dir)
{
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	char path[600];
	snprintf(path, sizeof path, "%s/k.key", dir);
	write_file(path, vec_key, strlen(vec_key));
	if (dossier_seckey_load(path, &key, &err) != DOSSIER_OK ||
	    dossier_seckey_unlock(key, NULL, &err) != DOSSIER_OK)
		fail_msg("vector key: %s", err.message);
	return key;
}

static void create_then_verify(void **state)
{
	struct dossier_seckey *key = vector_seckey(*state);
	struct dossier_pubkey pk;
	struct dossier_sig sig;
	struct dossier_error err;
	char *text = NULL;
	static const char comment[] = "dossier-v1 bundle:7efb18fe-826f-8c11-b378-98a9273fd886 signer:" VEC_KEYID;
	if (dossier_sig_create(key, vec_msg, strlen(vec_msg), comment, &text, &err) != DOSSIER_OK)
		fail_msg("sig_create: %s", err.message);
	/* four lines, minisign's layout */
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4);
	assert_int_equal(strncmp(text, "untrusted comment: ", 19), 0);
	assert_contains(text, VEC_KEYID);
	assert_contains(text, "\ntrusted comment: dossier-v1 bundle:");
	assert_int_equal(text[strlen(text) - 1], '\n');
	parse(text, strlen(text), &sig);
	assert_int_equal(sig.alg, DOSSIER_SIG_PREHASHED);
	assert_string_equal(sig.keyid, VEC_KEYID);
	assert_string_equal(sig.trusted_comment, comment);
	pub(vec_pub, &pk);
	verify_ok(&sig, &pk, vec_msg, strlen(vec_msg));
	verify_bad(&sig, &pk, "other", 5, "does not match the signed bytes");
	pub(vec_pub2, &pk);
	verify_bad(&sig, &pk, vec_msg, strlen(vec_msg), "differs from the public key's");
	free(text);
	/* Ed25519 is deterministic and so is the prehash: the same input, the same text */
	char *again = NULL;
	assert_int_equal(dossier_sig_create(key, vec_msg, strlen(vec_msg), comment, &again, &err), DOSSIER_OK);
	assert_int_equal(dossier_sig_create(key, vec_msg, strlen(vec_msg), comment, &text, &err), DOSSIER_OK);
	assert_string_equal(text, again);
	free(text);
	free(again);
	dossier_seckey_free(key);
}

static void create_signs_empty_message(void **state)
{
	struct dossier_seckey *key = vector_seckey(*state);
	struct dossier_pubkey pk;
	struct dossier_sig sig;
	struct dossier_error err;
	char *text = NULL;
	assert_int_equal(dossier_sig_create(key, "", 0, "", &text, &err), DOSSIER_OK);
	parse(text, strlen(text), &sig);
	pub(vec_pub, &pk);
	verify_ok(&sig, &pk, "", 0);
	verify_bad(&sig, &pk, "\n", 1, "does not match");
	free(text);
	dossier_seckey_free(key);
}

static void create_rejects_bad_comments(void **state)
{
	struct dossier_seckey *key = vector_seckey(*state);
	struct dossier_error err;
	char *text = (char *)1;
	assert_int_equal(dossier_sig_create(key, "m", 1, "two\nlines", &text, &err), DOSSIER_USAGE);
	assert_null(text);
	assert_contains(err.message, "one line");
	assert_int_equal(dossier_sig_create(key, "m", 1, "cr\r", &text, &err), DOSSIER_USAGE);
	char *long_comment = malloc(8001);
	assert_non_null(long_comment);
	memset(long_comment, 'c', 8000);
	long_comment[8000] = '\0';
	assert_int_equal(dossier_sig_create(key, "m", 1, long_comment, &text, &err), DOSSIER_USAGE);
	long_comment[7999] = '\0';
	assert_int_equal(dossier_sig_create(key, "m", 1, long_comment, &text, &err), DOSSIER_OK);
	struct dossier_sig sig;
	struct dossier_pubkey pk;
	parse(text, strlen(text), &sig);
	pub(vec_pub, &pk);
	verify_ok(&sig, &pk, "m", 1);
	free(text);
	free(long_comment);
	dossier_seckey_free(key);
}

static void minisign_verifies_created_signature(void **state)
{
	char msg[600], sigp[600], pubp[600];
	struct dossier_error err;
	char *text = NULL;
	/* stock minisign is a test dependency (scripts/ensure-deps test installs it) */
	if (access("/usr/bin/minisign", X_OK) != 0)
		fail_msg("%s", "/usr/bin/minisign is not installed");
	struct dossier_seckey *key = vector_seckey(*state);
	snprintf(msg, sizeof msg, "%s/msg.txt", (const char *)*state);
	snprintf(sigp, sizeof sigp, "%s/msg.txt.minisig", (const char *)*state);
	snprintf(pubp, sizeof pubp, "%s/k.pub", (const char *)*state);
	write_file(msg, vec_msg, strlen(vec_msg));
	write_file(pubp, vec_pub, strlen(vec_pub));
	assert_int_equal(dossier_sig_create(key, vec_msg, strlen(vec_msg), "made by libdossier", &text, &err),
	    DOSSIER_OK);
	write_file(sigp, text, strlen(text));
	char *argv[] = { "/usr/bin/minisign", "-V", "-q", "-p", pubp, "-m", msg, "-x", sigp, NULL };
	assert_int_equal(run_quiet(argv), 0);
	/* and minisign too refuses it over other bytes */
	write_file(msg, "tampered\n", 9);
	assert_int_not_equal(run_quiet(argv), 0);
	free(text);
	dossier_seckey_free(key);
}

#define T(f) cmocka_unit_test(f)
#define TD(f) cmocka_unit_test_setup_teardown(f, make_tmpdir, remove_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(parses_prehashed_vector),
		T(verifies_prehashed_vector),
		T(verifies_legacy_vector),
		T(verifies_crlf_signature),
		T(verifies_utf8_trusted_comment),
		T(accepts_trailing_blank_lines),
		T(rejects_flipped_message_byte),
		T(rejects_flipped_signature_byte),
		T(rejects_altered_trusted_comment),
		T(rejects_flipped_global_signature),
		T(rejects_wrong_key_naming_both_ids),
		T(rejects_key_with_borrowed_key_id),
		T(rejects_bad_base64),
		T(rejects_wrong_algorithm),
		T(rejects_missing_lines),
		T(rejects_trailing_data),
		T(rejects_nul_and_oversize),
		T(rejects_unprintable_invalid_or_long_trusted_comment),
		T(rejects_long_untrusted_comment),
		TD(create_then_verify),
		TD(create_signs_empty_message),
		TD(create_rejects_bad_comments),
		TD(minisign_verifies_created_signature),
	};
	if (dossier_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
