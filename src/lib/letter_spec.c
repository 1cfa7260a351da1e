/* letter_spec.c - a draft pack spec (spec.schema.json) from what dossier_letter_scan found. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* A bundle name from the letter file's name: [A-Za-z0-9._-], other runs become '-'. */
static char *bag_name(const char *from)
{
	char *out = malloc(strlen(from) + 8);
	size_t n = 0;
	if (out == NULL)
		return NULL;
	for (const char *p = from; *p && n < 100; p++) {
		int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		           *p == '.' || *p == '_' || *p == '-';
		if (keep)
			out[n++] = *p;
		else if (n > 0 && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
	if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		strcpy(out, "letter");
	return out;
}

/* A group is written in capitals ("GREENS/ALE", "S&D"); anything else is an affiliation. */
static const char *detail_field(const char *detail)
{
	for (const char *p = detail; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			return "affiliation";
	return "group";
}

static cJSON *people(const struct dossier_letter_party *p, size_t n, int signatories)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr != NULL && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			cJSON_Delete(arr);
			return NULL;
		}
		cJSON_AddStringToObject(o, "name", p[i].name);
		if (p[i].detail != NULL)
			cJSON_AddStringToObject(o, signatories ? detail_field(p[i].detail) : "role", p[i].detail);
		if (p[i].address != NULL && !signatories)
			cJSON_AddStringToObject(o, "address", p[i].address);
	}
	return arr;
}

static char *compose_title(const struct dossier_letter *l)
{
	struct buf t = { 0 };
	buf_printf(&t, "%s", l->open_letter ? "Open letter" : "Letter");
	if (l->date[0])
		buf_printf(&t, " of %s", l->date);
	if (l->nto > 0)
		buf_printf(&t, " to %s", l->to[0].name);
	return t.data;
}

static char *notes(const struct dossier_letter *l)
{
	struct buf t = { 0 };
	buf_printf(&t, "Drafted by dossier init from the letter's text: check every field against the letter.");
	for (size_t i = 0; i < l->nfootnotes; i++)
		if (l->footnotes[i].url == NULL)
			buf_printf(&t, " Footnote %d carries no URL: %s", l->footnotes[i].number, l->footnotes[i].text);
	return t.data;
}

enum dossier_status dossier_letter_spec(const struct dossier_letter *l, const char *name,
    const char *letter_source, char **json, struct dossier_error *err)
{
	cJSON *spec = cJSON_CreateObject(), *files = NULL, *refs = NULL, *file = NULL;
	char *bag = bag_name(name), *title = l->title ? NULL : compose_title(l), *note = notes(l);
	*json = NULL;
	if (spec == NULL || bag == NULL || (l->title == NULL && title == NULL) || note == NULL)
		goto oom;
	cJSON_AddNumberToObject(spec, "spec_version", 1);
	cJSON_AddStringToObject(spec, "name", bag);
	cJSON_AddStringToObject(spec, "title", l->title ? l->title : title);
	cJSON_AddStringToObject(spec, "kind", l->open_letter ? "open-letter" : "letter");
	/* no date found: left out, so pack names it as missing */
	if (l->date[0])
		cJSON_AddStringToObject(spec, "date", l->date);
	if (l->place != NULL)
		cJSON_AddStringToObject(spec, "place", l->place);
	cJSON_AddItemToObject(spec, "from", people(l->from, l->nfrom, 1));
	cJSON_AddItemToObject(spec, "to", people(l->to, l->nto, 0));
	if (l->ncc > 0)
		cJSON_AddItemToObject(spec, "cc", people(l->cc, l->ncc, 0));
	if ((files = cJSON_AddArrayToObject(spec, "files")) == NULL || (file = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddItemToArray(files, file);
	cJSON_AddStringToObject(file, "source", letter_source);
	cJSON_AddStringToObject(file, "role", "letter");
	if ((refs = cJSON_AddArrayToObject(spec, "references")) == NULL)
		goto oom;
	for (size_t i = 0; i < l->nfootnotes; i++) {
		if (l->footnotes[i].url == NULL)
			continue;
		cJSON *r = cJSON_CreateObject();
		if (r == NULL || !cJSON_AddItemToArray(refs, r)) {
			cJSON_Delete(r);
			goto oom;
		}
		cJSON_AddNumberToObject(r, "footnote", l->footnotes[i].number);
		cJSON_AddStringToObject(r, "url", l->footnotes[i].url);
	}
	cJSON_AddStringToObject(spec, "notes", note);
	if ((*json = json_render(spec)) == NULL)
		goto oom;
	cJSON_Delete(spec);
	free(bag);
	free(title);
	free(note);
	return DOSSIER_OK;
oom:
	cJSON_Delete(spec);
	free(bag);
	free(title);
	free(note);
	return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
}
