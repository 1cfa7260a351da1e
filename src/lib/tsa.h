/* tsa.h - RFC 3161 time-stamp requests and tokens (tsa.c), fetching them (http.c), and
   the timestamps of a bundle (timestamps.c). */
#ifndef DOSSIER_TSA_H
#define DOSSIER_TSA_H

#include "internal.h"

struct ts_token {
	uint8_t imprint[32];   /* the SHA-256 the TSA signed */
	int64_t gen_time;      /* when, by the TSA's clock */
	char gen_time_s[32];
	char tsa[512];         /* the subject of the TSA's certificate */
	int has_nonce;
	uint64_t nonce;
};

/* A DER TimeStampReq over digest with a fresh random nonce and certReq true. */
enum dossier_status ts_request(const uint8_t digest[32], uint8_t **der, size_t *len, uint64_t *nonce,
    struct dossier_error *err);
/* Parses a DER TimeStampResp: granted, SHA-256 imprint, genTime, TSA name. */
enum dossier_status ts_parse(const char *name, const uint8_t *der, size_t len, struct ts_token *out,
    struct dossier_error *err);
/* Verifies a response against the CA certificates in ca_files at gen_time: signature,
   chain, critical timeStamping EKU, imprint == want, and the nonce when given. NULL if
   it holds, else the reason, and *kind says whether the token is forged or mixed up
   (DOSSIER_INVALID) or only not trusted here (DOSSIER_UNTRUSTED: chain, EKU, no CA). */
const char *ts_verify(const uint8_t *der, size_t len, const uint8_t want[32], const uint64_t *nonce,
    const char *const *ca_files, size_t nca, int64_t gen_time, char *why, size_t whylen,
    enum dossier_status *kind);

/* POSTs a request to a TSA over HTTP(S) and returns the response body (at most 1 MiB). */
enum dossier_status http_post_tsq(const char *url, const uint8_t *der, size_t len, long timeout_s,
    struct buf *out, struct dossier_error *err);

#endif
