/* tsa.c - RFC 3161 with OpenSSL's TS API: a request over a SHA-256 digest, and a
   response checked for status, imprint, nonce, signature and the TSA's certificate
   chain, judged at the token's own genTime so an expired TSA certificate does not
   void old evidence. */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

/* OpenSSL's own words for the last failure, with its detail ("Verify error:..."); the
   error code in *code. */
static const char *openssl_reason(char *buf, size_t len, const char *fallback, unsigned long *code)
{
	const char *data = NULL;
	int flags = 0;
	unsigned long e, last = 0;
	const char *last_data = NULL;
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		last = e;
		last_data = (flags & ERR_TXT_STRING) && data && *data ? data : last_data;
	}
	if (code != NULL)
		*code = last;
	if (last == 0) {
		snprintf(buf, len, "%s", fallback);
		return buf;
	}
	const char *reason = ERR_reason_error_string(last);
	snprintf(buf, len, "%s%s%s", reason ? reason : fallback, last_data ? ": " : "", last_data ? last_data : "");
	return buf;
}

enum dossier_status ts_request(const uint8_t digest[32], uint8_t **der, size_t *len, uint64_t *nonce,
    struct dossier_error *err)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *n = NULL;
	enum dossier_status st = DOSSIER_SOFTWARE;
	uint8_t rnd[8];
	*der = NULL;
	/* a fresh nonce ties the answer to this request: no replay of an old response */
	if (req == NULL || mi == NULL || alg == NULL || RAND_bytes(rnd, sizeof rnd) != 1)
		goto out;
	*nonce = 0;
	for (int i = 0; i < 8; i++)
		*nonce = (*nonce << 8) | rnd[i];
	*nonce &= 0x7FFFFFFFFFFFFFFFull; /* positive, as ASN1_INTEGER_set_uint64 writes it */
	if ((n = ASN1_INTEGER_new()) == NULL || ASN1_INTEGER_set_uint64(n, *nonce) != 1 ||
	    X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) != 1 ||
	    TS_MSG_IMPRINT_set_algo(mi, alg) != 1 || TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)digest, 32) != 1 ||
	    TS_REQ_set_version(req, 1) != 1 || TS_REQ_set_msg_imprint(req, mi) != 1 ||
	    TS_REQ_set_nonce(req, n) != 1 || TS_REQ_set_cert_req(req, 1) != 1)
		goto out;
	int l = i2d_TS_REQ(req, der);
	if (l <= 0)
		goto out;
	*len = (size_t)l;
	st = DOSSIER_OK;
out:
	ASN1_INTEGER_free(n);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	ERR_clear_error();
	return st == DOSSIER_OK ? st : dossier_fail(err, st, "cannot build a timestamp request (out of memory?)");
}

static int64_t asn1_time_unix(const ASN1_GENERALIZEDTIME *t)
{
	struct tm tm;
	char s[80];
	int64_t v;
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	return parse_rfc3339(s, &v) == 0 ? v : -1;
}

/* The certificate that signed the token, from the certificates it carries. */
static X509 *token_signer(PKCS7 *token)
{
	STACK_OF(X509) *signers = PKCS7_get0_signers(token, NULL, 0);
	X509 *x = signers && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
	if (x != NULL)
		X509_up_ref(x);
	sk_X509_free(signers);
	ERR_clear_error();
	return x;
}

enum dossier_status ts_parse(const char *name, const uint8_t *der, size_t len, struct ts_token *out,
    struct dossier_error *err)
{
	const unsigned char *p = der;
	memset(out, 0, sizeof *out);
	TS_RESP *resp = len < (1u << 20) ? d2i_TS_RESP(NULL, &p, (long)len) : NULL;
	if (resp == NULL || p != der + len) {
		TS_RESP_free(resp);
		ERR_clear_error();
		return dossier_fail(err, DOSSIER_INVALID, "%s: not an RFC 3161 timestamp response", name);
	}
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	long status = si ? ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si)) : -1;
	TS_TST_INFO *tst = TS_RESP_get_tst_info(resp);
	PKCS7 *token = TS_RESP_get_token(resp);
	enum dossier_status st = DOSSIER_OK;
	if ((status != 0 && status != 1) || tst == NULL || token == NULL) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the TSA did not grant a timestamp (status %ld)", name, status);
		goto out;
	}
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
	const ASN1_OBJECT *oid = NULL;
	X509_ALGOR_get0(&oid, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	ASN1_OCTET_STRING *d = TS_MSG_IMPRINT_get_msg(mi);
	if (OBJ_obj2nid(oid) != NID_sha256 || d == NULL || ASN1_STRING_length(d) != 32) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the token's message imprint is not SHA-256", name);
		goto out;
	}
	memcpy(out->imprint, ASN1_STRING_get0_data(d), 32);
	if ((out->gen_time = asn1_time_unix(TS_TST_INFO_get_time(tst))) < 0) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: the token's genTime is malformed", name);
		goto out;
	}
	format_rfc3339(out->gen_time, out->gen_time_s);
	const ASN1_INTEGER *nonce = TS_TST_INFO_get_nonce(tst);
	uint64_t nv = 0;
	out->has_nonce = nonce != NULL && ASN1_INTEGER_get_uint64(&nv, nonce) == 1;
	out->nonce = nv;
	X509 *signer = token_signer(token);
	if (signer != NULL) {
		X509_NAME_oneline(X509_get_subject_name(signer), out->tsa, sizeof out->tsa);
		X509_free(signer);
	} else {
		snprintf(out->tsa, sizeof out->tsa, "(the token carries no TSA certificate)");
	}
