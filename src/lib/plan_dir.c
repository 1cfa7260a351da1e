/* plan_dir.c - bagging a plain directory: every regular file becomes data/<its path>. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct dir_walk {
	struct pack_plan *plan;
	const char *root;
	int64_t newest; /* mtime of the newest file */
	struct buf src, dest; /* "root/" and "data/", then the file's path */
	size_t rootlen;
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
	/* root/path and data/path, built in two scratch buffers kept for the whole walk:
	   this runs once per file */
	enum dossier_status st = DOSSIER_OK;
	size_t len = strlen(e->path);
	w->src.len = w->rootlen;
	w->dest.len = 5; /* "data/" */
	if (buf_append(&w->src, e->path, len) != 0 || buf_append(&w->dest, e->path, len) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	} else {
		/* no dossier.json entry yet: pack makes it, if the list is kept at all */
		st = plan_add_input(w->plan, w->src.data, w->dest.data, NULL, err);
		if (st == DOSSIER_OK) { /* the walk has just seen it a regular file of this size */
			w->plan->inputs[w->plan->ninputs - 1].size = e->size;
			w->plan->inputs[w->plan->ninputs - 1].stated = 1;
		}
	}
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
	enum dossier_status st = DOSSIER_OK;
	if (buf_printf(&w.src, "%s/", dir) != 0 || buf_append(&w.dest, "data/", 5) != 0)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	w.rootlen = w.src.len;
	if (st == DOSSIER_OK)
		st = bag_read(dir, NULL, on_entry, &w, &top, NULL, err);
	buf_release(&w.src);
	buf_release(&w.dest);
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
