/* fuzz_bundle.c - libFuzzer: a whole bundle through libarchive, bundle_read and every check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dossier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/vectors/minisign/k.pub: the seed bundles are signed with its test-only key. */
static const char vec_pub[] =
	"untrusted comment: minisign public key 273BD680E55BB29D\n"
	"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";

static char path[64];
static struct dossier_trust *empty, *trusted;

static void cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
	dossier_trust_free(empty);
	dossier_trust_free(trusted);
}

static void setup(void)
{
	struct dossier_pubkey pk;
	struct dossier_error err;
	snprintf(path, sizeof path, "/tmp/fuzz-bundle-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || dossier_init() != 0)
		abort();
	close(fd);
	empty = dossier_trust_new();
	trusted = dossier_trust_new();
	if (empty == NULL || trusted == NULL ||
	    dossier_pubkey_parse(vec_pub, strlen(vec_pub), &pk, &err) != DOSSIER_OK ||
	    dossier_trust_add_signer(trusted, &pk, "k.pub", &err) != DOSSIER_OK)
		abort();
	atexit(cleanup);
}

static void verify(const struct dossier_bundle *b, const struct dossier_trust *keys)
{
	struct dossier_report *r = NULL;
	struct dossier_error err;
	const struct dossier_finding *f;
	const struct dossier_file_info *files;
	const struct dossier_sig_info *sigs;
	const char *const *people;
	char *json = NULL;
	if (dossier_bundle_verify(b, keys, &r, &err) != DOSSIER_OK)
		abort(); /* only out of memory may fail here */
	enum dossier_status v = dossier_report_verdict(r);
	size_t nf = dossier_report_findings(r, &f);
	/* "valid" only with no invalid finding and at least one valid signature */
	size_t nsigs = dossier_report_signatures(r, &sigs), valid = 0;
	for (size_t i = 0; i < nsigs; i++)
		valid += sigs[i].status == DOSSIER_SIG_VALID;
	for (size_t i = 0; i < nf; i++)
		if (f[i].kind == DOSSIER_FINDING_INVALID && v != DOSSIER_INVALID)
			abort();
	if (v == DOSSIER_OK && (valid == 0 || keys == empty))
		abort();
	size_t nfiles = dossier_report_files(r, &files);
	for (size_t i = 0; i < nfiles; i++)
		if (files[i].path == NULL || strlen(files[i].sha256) != 64)
			abort();
	(void)dossier_report_people(r, "from", &people);
	(void)dossier_report_references(r, &people);
	(void)dossier_report_meta(r, "title");
	if (dossier_report_json(r, &json, &err) != DOSSIER_OK)
		abort();
	free(json);
	dossier_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dossier_bundle *b = NULL;
	struct dossier_error err;
	size_t len;
	if (path[0] == '\0')
		setup();
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (dossier_bundle_open(path, &b, &err) != DOSSIER_OK) {
		if (b != NULL || err.message[0] == '\0')
			abort();
		return 0;
	}
	(void)dossier_bundle_name(b);
	(void)dossier_bundle_tagmanifest(b, &len);
	verify(b, empty);
	verify(b, trusted);
	dossier_bundle_free(b);
	return 0;
}
