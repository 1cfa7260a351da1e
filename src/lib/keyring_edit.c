/* keyring_edit.c - adding files to a keyring and removing them, each checked first so
   that a keyring only ever holds what verify can use. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trust.h"

static enum dossier_status make_dir(const char *path, struct dossier_error *err)
{
	/* keyrings decide whom a verifier believes: private to their owner */
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", path);
	return DOSSIER_OK;
}

static enum dossier_status copy_in(const char *dest, const struct buf *data, int force, int *already,
    struct dossier_error *err)
{
	struct buf have = { 0 };
	struct dossier_error ignored;
	if (read_small_file(dest, LIMIT_TAGFILE, &have, &ignored) == DOSSIER_OK) {
		int same = have.len == data->len && memcmp(have.data, data->data, data->len) == 0;
		buf_release(&have);
		if (same) {
			*already = 1;
			return DOSSIER_OK;
		}
		if (!force)
			return dossier_fail(err, DOSSIER_CANTCREAT, "%s: a different file is there already (use --force to replace it)",
			    dest);
	}
	struct atomic_file f;
	enum dossier_status st = atomic_open(&f, dest, 1, 0644, err);
	if (st == DOSSIER_OK && (st = write_all(f.fd, data->data, data->len, dest, err)) != DOSSIER_OK)
		atomic_abort(&f);
	else if (st == DOSSIER_OK)
		st = atomic_commit(&f, err);
	*already = 0;
	return st;
}

enum kind { K_PUB, K_REVOKED, K_TSA, K_POLICY };

/* What the file is, checked as verify will read it. */
static enum dossier_status classify(const char *dir, const char *file, const struct buf *text,
    const struct buf *sig, enum kind *kind, struct dossier_error *err)
{
	if (has_suffix(file, ".pub", 0)) {
		struct dossier_pubkey key;
		*kind = K_PUB;
		enum dossier_status st = dossier_pubkey_parse(text->data, text->len, &key, err);
		return st == DOSSIER_OK ? st : dossier_fail(err, st, "%s: not a minisign public key", file);
	}
	if (has_suffix(file, ".pem", 0)) {
		*kind = K_TSA;
		return pem_certificates(text->data, text->len) > 0 ? DOSSIER_OK
		    : dossier_fail(err, DOSSIER_INVALID, "%s: not a PEM certificate", file);
	}
	if (file_kind(text->data, text->len) == KIND_SECKEY)
		return dossier_fail(err, DOSSIER_DATAERR, "%s: this is a secret key; a keyring holds public keys (pass the .pub file)",
		    file);
	cJSON *doc = has_suffix(file, ".json", 0) ? json_parse_strict(file, text->data, text->len, err) : NULL;
	if (doc == NULL)
		return has_suffix(file, ".json", 0) ? err->code
		    : dossier_fail(err, DOSSIER_USAGE, "%s: not a keyring file (.pub, .pem, a revocation list or a policy)", file);
	int revocations = cJSON_GetObjectItemCaseSensitive(doc, "dossier_revocations") != NULL;
	int policy = cJSON_GetObjectItemCaseSensitive(doc, "dossier_policy") != NULL;
	int card = cJSON_GetObjectItemCaseSensitive(doc, "dossier_card") != NULL;
	cJSON_Delete(doc);
	if (policy) {
		struct policy p = { 0 };
		*kind = K_POLICY;
		enum dossier_status st = policy_parse(file, text->data, text->len, &p, err);
		policy_release(&p);
		return st;
	}
	if (card)
		return dossier_fail(err, DOSSIER_USAGE,
		    "%s: a key card is trusted through its authority; add the authority's key with --authority", file);
	if (!revocations)
		return dossier_fail(err, DOSSIER_USAGE, "%s: not a keyring file (.pub, .pem, a revocation list or a policy)", file);
	/* a revocation list counts only when an authority of this keyring signed it */
	struct revocation_list l;
	struct dossier_trust *t = dossier_trust_new();
	char why[512];
	*kind = K_REVOKED;
	enum dossier_status st = t ? DOSSIER_OK : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	struct stat sb;
	if (st == DOSSIER_OK && stat(dir, &sb) == 0)
		st = dossier_trust_load_keyring(t, dir, err);
	if (st == DOSSIER_OK && (st = revocation_parse(file, text->data, text->len, &l, err)) == DOSSIER_OK) {
		char needle[40];
		snprintf(needle, sizeof needle, "authority:%s", l.authority);
		const char *bad = signed_by_authority(text->data, text->len, sig->data, sig->len, l.authority,
		    "dossier-revocations-v1 ", needle, t->authorities, NULL, why, sizeof why);
		if (bad != NULL)
			st = dossier_fail(err, DOSSIER_UNTRUSTED, "%s: %s; add the authority first (dossier keyring add --authority)",
			    file, bad);
		revocation_release(&l);
	}
	dossier_trust_free(t);
	return st;
}

