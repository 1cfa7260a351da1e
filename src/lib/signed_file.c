/* signed_file.c - JSON files an authority signs (key cards, revocation lists): the file,
   its detached minisign signature beside it, and their one canonical byte form. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

char *json_canonical(const cJSON *json)
{
	/* The signature covers bytes, not meaning: one form per content means one card
	   cannot circulate in two spellings, and a reader can check it is the form. */
	char *flat = cJSON_PrintUnformatted(json);
	if (flat == NULL)
		return NULL;
	size_t n = strlen(flat);
	char *out = malloc(n + 2);
	if (out != NULL) {
		memcpy(out, flat, n);
		out[n] = '\n';
		out[n + 1] = '\0';
	}
	cJSON_free(flat);
	return out;
}

enum dossier_status read_signed_pair(const char *path, struct buf *text, struct buf *sig,
    struct dossier_error *err)
{
	struct buf sigpath = { 0 };
	if (buf_printf(&sigpath, "%s.minisig", path) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	enum dossier_status st = read_small_file(path, LIMIT_TAGFILE, text, err);
	if (st == DOSSIER_OK && (st = read_small_file(sigpath.data, LIMIT_SIGFILE, sig, err)) != DOSSIER_OK)
		buf_release(text);
	buf_release(&sigpath);
	return st;
}

enum dossier_status write_signed_pair(const char *path, const char *text, const char *sig,
    int force, struct dossier_error *err)
{
	struct atomic_file f, g;
	struct buf sigpath = { 0 };
	if (buf_printf(&sigpath, "%s.minisig", path) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	enum dossier_status st = atomic_open(&f, path, force, 0644, err);
	if (st != DOSSIER_OK) {
		buf_release(&sigpath);
		return st;
	}
	if ((st = atomic_open(&g, sigpath.data, force, 0644, err)) != DOSSIER_OK) {
		atomic_abort(&f);
		buf_release(&sigpath);
		return st;
	}
	st = write_all(f.fd, text, strlen(text), path, err);
	if (st == DOSSIER_OK)
		st = write_all(g.fd, sig, strlen(sig), sigpath.data, err);
	/* The signature goes in first: a reader never finds a new file beside an old
	   signature that would make it look forged. */
	if (st == DOSSIER_OK && (st = atomic_commit(&g, err)) == DOSSIER_OK)
		st = atomic_commit(&f, err);
	else
		atomic_abort(&g);
	if (st != DOSSIER_OK)
		atomic_abort(&f);
	buf_release(&sigpath);
	return st;
}

const char *signed_by_authority(const char *text, size_t len, const char *sig_text, size_t sig_len,
    const char *want, const char *comment_tag, const char *comment_needle,
    const struct dossier_keyset *authorities, const char **authority_source, char *why, size_t whylen)
{
	struct dossier_sig sig;
	struct dossier_error err;
	const char *source = "";
	if (dossier_sig_parse(sig_text, sig_len, &sig, &err) != DOSSIER_OK) {
		snprintf(why, whylen, "its signature is malformed: %s", err.message);
		return why;
	}
	if (strcmp(sig.keyid, want) != 0) {
		snprintf(why, whylen, "signed by key %s, but it names authority %s", sig.keyid, want);
		return why;
	}
	const struct dossier_pubkey *key = dossier_keyset_find(authorities, sig.keynum, &source);
	if (key == NULL) {
		snprintf(why, whylen, "authority %s is not trusted (its key is not in the keyring's authorities/)", want);
		return why;
	}
	if (dossier_sig_verify(&sig, key, text, len, &err) != DOSSIER_OK) {
		snprintf(why, whylen, "signature by authority %s does not verify (forged or altered)", want);
		return why;
	}
	/* Our own trusted comments name what was signed; a stock minisign comment is
	   accepted as it is, as for bundle signatures. */
	if (strncmp(sig.trusted_comment, comment_tag, strlen(comment_tag)) == 0 &&
	    strstr(sig.trusted_comment, comment_needle) == NULL) {
		snprintf(why, whylen, "its trusted comment names another key or authority");
		return why;
	}
	if (authority_source != NULL)
		*authority_source = source;
	return NULL;
}
