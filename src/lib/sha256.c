/* sha256.c - SHA-256 through OpenSSL EVP, which uses SHA-NI where present. */
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

#include "internal.h"

/* OpenSSL 3 looks EVP_sha256() up in its provider table on every use, a lock and a
   search that cost as much as hashing a 4 KiB file. Fetched once, the digest is kept
   for the life of the process (OpenSSL caches it anyway). */
static EVP_MD *fetched;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256_md(void)
{
	pthread_once(&fetch_once, fetch_sha256);
	return fetched != NULL ? fetched : EVP_sha256();
}

int sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, sha256_md(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		h->ctx = NULL;
		return -1;
	}
	h->ctx = ctx;
	return 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	if (len > 0)
		EVP_DigestUpdate(h->ctx, data, len);
}

void sha256_final(struct sha256 *h, uint8_t out[32])
{
	unsigned int n = 32;
	EVP_DigestFinal_ex(h->ctx, out, &n);
}

void sha256_release(struct sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int sha256_buf(const void *data, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	return EVP_Digest(data, len, out, &n, sha256_md(), NULL) == 1 ? 0 : -1;
}

int sha256_two(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32])
{
	struct sha256 h;
	if (alen == 0)
		return sha256_buf(b, blen, out);
	if (sha256_init(&h) != 0)
		return -1;
	sha256_update(&h, a, alen);
	sha256_update(&h, b, blen);
	sha256_final(&h, out);
	sha256_release(&h);
	return 0;
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode_digest(const char *hex, uint8_t out[32])
{
	return hex_decode_bytes(hex, out, 32, 0);
}

int hex_decode_bytes(const char *hex, uint8_t *out, size_t len, int whole)
{
	if (whole && strlen(hex) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = nibble(hex[2 * i]);
		int lo = hi < 0 ? -1 : nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
