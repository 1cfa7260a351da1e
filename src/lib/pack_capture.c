/* pack_capture.c - pack --capture: the spec's references that have no snapshot yet are
   captured into a private directory and packed as snapshots of their footnotes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plan.h"

static int has_snapshot(const struct pack_plan *plan, double footnote)
{
	for (size_t i = 0; i < plan->ninputs; i++) {
		const cJSON *info = plan->inputs[i].info;
		const cJSON *role = cJSON_GetObjectItemCaseSensitive(info, "role");
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(info, "footnote");
		if (cJSON_IsString(role) && strcmp(role->valuestring, "snapshot") == 0 && cJSON_IsNumber(fn) &&
		    fn->valuedouble == footnote)
			return 1;
	}
	return 0;
}

static cJSON *snapshot_info(const char *dest, const char *url, int footnote,
    const struct dossier_capture_result *res)
{
	cJSON *info = cJSON_CreateObject();
	if (info == NULL || cJSON_AddStringToObject(info, "path", dest) == NULL ||
	    cJSON_AddStringToObject(info, "role", "snapshot") == NULL ||
	    cJSON_AddStringToObject(info, "media_type", "application/warc") == NULL ||
	    cJSON_AddStringToObject(info, "url", url) == NULL ||
	    cJSON_AddStringToObject(info, "captured_at", res->captured_at) == NULL ||
	    cJSON_AddNumberToObject(info, "footnote", footnote) == NULL ||
	    cJSON_AddStringToObject(info, "tool", "dossier " DOSSIER_VERSION) == NULL) {
		cJSON_Delete(info);
		return NULL;
	}
	return info;
}

/* One reference into scratch/<footnote>/ (two footnotes may cite one URL). */
static enum dossier_status capture_one(struct pack_plan *plan, const char *url, int footnote,
    const struct dossier_capture_options *opt, struct dossier_error *err)
{
	struct dossier_capture_result res;
	struct buf dir = { 0 }, dest = { 0 };
	enum dossier_status st;
	if (buf_printf(&dir, "%s/%d", plan->scratch, footnote) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if (mkdir(dir.data, 0700) != 0) {
		st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", dir.data);
		goto out;
	}
	if ((st = dossier_capture_url(opt, url, dir.data, &res, err)) != DOSSIER_OK) {
		struct dossier_error why = *err;
		st = dossier_fail(err, why.code, "references: footnote %d: %s", footnote, why.message);
		goto out;
	}
	if (buf_printf(&dest, "data/snapshots/fn%d-%s", footnote, res.file) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	cJSON *info = snapshot_info(dest.data, url, footnote, &res);
	st = info ? plan_add_input(plan, res.path, dest.data, info, err)
	          : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
out:
	buf_release(&dir);
	buf_release(&dest);
	return st;
}

enum dossier_status plan_capture_references(struct pack_plan *plan, const cJSON *spec,
    const struct dossier_capture_options *opt, struct dossier_error *err)
{
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(spec, "references");
	for (const cJSON *r = refs ? refs->child : NULL; r != NULL; r = r->next) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(r, "footnote");
		const cJSON *url = cJSON_GetObjectItemCaseSensitive(r, "url");
		/* a reason not to capture is the sender's decision, kept as it is */
		if (has_snapshot(plan, fn->valuedouble) || cJSON_GetObjectItemCaseSensitive(r, "not_captured") != NULL)
			continue;
		if (plan->scratch == NULL) {
			const char *tmp = getenv("TMPDIR");
			struct buf pattern = { 0 };
			if (buf_printf(&pattern, "%s/dossier-capture-XXXXXX", tmp && *tmp ? tmp : "/tmp") != 0)
				return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			if (mkdtemp(pattern.data) == NULL) {
				enum dossier_status st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", pattern.data);
				buf_release(&pattern);
				return st;
			}
			plan->scratch = pattern.data;
		}
		enum dossier_status st = capture_one(plan, url->valuestring, fn->valueint, opt, err);
		if (st != DOSSIER_OK)
			return st;
	}
	return DOSSIER_OK;
}