out:
	TS_RESP_free(resp);
	ERR_clear_error();
	return st;
}

/* RFC 3161 2.3: the TSA's certificate must have exactly the timeStamping key purpose,
   marked critical. OpenSSL enforces it too; saying it in these words helps the reader. */
static const char *eku_problem(X509 *x)
{
	int i = X509_get_ext_by_NID(x, NID_ext_key_usage, -1);
	if (i < 0 || !(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) || X509_get_extended_key_usage(x) != XKU_TIMESTAMP)
		return "the TSA certificate lacks the timeStamping extended key usage";
	if (!X509_EXTENSION_get_critical(X509_get_ext(x, i)))
		return "the TSA certificate's timeStamping extended key usage is not marked critical";
	return NULL;
}

const char *ts_verify(const uint8_t *der, size_t len, const uint8_t want[32], const uint64_t *nonce,
    const char *const *ca_files, size_t nca, int64_t gen_time, char *why, size_t whylen,
    enum dossier_status *kind)
{
	unsigned long code = 0;
	const unsigned char *p = der;
	TS_RESP *resp = d2i_TS_RESP(NULL, &p, (long)len);
	TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
	X509_STORE *store = X509_STORE_new();
	const char *bad = NULL;
	*kind = DOSSIER_UNTRUSTED;
	if (resp == NULL || ctx == NULL || store == NULL) {
		bad = openssl_reason(why, whylen, "out of memory", NULL);
		*kind = DOSSIER_SOFTWARE;
		goto out;
	}
	if (nca == 0) {
		bad = "no TSA certificate is trusted (the keyring's tsa/ is empty)";
		goto out;
	}
	for (size_t i = 0; i < nca; i++)
		if (X509_STORE_load_file(store, ca_files[i]) != 1) {
			snprintf(why, whylen, "cannot load %s", ca_files[i]);
			bad = why;
			goto out;
		}
	X509 *signer = TS_RESP_get_token(resp) ? token_signer(TS_RESP_get_token(resp)) : NULL;
	if (signer == NULL) {
		bad = "the token does not carry the TSA's certificate";
		goto out;
	}
	/* the signature first, with the certificate it names: a token altered after signing
	   (its genTime, say) is forged, whatever its chain would say at the altered time */
	int sig_ok = PKCS7_verify(TS_RESP_get_token(resp), NULL, NULL, NULL, NULL, PKCS7_NOVERIFY) == 1;
	ERR_clear_error();
	bad = sig_ok ? eku_problem(signer) : "the token's signature does not verify (forged or altered)";
	X509_free(signer);
	if (!sig_ok)
		*kind = DOSSIER_INVALID;
	if (bad != NULL)
		goto out;
	/* judged at genTime: whether the chain was valid when the TSA signed, not today */
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)gen_time);
	/* no X509_V_FLAG_PARTIAL_CHAIN: an anchor in tsa/ is a self-signed root (FORMAT.md
	   13.3); a TSA's own certificate or an intermediate alone there trusts nothing */
	uint8_t *imprint = OPENSSL_malloc(32);
	if (imprint == NULL) {
		bad = "out of memory";
		goto out;
	}
	memcpy(imprint, want, 32);
	TS_VERIFY_CTX_set_imprint(ctx, imprint, 32);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE);
	TS_VERIFY_CTX_set_store(ctx, store);
	store = NULL; /* the context owns it now */
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		bad = openssl_reason(why, whylen, "the token does not verify", &code);
		/* a chain that does not lead to a trusted CA is a matter of trust; anything
		   else (signature, imprint, status) means the token itself is wrong */
		*kind = ERR_GET_REASON(code) == TS_R_CERTIFICATE_VERIFY_ERROR ? DOSSIER_UNTRUSTED : DOSSIER_INVALID;
		goto out;
	}
	if (nonce != NULL) {
		const ASN1_INTEGER *n = TS_TST_INFO_get_nonce(TS_RESP_get_tst_info(resp));
		uint64_t got = 0;
		if (n == NULL || ASN1_INTEGER_get_uint64(&got, n) != 1 || got != *nonce) {
			bad = "the response's nonce differs from the request's (a replayed or mixed-up answer)";
			*kind = DOSSIER_INVALID;
		}
	}
out:
	X509_STORE_free(store);
	TS_VERIFY_CTX_free(ctx);
	TS_RESP_free(resp);
	ERR_clear_error();
	return bad;
}