/* An authority's list replaces its earlier one when it was issued later: that is how a
   list grows. An older list would silently un-revoke keys, so it needs --force. */
static enum dossier_status newer_list(const char *dest, const struct buf *text, int *force,
    struct dossier_error *err)
{
	struct buf have = { 0 };
	struct revocation_list old, new;
	struct dossier_error ignored;
	if (read_small_file(dest, LIMIT_TAGFILE, &have, &ignored) != DOSSIER_OK)
		return DOSSIER_OK; /* nothing there yet */
	enum dossier_status st = DOSSIER_OK;
	if (revocation_parse(dest, have.data, have.len, &old, &ignored) == DOSSIER_OK) {
		if (revocation_parse(dest, text->data, text->len, &new, &ignored) == DOSSIER_OK) {
			if (strcmp(old.authority, new.authority) == 0 && strcmp(new.issued, old.issued) > 0)
				*force = 1;
			else if (strcmp(new.issued, old.issued) < 0)
				st = dossier_fail(err, DOSSIER_CANTCREAT,
				    "%s: the list in the keyring (issued %s) is newer than this one (issued %s); use --force to go back",
				    dest, old.issued, new.issued);
			revocation_release(&new);
		}
		revocation_release(&old);
	}
	buf_release(&have);
	return st;
}

enum dossier_status dossier_keyring_add(const char *dir, const char *file, int as_authority, int force,
    char *dest, size_t destlen, int *already, struct dossier_error *err)
{
	struct buf text = { 0 }, sig = { 0 }, path = { 0 }, sigdest = { 0 };
	enum kind kind = K_PUB;
	*already = 0;
	enum dossier_status st = read_small_file(file, LIMIT_TAGFILE, &text, err);
	if (st != DOSSIER_OK)
		return st;
	if (has_suffix(file, ".json", 0)) {
		/* a revocation list travels with its signature; a policy has none */
		struct buf sigpath = { 0 };
		struct dossier_error ignored;
		if (buf_printf(&sigpath, "%s.minisig", file) == 0)
			read_small_file(sigpath.data, LIMIT_SIGFILE, &sig, &ignored);
		buf_release(&sigpath);
	}
	st = classify(dir, file, &text, &sig, &kind, err);
	if (st == DOSSIER_OK && kind == K_REVOKED && sig.data == NULL)
		st = dossier_fail(err, DOSSIER_NOINPUT, "%s.minisig: the revocation list's signature is missing", file);
	if (st == DOSSIER_OK && as_authority && kind != K_PUB)
		st = dossier_fail(err, DOSSIER_USAGE, "--authority applies to public keys (.pub) only");
	char *copy = strdup(file);
	const char *base = copy ? basename(copy) : NULL;
	static const char *const sub[] = { NULL, "revoked", "tsa", NULL };
	const char *subdir = kind == K_PUB ? (as_authority ? "authorities" : "signers") : sub[kind];
	if (st == DOSSIER_OK && (base == NULL ||
	                            (kind == K_POLICY ? buf_printf(&path, "%s/policy.json", dir)
	                                              : buf_printf(&path, "%s/%s/%s", dir, subdir, base)) != 0))
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (st == DOSSIER_OK)
		st = make_dir(dir, err);
	if (st == DOSSIER_OK && subdir != NULL) {
		struct buf d = { 0 };
		st = buf_printf(&d, "%s/%s", dir, subdir) == 0 ? make_dir(d.data, err)
		                                               : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		buf_release(&d);
	}
	if (st == DOSSIER_OK && kind == K_REVOKED && !force)
		st = newer_list(path.data, &text, &force, err);
	if (st == DOSSIER_OK && kind == K_REVOKED) {
		int same_sig = 0;
		if (buf_printf(&sigdest, "%s.minisig", path.data) != 0)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else
			st = copy_in(sigdest.data, &sig, force, &same_sig, err);
	}
	if (st == DOSSIER_OK)
		st = copy_in(path.data, &text, force, already, err);
	if (st == DOSSIER_OK)
		snprintf(dest, destlen, "%s", path.data);
	free(copy);
	buf_release(&text);
	buf_release(&sig);
	buf_release(&path);
	buf_release(&sigdest);
	return st;
}

