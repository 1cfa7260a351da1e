/* fuzz_tsr.c - libFuzzer: an RFC 3161 response (timestamps/<n>.tsr) through ts_parse, and a
   token that parses through ts_verify against a fixed test CA. OK or INVALID with the name
   first; a parsed genTime that round-trips; a verdict that is NULL or a reason of a known kind. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "Test TSA CA" from `tests/cli/helpers/tsa.py pki`: the seeds in fuzz/corpus/tsr/ were
   answered by its TSAs (/good, /second, /old chain to it), so ts_verify can succeed. */
static const char ca_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBcjCCARigAwIBAgIULfthHlsdm3tdNThIm5g8ZDh1sLwwCgYIKoZIzj0EAwIw\n"
	"FjEUMBIGA1UEAwwLVGVzdCBUU0EgQ0EwIBcNMTkwMTAxMDAwMDAwWhgPMjA3MzEw\n"
	"MDQwMDAwMDBaMBYxFDASBgNVBAMMC1Rlc3QgVFNBIENBMFkwEwYHKoZIzj0CAQYI\n"
	"KoZIzj0DAQcDQgAEtcYFZF+2dauZ7Di20OLVq/o5DTAfvaodC5adQcHl/1LxBE9u\n"
	"1h5u6fg3WVQekJs+Mf4lrAxDtN5DMYJCh42jf6NCMEAwDwYDVR0TAQH/BAUwAwEB\n"
	"/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFDCMcu6Fua+xkTZ9u73f4tjH7qaf\n"
	"MAoGCCqGSM49BAMCA0gAMEUCIHb3KPradN3fKkS8U1JvZy6NDjPnxbh+sOF2trZ7\n"
	"UHOUAiEAx/UnQ2TiPpS0wTckf0bMx8mmx8A3xZCEciaKujHVlgw=\n"
	"-----END CERTIFICATE-----\n";

static const char name[] = "t.tsr";
static char dir[64], ca_path[96];

static void cleanup(void)
{
	if (ca_path[0] != '\0')
		unlink(ca_path);
	if (dir[0] != '\0')
		rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/fuzz-tsr-XXXXXX");
	if (mkdtemp(dir) == NULL || dossier_init() != 0)
		abort();
	snprintf(ca_path, sizeof ca_path, "%s/ca.pem", dir);
	FILE *f = fopen(ca_path, "w");
	if (f == NULL || fputs(ca_pem, f) == EOF || fclose(f) != 0)
		abort();
	atexit(cleanup);
}

static int known_kind(enum dossier_status k)
{
	return k == DOSSIER_INVALID || k == DOSSIER_UNTRUSTED || k == DOSSIER_SOFTWARE;
}

/* NULL, or a non-empty NUL-terminated reason of a known kind */
static const char *verify(const uint8_t *data, size_t size, const uint8_t want[32], const uint64_t *nonce,
    const char *const *cas, size_t ncas, int64_t gen_time, enum dossier_status *kind)
{
	char why[512];
	memset(why, 'x', sizeof why);
	*kind = DOSSIER_OK;
	const char *bad = ts_verify(data, size, want, nonce, cas, ncas, gen_time, why, sizeof why, kind);
	if (bad != NULL) {
		if (!known_kind(*kind) || (bad == why && memchr(why, '\0', sizeof why) == NULL) || bad[0] == '\0')
			abort();
	}
	return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_token tok;
	struct dossier_error err;
	enum dossier_status kind;
	int64_t again;
	if (dir[0] == '\0')
		setup();
	memset(&err, 0, sizeof err);
	memset(&tok, 'x', sizeof tok);
	enum dossier_status st = ts_parse(name, data, size, &tok, &err);
	if (st != DOSSIER_OK) {
		/* DOSSIER_SOFTWARE would mean out of memory, which libFuzzer reports before malloc fails */
		if (st != DOSSIER_INVALID || err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL ||
		    strncmp(err.message, "t.tsr: ", 7) != 0 || strlen(err.message) <= 7)
			abort();
		return 0;
	}
	if (memchr(tok.gen_time_s, '\0', sizeof tok.gen_time_s) == NULL || strlen(tok.gen_time_s) != 20 ||
	    parse_rfc3339(tok.gen_time_s, &again) != 0 || again != tok.gen_time ||
	    memchr(tok.tsa, '\0', sizeof tok.tsa) == NULL || (!tok.has_nonce && tok.nonce != 0))
		abort();

	const char *cas[] = {ca_path};
	const char *bad = verify(data, size, tok.imprint, NULL, cas, 1, tok.gen_time, &kind);
	/* with no trusted CA it never holds */
	if (verify(data, size, tok.imprint, NULL, cas, 0, tok.gen_time, &kind) == NULL)
		abort();
	if (bad == NULL) {
		/* the nonce it carries matches; none at all is a mismatch */
		const char *n = verify(data, size, tok.imprint, &tok.nonce, cas, 1, tok.gen_time, &kind);
		if ((n == NULL) != (tok.has_nonce != 0) || (n != NULL && kind != DOSSIER_INVALID))
			abort();
		/* another digest than the one the TSA signed is never accepted, and is not a trust matter */
		uint8_t other[32];
		memcpy(other, tok.imprint, 32);
		other[0] ^= 1;
		if (verify(data, size, other, NULL, cas, 1, tok.gen_time, &kind) == NULL || kind != DOSSIER_INVALID)
			abort();
	}
	return 0;
}
