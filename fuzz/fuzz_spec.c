/* fuzz_spec.c - libFuzzer: a pack spec (JSON) through plan_from_spec, with and without
   -p signer keys; a spec that plans is packed and the bundle read back and verified.

   The input is written to spec.json in a private temp dir that also holds two small
   payload files, letter-2020-10-16.txt and cases.csv, so seeds with relative sources
   resolve (fuzz/corpus/spec/). A spec may name any file by an absolute or ../ path;
   plan_from_spec only stats those, and the harness packs only specs whose every
   source lies inside its temp dir, so it never reads the rest of the machine.

   What must hold:
   - a refusal says why and leaves the plan empty;
   - a plan has a bag name and inputs sorted by destination, each destination safe
     (bag_path_problem) and each source a regular file;
   - whatever plans also packs, and the bundle it writes verifies as intact: unsigned,
     so not valid, but never invalid. */
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/vectors/minisign/k.pub's key, its comment naming a signatory of the seed spec as
   keygen --name writes it, for bind_signers. */
static const char signer_pub[] =
	"untrusted comment: dossier public key 273BD680E55BB29D Helmut Scholz\n"
	"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";

static const char letter[] = "Open letter (fuzz payload)\n\nDear President,\n...\n";
static const char cases[] = "case,name,status\n1,A. B.,detained\n2,C. D.,released\n";

static char dir[64], realdir[PATH_MAX], spec[128], out[128];
static struct dossier_keyset *signers;

static void rm(const char *name)
{
	char p[160];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	unlink(p);
}

static void cleanup(void)
{
	rm("spec.json");
	rm("out.tar");
	rm("letter-2020-10-16.txt");
	rm("cases.csv");
	rmdir(dir);
	dossier_keyset_free(signers);
}

static void put(const char *name, const char *text)
{
	char p[160];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
		abort();
}

static void setup(void)
{
	struct dossier_pubkey pk;
	struct dossier_error err;
	/* as the dossier command does: UTF-8 names through libarchive, zip times in UTC */
	setenv("TZ", "UTC", 1);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	snprintf(dir, sizeof dir, "/tmp/fuzz-spec-XXXXXX");
	if (mkdtemp(dir) == NULL || realpath(dir, realdir) == NULL || dossier_init() != 0)
		abort();
	snprintf(spec, sizeof spec, "%s/spec.json", dir);
	snprintf(out, sizeof out, "%s/out.tar", dir);
	put("letter-2020-10-16.txt", letter);
	put("cases.csv", cases);
	signers = dossier_keyset_new();
	if (signers == NULL || dossier_pubkey_parse(signer_pub, strlen(signer_pub), &pk, &err) != DOSSIER_OK ||
	    dossier_keyset_add(signers, &pk, "helmut.pub", &err) != DOSSIER_OK)
		abort();
	atexit(cleanup);
}

/* Checks a plan_from_spec result; returns whether every source lies in dir. */
static int check_plan(enum dossier_status st, const struct pack_plan *plan,
    const struct dossier_error *err)
{
	if (st != DOSSIER_OK) {
		if (err->code != st || err->message[0] == '\0' || plan->name != NULL ||
		    plan->inputs != NULL || plan->ninputs != 0 || plan->meta != NULL)
			abort();
		return 0;
	}
	if (plan->name == NULL || plan->meta == NULL || plan->ninputs == 0)
		abort();
	int inside = 1;
	for (size_t i = 0; i < plan->ninputs; i++) {
		const struct pack_input *in = &plan->inputs[i];
		struct stat sb;
		char real[PATH_MAX];
		if (in->source == NULL || in->dest == NULL || in->info == NULL)
			abort();
		if (bag_path_problem(in->dest) != NULL || strncmp(in->dest, "data/", 5) != 0)
			abort();
		if (i > 0 && strcmp(plan->inputs[i - 1].dest, in->dest) >= 0)
			abort();
		if (stat(in->source, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != in->size)
			abort();
		if (realpath(in->source, real) == NULL || strncmp(real, realdir, strlen(realdir)) != 0 ||
		    real[strlen(realdir)] != '/')
			inside = 0;
	}
	return inside;
}

/* Packs the spec and reads the bundle back: intact, unsigned. */
static void pack_and_verify(const struct dossier_keyset *keys)
{
	struct dossier_pack_options opt = { .output = out, .epoch = -1, .signers = keys, .force = 1 };
	struct dossier_error err;
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_trust *none = dossier_trust_new();
	enum dossier_status st = dossier_pack(spec, &opt, &err);
	if (none == NULL)
		abort();
	if (st != DOSSIER_OK) {
		/* planning passed, so only the bag name may still be refused */
		if (st != DOSSIER_INVALID || strstr(err.message, "cannot name a bundle") == NULL) {
			fprintf(stderr, "pack refused a spec that plans: %s\n", err.message);
			abort();
		}
		dossier_trust_free(none);
		return;
	}
	if (dossier_bundle_open(out, &b, &err) != DOSSIER_OK) {
		fprintf(stderr, "cannot read back the packed bundle: %s\n", err.message);
		abort();
	}
	if (dossier_bundle_verify(b, none, &r, &err) != DOSSIER_OK)
		abort();
	enum dossier_status v = dossier_report_verdict(r);
	if (v != DOSSIER_UNTRUSTED) {
		const struct dossier_finding *f;
		size_t n = dossier_report_findings(r, &f);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "finding %s: %s\n", f[i].code, f[i].message);
		fprintf(stderr, "a freshly packed, unsigned bundle verifies as %s\n", dossier_status_name(v));
		abort();
	}
	dossier_report_free(r);
	dossier_bundle_free(b);
	dossier_trust_free(none);
	unlink(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pack_plan plan;
	struct dossier_error err;
	if (dir[0] == '\0')
		setup();
	FILE *f = fopen(spec, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct dossier_pack_options plain = { .output = out, .epoch = -1, .signers = NULL };
	struct dossier_pack_options bound = { .output = out, .epoch = -1, .signers = signers };

	memset(&err, 0, sizeof err);
	enum dossier_status st = plan_from_spec(spec, &plain, &plan, &err);
	int inside = check_plan(st, &plan, &err);
	plan_release(&plan);
	int planned = st == DOSSIER_OK;

	memset(&err, 0, sizeof err);
	st = plan_from_spec(spec, &bound, &plan, &err);
	int inside_bound = check_plan(st, &plan, &err);
	plan_release(&plan);
	/* binding signers only ever adds a refusal */
	if (st == DOSSIER_OK && !planned)
		abort();

	if (st == DOSSIER_OK && inside_bound)
		pack_and_verify(signers);
	else if (planned && inside)
		pack_and_verify(NULL);
	return 0;
}