/* Unlinks the .pub files of one directory whose key id is keyid. */
static enum dossier_status remove_keys_in(const char *dir, const char *keyid, size_t *removed,
    struct dossier_error *err)
{
	DIR *h = opendir(dir);
	struct dirent *de;
	enum dossier_status st = DOSSIER_OK;
	while (h != NULL && st == DOSSIER_OK && (de = readdir(h)) != NULL) {
		struct buf f = { 0 };
		struct dossier_pubkey key;
		struct dossier_error ignored;
		if (has_suffix(de->d_name, ".pub", 0) && buf_printf(&f, "%s/%s", dir, de->d_name) == 0 &&
		    dossier_pubkey_load(f.data, &key, &ignored) == DOSSIER_OK && strcmp(key.keyid, keyid) == 0) {
			if (unlink(f.data) == 0)
				(*removed)++;
			else
				st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", f.data);
		}
		buf_release(&f);
	}
	if (h != NULL)
		closedir(h);
	return st;
}

static enum dossier_status remove_keys(const char *dir, const char *keyid, size_t *removed,
    struct dossier_error *err)
{
	static const char *const subs[] = { "", "/signers", "/authorities" };
	enum dossier_status st = DOSSIER_OK;
	for (size_t i = 0; i < sizeof subs / sizeof *subs && st == DOSSIER_OK; i++) {
		struct buf d = { 0 };
		st = buf_printf(&d, "%s%s", dir, subs[i]) == 0 ? remove_keys_in(d.data, keyid, removed, err)
		                                               : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		buf_release(&d);
	}
	return st;
}

enum dossier_status dossier_keyring_remove(const char *dir, const char *what, size_t *removed,
    struct dossier_error *err)
{
	uint8_t kn[8];
	*removed = 0;
	enum dossier_status st = DOSSIER_OK;
	if (keyid_parse(what, kn) == 0) {
		st = remove_keys(dir, what, removed, err);
	} else {
		const char *why = bag_path_problem(what); /* stays inside the keyring */
		struct buf f = { 0 };
		if (why != NULL)
			return dossier_fail(err, DOSSIER_USAGE, "'%s': not a key id or a file in the keyring (%s)", what, why);
		if (buf_printf(&f, "%s/%s", dir, what) != 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		for (int pass = 0; pass < 2 && st == DOSSIER_OK; pass++) {
			if (pass == 1 && buf_printf(&f, ".minisig") != 0)
				st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			else if (unlink(f.data) == 0)
				(*removed)++;
			else if (errno != ENOENT)
				st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", f.data);
		}
		buf_release(&f);
	}
	if (st == DOSSIER_OK && *removed == 0)
		st = dossier_fail(err, DOSSIER_NOINPUT, "%s: nothing in keyring %s matches", what, dir);
	return st;
}
