/* plan_dir.c - bagging a plain directory: every regular file becomes data/<its path>. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct dir_walk {
	struct pack_plan *plan;
	const char *root;
	int64_t newest; /* mtime of the newest file */
};

static enum dossier_status on_entry(void *ctx, struct bag_reader *r, const struct entry *e,
    struct dossier_error *err)
{
	struct dir_walk *w = ctx;
	(void)r;
	if (e->type == ENTRY_DIR)
		return DOSSIER_OK;
	if (e->type != ENTRY_FILE)
		return dossier_fail(err, DOSSIER_INVALID, "%s/%s: is a %s; only regular files can be bagged",
		    w->root, e->path, e->type_name);
	const char *why = bag_path_problem(e->path);
	if (why != NULL)
		return dossier_fail(err, DOSSIER_INVALID, "%s/%s: %s", w->root, e->path, why);
	if (e->mtime > w->newest)
		w->newest = e->mtime;
	struct buf src = { 0 }, dest = { 0 };
	enum dossier_status st = DOSSIER_OK;
	if (buf_printf(&src, "%s/%s", w->root, e->path) != 0 || buf_printf(&dest, "data/%s", e->path) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	} else {
		/* no dossier.json entry yet: pack makes it, if the list is kept at all */
		st = plan_add_input(w->plan, src.data, dest.data, NULL, err);
		if (st == DOSSIER_OK) { /* the walk has just seen it a regular file of this size */
			w->plan->inputs[w->plan->ninputs - 1].size = e->size;
			w->plan->inputs[w->plan->ninputs - 1].stated = 1;
		}
	}
	buf_release(&src);
	buf_release(&dest);
	return st;
}

enum dossier_status plan_from_dir(const char *dir, const struct dossier_pack_options *opt,
    struct pack_plan *plan, struct dossier_error *err)
{
	struct dir_walk w = { .plan = plan, .root = dir };
	char *top = NULL;
	memset(plan, 0, sizeof *plan);
	if (opt->signers != NULL)
		return dossier_fail(err, DOSSIER_USAGE,
		    "%s: -p binds keys to the signatories of a spec; a plain directory has none", dir);
	enum dossier_status st = bag_read(dir, NULL, on_entry, &w, &top, NULL, err);
	if (st != DOSSIER_OK) {
		free(top);
		plan_release(plan);
		return st;
	}
	plan->name = top;
	/* Without SOURCE_DATE_EPOCH the newest file's time stands for the bag's, so the
	   same directory packs to the same bytes however often it is packed. */
	plan->epoch = opt->epoch >= 0 ? opt->epoch : w.newest;
	plan->meta = cJSON_CreateObject();
	if (plan->meta == NULL || top == NULL) {
		plan_release(plan);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	char date[32];
	format_rfc3339(plan->epoch, date);
	date[10] = '\0';
	cJSON_AddStringToObject(plan->meta, "title", top);
	cJSON_AddStringToObject(plan->meta, "kind", "bag");
	cJSON_AddStringToObject(plan->meta, "date", date);
	cJSON_AddItemToObject(plan->meta, "from", cJSON_CreateArray());
	if ((st = plan_finish(plan, err)) != DOSSIER_OK) {
		plan_release(plan);
		return st;
	}
	/* No spec bytes to derive the id from: use the name, the time and every path and size. */
	struct sha256 h;
	if (sha256_init(&h) != 0) {
		plan_release(plan);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	sha256_update(&h, top, strlen(top) + 1);
	sha256_update(&h, date, strlen(date) + 1);
	for (size_t i = 0; i < plan->ninputs; i++) {
		char size[32];
		snprintf(size, sizeof size, "%llu", (unsigned long long)plan->inputs[i].size);
		sha256_update(&h, plan->inputs[i].dest, strlen(plan->inputs[i].dest) + 1);
		sha256_update(&h, size, strlen(size) + 1);
	}
	sha256_final(&h, plan->id_seed);
	sha256_release(&h);
	return DOSSIER_OK;
}
