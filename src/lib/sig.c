/* sig.c - minisign signatures: parse, verify (key id, signature, trusted comment), create. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "


/* Next line of text without its line ending; NULL when none is left. */
static const char *next_line(const char **pos, const char *end, size_t *len)
{
	if (*pos >= end)
		return NULL;
	const char *line = *pos;
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
	*pos = nl ? nl + 1 : end;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	*len = n;
	return line;
}

static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\t' && ((unsigned char)s[i] < 0x20 || s[i] == 0x7F))
			return 0; /* stock minisign writes UTF-8 comments; control characters never */
	return 1;
}

static int decode_line(const char *line, size_t n, uint8_t *bin, size_t bin_len)
{
	size_t got = 0;
	return sodium_base642bin(bin, bin_len, line, n, NULL, &got, NULL,
	           sodium_base64_VARIANT_ORIGINAL) == 0 && got == bin_len ? 0 : -1;
}

enum dossier_status dossier_sig_parse(const char *text, size_t len, struct dossier_sig *out,
    struct dossier_error *err)
{
	const char *pos = text, *end = text + len, *line;
	size_t n;
	uint8_t blob[74];
	memset(out, 0, sizeof *out);
	if (len > LIMIT_SIGFILE)
		return dossier_fail(err, DOSSIER_INVALID, "signature file larger than %d bytes", LIMIT_SIGFILE);
	if (memchr(text, '\0', len) != NULL)
		return dossier_fail(err, DOSSIER_INVALID, "signature contains a NUL byte");

	line = next_line(&pos, end, &n);
	if (line == NULL || n < strlen(UNTRUSTED_PREFIX) ||
	    memcmp(line, UNTRUSTED_PREFIX, strlen(UNTRUSTED_PREFIX)) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "signature: first line is not an untrusted comment");
	n -= strlen(UNTRUSTED_PREFIX);
	if (n >= sizeof out->untrusted_comment)
		return dossier_fail(err, DOSSIER_INVALID, "signature: untrusted comment too long");
	memcpy(out->untrusted_comment, line + strlen(UNTRUSTED_PREFIX), n);

	line = next_line(&pos, end, &n);
	if (line == NULL || decode_line(line, n, blob, sizeof blob) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "signature: second line is not base64 of 74 bytes");
	if (memcmp(blob, "ED", 2) == 0)
		out->alg = DOSSIER_SIG_PREHASHED;
	else if (memcmp(blob, "Ed", 2) == 0)
		out->alg = DOSSIER_SIG_LEGACY;
	else
		return dossier_fail(err, DOSSIER_INVALID, "signature: unknown algorithm");
	memcpy(out->keynum, blob + 2, 8);
	memcpy(out->sig, blob + 10, 64);
	keyid_format(out->keynum, out->keyid);

	line = next_line(&pos, end, &n);
	if (line == NULL || n < strlen(TRUSTED_PREFIX) ||
	    memcmp(line, TRUSTED_PREFIX, strlen(TRUSTED_PREFIX)) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "signature: third line is not a trusted comment");
	n -= strlen(TRUSTED_PREFIX);
	if (n >= sizeof out->trusted_comment || !printable(line + strlen(TRUSTED_PREFIX), n) ||
	    !utf8_valid(line + strlen(TRUSTED_PREFIX), n))
		return dossier_fail(err, DOSSIER_INVALID,
		    "signature: trusted comment too long, not UTF-8, or has control characters");
	memcpy(out->trusted_comment, line + strlen(TRUSTED_PREFIX), n);

	line = next_line(&pos, end, &n);
	if (line == NULL || decode_line(line, n, out->global_sig, 64) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "signature: fourth line is not base64 of 64 bytes");
	while ((line = next_line(&pos, end, &n)) != NULL)
		if (n != 0)
			return dossier_fail(err, DOSSIER_INVALID, "signature: unexpected data after the signature");
	return DOSSIER_OK;
}

/* The bytes the global signature covers: the signature, then the trusted comment. */
static uint8_t *global_message(const uint8_t sig[64], const char *comment, size_t *len)
{
	size_t clen = strlen(comment);
	uint8_t *m = malloc(64 + clen);
	if (m == NULL)
		return NULL;
	memcpy(m, sig, 64);
	memcpy(m + 64, comment, clen);
	*len = 64 + clen;
	return m;
}

enum dossier_status dossier_sig_verify(const struct dossier_sig *sig,
    const struct dossier_pubkey *key, const void *msg, size_t msglen, struct dossier_error *err)
{
	uint8_t prehash[64];
	if (sodium_memcmp(sig->keynum, key->keynum, 8) != 0)
		return dossier_fail(err, DOSSIER_INVALID,
		    "signature key id %s differs from the public key's %s", sig->keyid, key->keyid);
	int rc;
	if (sig->alg == DOSSIER_SIG_PREHASHED) {
		crypto_generichash(prehash, sizeof prehash, msg, msglen, NULL, 0);
		rc = crypto_sign_verify_detached(sig->sig, prehash, sizeof prehash, key->pk);
	} else {
		rc = crypto_sign_verify_detached(sig->sig, msg, msglen, key->pk);
	}
	if (rc != 0)
		return dossier_fail(err, DOSSIER_INVALID, "signature by %s does not match the signed bytes", sig->keyid);
	size_t glen;
	uint8_t *g = global_message(sig->sig, sig->trusted_comment, &glen);
	if (g == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	rc = crypto_sign_verify_detached(sig->global_sig, g, glen, key->pk);
	free(g);
	if (rc != 0)
		return dossier_fail(err, DOSSIER_INVALID, "trusted comment of %s's signature was altered", sig->keyid);
	return DOSSIER_OK;
}

static int append_b64(struct buf *b, const uint8_t *bin, size_t len)
{
	char tmp[256];
	sodium_bin2base64(tmp, sizeof tmp, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return buf_printf(b, "%s\n", tmp);
}

enum dossier_status dossier_sig_create(const struct dossier_seckey *key, const void *msg,
    size_t msglen, const char *trusted_comment, char **out, struct dossier_error *err)
{
	const uint8_t *keynum;
	const uint8_t *sk = seckey_sk(key, &keynum);
	uint8_t blob[74], prehash[64], global[64];
	char keyid[17];
	struct buf b = { 0 };
	*out = NULL;
	if (sk == NULL)
		return dossier_fail(err, DOSSIER_USAGE, "secret key is still encrypted");
	if (strpbrk(trusted_comment, "\r\n") != NULL || strlen(trusted_comment) >= 8000)
		return dossier_fail(err, DOSSIER_USAGE, "trusted comment must be one line under 8000 bytes");
	crypto_generichash(prehash, sizeof prehash, msg, msglen, NULL, 0);
	memcpy(blob, "ED", 2);
	memcpy(blob + 2, keynum, 8);
	crypto_sign_detached(blob + 10, NULL, prehash, sizeof prehash, sk);
	size_t glen;
	uint8_t *g = global_message(blob + 10, trusted_comment, &glen);
	if (g == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	crypto_sign_detached(global, NULL, g, glen, sk);
	free(g);
	keyid_format(keynum, keyid);
	if (buf_printf(&b, "untrusted comment: dossier signature from key %s\n", keyid) != 0 ||
	    append_b64(&b, blob, sizeof blob) != 0 ||
	    buf_printf(&b, "trusted comment: %s\n", trusted_comment) != 0 ||
	    append_b64(&b, global, sizeof global) != 0) {
		buf_release(&b);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	*out = b.data;
	return DOSSIER_OK;
}
