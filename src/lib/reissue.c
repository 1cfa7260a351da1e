/* reissue.c - a new version of a bundle that carries the old one under history/<n>/:
   its tag files, signatures and timestamps, so the old signatures can still be checked
   against the old tag manifest, and the chain of versions is signed by the new signers. */
#include <cjson/cJSON.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "trust.h"

/* The tag files of a version that history keeps: all that its signatures cover, the
   signatures and timestamps themselves, and key cards. */
static int kept_in_history(const char *path)
{
	static const char *const files[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
		"tagmanifest-sha256.txt", "dossier.json", "VERIFY.txt" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		if (strcmp(path, files[i]) == 0)
			return 1;
	return strncmp(path, "keys/", 5) == 0 || strncmp(path, "signatures/", 11) == 0 ||
	    strncmp(path, "timestamps/", 11) == 0;
}

/* One past the highest history/<n>/ the old bundle carries. */
static long next_version(const struct dossier_bundle *b)
{
	long max = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		const char *p = b->tags[i].path;
		if (strncmp(p, "history/", 8) == 0) {
			long n = strtol(p + 8, NULL, 10);
			max = n > max ? n : max;
		}
	}
	return max + 1;
}

static enum dossier_status add_history(struct pack_plan *plan, const struct dossier_bundle *b, long version,
    struct dossier_error *err)
{
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		struct buf path = { 0 };
		int rc = 0;
		if (strncmp(t->path, "history/", 8) == 0)
			rc = buf_printf(&path, "%s", t->path); /* the versions before, as they were */
		else if (kept_in_history(t->path))
			rc = buf_printf(&path, "history/%ld/%s", version, t->path);
		else
			continue;
		if (rc != 0 || plan_add_tag(plan, path.data, t->content.data, t->content.len) != 0) {
			buf_release(&path);
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		}
		buf_release(&path);
	}
	/* the signers' cards stay useful for the new version: they sign it again */
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		if (strncmp(t->path, "keys/", 5) == 0 && plan_find_tag(plan, t->path) == NULL &&
		    plan_add_tag(plan, t->path, t->content.data, t->content.len) != 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	return DOSSIER_OK;
}

