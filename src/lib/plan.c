/* plan.c - the parts of a pack plan shared by specs and plain directories. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plan.h"
#include "trust.h"
#include "strset.h"

enum dossier_status plan_add_input(struct pack_plan *plan, const char *source, const char *dest,
    cJSON *info, struct dossier_error *err)
{
	struct pack_input *n = array_grow(plan->inputs, plan->ninputs, &plan->capinputs, sizeof *n);
	if (n == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	plan->inputs = n;
	struct pack_input *in = &plan->inputs[plan->ninputs];
	memset(in, 0, sizeof *in);
	in->source = strdup(source);
	in->dest = path_nfc(dest);
	if (in->dest == NULL)
		in->dest = strdup(dest); /* not UTF-8: plan_finish reports it */
	in->info = info;
	plan->ninputs++; /* owned from here on, even if a strdup failed */
	if (in->source == NULL || in->dest == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	/* dossier.json names the file exactly as the manifest does */
	if (info != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(info, "path", cJSON_CreateString(in->dest));
	return DOSSIER_OK;
}

static int by_dest(const void *a, const void *b)
{
	return strcmp(((const struct pack_input *)a)->dest, ((const struct pack_input *)b)->dest);
}

/* What verify would refuse, refused at pack time: a path that is a file and also the
   directory of another, and names one disk would store as the same file. */
static enum dossier_status check_conflicts(const struct pack_plan *plan, struct dossier_error *err)
{
	struct strset folded = { 0 }; /* folded path -> path */
	enum dossier_status st = DOSSIER_OK;
	/* each path folded once, for both checks */
	char **fold = calloc(plan->ninputs ? plan->ninputs : 1, sizeof *fold);
	if (fold == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	for (size_t i = 0; i < plan->ninputs && st == DOSSIER_OK; i++) {
		const char *prev = (fold[i] = path_fold(plan->inputs[i].dest)) ? strset_get(&folded, fold[i]) : NULL;
		if (fold[i] == NULL)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else if (prev != NULL)
			st = dossier_fail(err, DOSSIER_INVALID, "'%s' and '%s' would be one file on a case-insensitive disk",
			    prev, plan->inputs[i].dest);
		else if (strset_put(&folded, fold[i], plan->inputs[i].dest) < 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	for (size_t i = 0; i < plan->ninputs && st == DOSSIER_OK; i++) {
		const char *file = path_parent_in(&folded, fold[i]);
		if (file != NULL)
			st = dossier_fail(err, DOSSIER_INVALID, "'%s' is a file and also the directory of '%s'",
			    file, plan->inputs[i].dest);
	}
	for (size_t i = 0; i < plan->ninputs; i++)
		free(fold[i]);
	free(fold);
	strset_release(&folded);
	return st;
}

enum dossier_status plan_finish(struct pack_plan *plan, struct dossier_error *err)
{
	/* a directory walk mostly yields them sorted already: then skip n log n compares */
	size_t sorted = 1;
	while (sorted < plan->ninputs && by_dest(&plan->inputs[sorted - 1], &plan->inputs[sorted]) <= 0)
		sorted++;
	if (sorted < plan->ninputs)
		qsort(plan->inputs, plan->ninputs, sizeof *plan->inputs, by_dest);
	for (size_t i = 0; i < plan->ninputs; i++) {
		struct pack_input *in = &plan->inputs[i];
		const char *why = bag_path_problem(in->dest);
		if (why != NULL)
			return dossier_fail(err, DOSSIER_INVALID, "%s: destination '%s': %s", in->source, in->dest, why);
		if (i > 0 && strcmp(plan->inputs[i - 1].dest, in->dest) == 0)
			return dossier_fail(err, DOSSIER_INVALID, "%s and %s would both be packed at '%s'",
			    plan->inputs[i - 1].source, in->source, in->dest);
		struct stat st;
		if (in->stated)
			continue; /* pack opens it once more and checks it is the same size */
		if (stat(in->source, &st) != 0)
			return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", in->source);
		if (!S_ISREG(st.st_mode))
			return dossier_fail(err, DOSSIER_NOINPUT, "%s: not a regular file", in->source);
		if (access(in->source, R_OK) != 0)
			return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", in->source);
		in->size = (uint64_t)st.st_size;
	}
	return check_conflicts(plan, err);
}

void plan_release(struct pack_plan *plan)
{
	for (size_t i = 0; i < plan->ninputs; i++) {
		free(plan->inputs[i].source);
		free(plan->inputs[i].dest);
		cJSON_Delete(plan->inputs[i].info);
	}
	free(plan->inputs);
	for (size_t i = 0; i < plan->ntags; i++) {
		free(plan->tags[i].path);
		buf_release(&plan->tags[i].data);
	}
	free(plan->tags);
	free(plan->name);
	cJSON_Delete(plan->meta);
	if (plan->scratch != NULL)
		remove_tree(plan->scratch);
	free(plan->scratch);
	memset(plan, 0, sizeof *plan);
}

int plan_add_tag(struct pack_plan *plan, const char *path, const void *data, size_t len)
{
	struct pack_tag *n = array_grow(plan->tags, plan->ntags, &plan->captags, sizeof *n);
	if (n == NULL)
		return -1;
	plan->tags = n;
	struct pack_tag *t = &n[plan->ntags];
	memset(t, 0, sizeof *t);
	if ((t->path = strdup(path)) == NULL || buf_append(&t->data, data, len) != 0) {
		free(t->path);
		buf_release(&t->data);
		return -1;
	}
	plan->ntags++;
	return 0;
}

const struct pack_tag *plan_find_tag(const struct pack_plan *plan, const char *path)
{
	for (size_t i = 0; i < plan->ntags; i++)
		if (strcmp(plan->tags[i].path, path) == 0)
			return &plan->tags[i];
	return NULL;
}

/* The signatory a card names gets its key id, unless the spec bound another key. */
static enum dossier_status bind_card(cJSON *meta, const char *file, const struct dossier_card *card,
    struct dossier_error *err)
{
	cJSON *from = meta ? cJSON_GetObjectItemCaseSensitive(meta, "from") : NULL;
	if (cJSON_GetArraySize(from) == 0)
		return DOSSIER_OK; /* a plain directory names nobody */
	for (cJSON *p = from->child; p != NULL; p = p->next) {
		if (!policy_member_matches(cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring, card->keyid, card->name))
			continue;
		const cJSON *have = cJSON_GetObjectItemCaseSensitive(p, "keyid");
		if (have == NULL)
			cJSON_AddStringToObject(p, "keyid", card->keyid);
		else if (strcmp(have->valuestring, card->keyid) != 0)
			return dossier_fail(err, DOSSIER_USAGE, "%s: the spec gives '%s' key id %s, the card %s", file,
			    card->name, have->valuestring, card->keyid);
		return DOSSIER_OK;
	}
	return dossier_fail(err, DOSSIER_USAGE, "%s: '%s' is not a signatory in the spec", file, card->name);
}

enum dossier_status plan_add_cards(struct pack_plan *plan, const struct dossier_pack_options *opt,
    struct dossier_error *err)
{
	for (size_t i = 0; i < opt->ncards; i++) {
		const char *file = opt->cards[i];
		struct dossier_card card;
		struct buf text = { 0 }, sigtext = { 0 };
		char path[64];
		enum dossier_status st = card_file_load(file, &card, &text, &sigtext, err);
		if (st != DOSSIER_OK)
			return st;
		snprintf(path, sizeof path, "keys/%s.card.json", card.keyid);
		if (st == DOSSIER_OK && plan_find_tag(plan, path) != NULL)
			st = dossier_fail(err, DOSSIER_USAGE, "%s: a second card for key %s", file, card.keyid);
		if (st == DOSSIER_OK)
			st = bind_card(plan->meta, file, &card, err);
		if (st == DOSSIER_OK && plan_add_tag(plan, path, text.data, text.len) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		snprintf(path, sizeof path, "keys/%s.card.json.minisig", card.keyid);
		if (st == DOSSIER_OK && plan_add_tag(plan, path, sigtext.data, sigtext.len) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		buf_release(&text);
		buf_release(&sigtext);
		if (st != DOSSIER_OK)
			return st;
	}
	return DOSSIER_OK;
}

const char *media_type_guess(const char *path)
{
	static const struct {
		const char *ext, *type;
	} table[] = {
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".md", "text/markdown; charset=utf-8" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".pdf", "application/pdf" },
		{ ".html", "text/html" },
		{ ".htm", "text/html" },
		{ ".xml", "application/xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".warc.gz", "application/warc" },
		{ ".warc", "application/warc" },
		{ ".wacz", "application/wacz" },
		{ ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ ".odt", "application/vnd.oasis.opendocument.text" },
		{ ".doc", "application/msword" },
		{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ ".mp4", "video/mp4" },
		{ ".mp3", "audio/mpeg" },
		{ ".zip", "application/zip" },
	};
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (has_suffix(path, table[i].ext, 1))
			return table[i].type;
	return "application/octet-stream";
}
