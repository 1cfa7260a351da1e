/* warc_scan.c - what pack and verify keep of a WARC file read in passing: whether it
   held, and which URLs its responses and resources answer. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "warc.h"

static int keep_target(void *ctx, const struct warc_record *rec)
{
	struct warc_summary *sum = ctx;
	if (strcasecmp(rec->type, "response") != 0 && strcasecmp(rec->type, "resource") != 0)
		return 0;
	if (rec->target_uri[0] == '\0')
		return 0;
	size_t bytes = strlen(rec->target_uri) + strlen(rec->location) + strlen(rec->content_type) + 3;
	if (sum->bytes + bytes > WARC_TARGETS_MAX) {
		free(sum->problem);
		sum->problem = strdup("more than 8 MiB of target URIs: not a snapshot this reader takes");
		return 1;
	}
	struct warc_target *n = array_grow(sum->targets, sum->ntargets, &sum->captargets, sizeof *n);
	if (n == NULL)
		return -1;
	sum->targets = n;
	struct warc_target *t = &n[sum->ntargets];
	t->uri = strdup(rec->target_uri);
	t->location = rec->location[0] ? strdup(rec->location) : NULL;
	t->content_type = strdup(rec->content_type);
	t->http_status = strcasecmp(rec->type, "response") == 0 ? rec->http_status : -1;
	t->payload_size = rec->payload_size;
	sum->ntargets++;
	sum->bytes += bytes;
	if (t->uri == NULL || t->content_type == NULL || (rec->location[0] && t->location == NULL))
		return -1;
	return 0;
}

int warc_scan_begin(struct warc_scan *s, const char *name)
{
	memset(s, 0, sizeof *s);
	if ((s->summary = calloc(1, sizeof *s->summary)) == NULL ||
	    warc_reader_new(&s->reader, name, keep_target, s->summary) != 0) {
		free(s->summary);
		s->summary = NULL;
		return -1;
	}
	return 0;
}

void warc_scan_update(struct warc_scan *s, const void *data, size_t len)
{
	struct dossier_error err;
	if (s->reader != NULL)
		warc_reader_update(s->reader, data, len, &err);
}

struct warc_summary *warc_scan_end(struct warc_scan *s)
{
	struct dossier_error err;
	struct warc_summary *sum = s->summary;
	if (sum == NULL)
		return NULL;
	if (warc_reader_final(s->reader, &err) != DOSSIER_OK && sum->problem == NULL) {
		if (strstr(err.message, ": stopped by caller") != NULL && sum->problem == NULL) {
			warc_reader_free(s->reader);
			warc_summary_free(sum);
			return NULL; /* keep_target ran out of memory */
		}
		sum->problem = strdup(err.message);
		sum->digest_problem = warc_reader_digest_failed(s->reader);
		if (sum->problem == NULL) {
			warc_reader_free(s->reader);
			warc_summary_free(sum);
			return NULL;
		}
	}
	sum->records = warc_reader_records(s->reader);
	warc_reader_free(s->reader);
	memset(s, 0, sizeof *s);
	return sum;
}

void warc_summary_free(struct warc_summary *sum)
{
	if (sum == NULL)
		return;
	for (size_t i = 0; i < sum->ntargets; i++) {
		free(sum->targets[i].uri);
		free(sum->targets[i].location);
		free(sum->targets[i].content_type);
	}
	free(sum->targets);
	free(sum->problem);
	free(sum);
}

/* The last record for uri: a capture that was retried ends with its final answer. */
static const struct warc_target *find(const struct warc_summary *sum, const char *uri)
{
	for (size_t i = sum->ntargets; i > 0; i--)
		if (strcmp(sum->targets[i - 1].uri, uri) == 0)
			return &sum->targets[i - 1];
	return NULL;
}

const struct warc_target *warc_summary_final(const struct warc_summary *sum, const char *url)
{
	const struct warc_target *t = find(sum, url);
	for (int hops = 0; t != NULL && hops < 10; hops++) {
		if (t->http_status < 300 || t->http_status > 399 || t->location == NULL)
			break;
		const struct warc_target *next = find(sum, t->location);
		if (next == NULL)
			break;
		t = next;
	}
	return t;
}