/* The old payload and metadata, from the old bag extracted (and verified) into dir. */
static enum dossier_status plan_from_old(const struct dossier_bundle *b, const char *dir, struct pack_plan *plan,
    struct dossier_error *err)
{
	const struct tag_entry *t = bundle_tag(b, "dossier.json");
	cJSON *old = t ? json_parse_strict("dossier.json", t->content.data, t->content.len, err) : NULL;
	enum dossier_status st = DOSSIER_OK;
	memset(plan, 0, sizeof *plan);
	if (old == NULL)
		return t ? err->code : dossier_fail(err, DOSSIER_INVALID, "%s: no dossier.json", b->name);
	static const char *const drop[] = { "dossier_version", "id", "files", "created", "supersedes" };
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(old, "files");
	plan->name = strdup(b->name);
	plan->meta = cJSON_Duplicate(old, 1);
	for (size_t i = 0; plan->meta != NULL && i < sizeof drop / sizeof *drop; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(plan->meta, drop[i]);
	if (plan->name == NULL || plan->meta == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	for (const cJSON *f = files ? files->child : NULL; st == DOSSIER_OK && f != NULL; f = f->next) {
		const char *path = cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring;
		struct buf src = { 0 };
		cJSON *info = cJSON_Duplicate(f, 1);
		if (info != NULL) {
			cJSON_DeleteItemFromObjectCaseSensitive(info, "size");
			cJSON_DeleteItemFromObjectCaseSensitive(info, "sha256");
		}
		if (info == NULL || buf_printf(&src, "%s/%s/%s", dir, b->name, path) != 0) {
			cJSON_Delete(info);
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		} else {
			st = plan_add_input(plan, src.data, path, info, err);
		}
		buf_release(&src);
	}
	cJSON_Delete(old);
	if (st == DOSSIER_OK)
		st = plan_finish(plan, err);
	return st;
}

enum dossier_status dossier_reissue(const char *old, const struct dossier_reissue_options *opt, char new_id[37],
    struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	struct pack_plan plan = { 0 };
	char id[64], hex[65], *tmp = NULL;
	uint8_t tm_digest[32];
	size_t tmlen;
	enum dossier_status st = bundle_open_intact(old, "re-issue", &b, id, err);
	if (st != DOSSIER_OK)
		return st;
	const char *tm = dossier_bundle_tagmanifest(b, &tmlen);
	if (id[0] == '\0' || tm == NULL) {
		st = dossier_fail(err, DOSSIER_INVALID, "%s: not a dossier bundle (no dossier.json id)", old);
		goto out;
	}
	sha256_buf(tm, tmlen, tm_digest);
	hex_encode(tm_digest, 32, hex);
	struct dossier_pack_options popt = { .output = opt->output, .epoch = opt->epoch, .signers = opt->signers,
		.cards = opt->cards, .ncards = opt->ncards, .force = opt->force };
	if (opt->spec == NULL && bundle_tag(b, "redactions.json") != NULL) {
		/* its payload lacks the withheld files, which the new version would silently drop */
		st = dossier_fail(err, DOSSIER_USAGE,
		    "%s: a redacted copy withholds files; re-issue the full bundle, or give --spec", old);
	} else if (opt->spec != NULL) {
		st = plan_from_spec(opt->spec, &popt, &plan, err);
	} else {
		/* the old payload comes out of the old bundle, verified, into a private directory
		   beside the output (payloads can be large; /tmp may be small) */
		char *copy = strdup(opt->output);
		struct buf pattern = { 0 };
		if (copy == NULL || buf_printf(&pattern, "%s/.dossier-reissue-XXXXXX", dirname(copy)) != 0 ||
		    (tmp = mkdtemp(pattern.data)) == NULL) {
			st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s: cannot make a working directory", opt->output);
			buf_release(&pattern);
		}
		free(copy);
		struct dossier_extract_options xopt = { .allow_untrusted = 1 };
		if (st == DOSSIER_OK && (st = dossier_bundle_extract(old, tmp, &xopt, NULL, err)) == DOSSIER_OK)
			st = plan_from_old(b, tmp, &plan, err);
	}
	if (st != DOSSIER_OK)
		goto out;
	if (opt->epoch >= 0)
		plan.epoch = opt->epoch;
	else
		plan.epoch = (int64_t)time(NULL);
	/* a new id, derived from the new content, the version it replaces, when and why:
	   two re-issues of one version are two bundles */
	struct sha256 h;
	uint8_t when[8];
	for (int i = 0; i < 8; i++)
		when[i] = (uint8_t)((uint64_t)plan.epoch >> (56 - 8 * i));
	if (sha256_init(&h) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	sha256_update(&h, plan.id_seed, 32);
	sha256_update(&h, tm_digest, 32);
	sha256_update(&h, when, sizeof when);
	if (opt->reason != NULL)
		sha256_update(&h, opt->reason, strlen(opt->reason));
	sha256_final(&h, plan.id_seed);
	sha256_release(&h);
	cJSON *sup = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(plan.meta, "supersedes");
	if (sup == NULL || !cJSON_AddStringToObject(sup, "id", id) || !cJSON_AddStringToObject(sup, "tagmanifest_sha256", hex) ||
	    (opt->reason != NULL && !cJSON_AddStringToObject(sup, "reason", opt->reason)) ||
	    !cJSON_AddItemToObject(plan.meta, "supersedes", sup)) {
		cJSON_Delete(sup);
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if ((st = plan_add_cards(&plan, &popt, err)) != DOSSIER_OK ||
	    (st = add_history(&plan, b, next_version(b), err)) != DOSSIER_OK)
		goto out;
	plan_uuid(&plan, new_id);
	st = plan_write(&plan, opt->output, opt->force, NULL, err);
out:
	if (tmp != NULL) {
		remove_tree(tmp);
		free(tmp);
	}
	plan_release(&plan);
	dossier_bundle_free(b);
	return st;
}
