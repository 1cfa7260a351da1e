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

/* A public key, as verify will read it; the message names the file. */
static enum dossier_status classify_pub(const char *file, const struct buf *text, struct dossier_pubkey *key,
    struct dossier_error *err)
{
	enum dossier_status st = dossier_pubkey_parse(text->data, text->len, key, err);
	if (st != DOSSIER_OK) {
		char reason[sizeof err->message];
		snprintf(reason, sizeof reason, "%s", err->message);
		dossier_fail(err, st, "%s: %s", file, reason);
	}
	return st;
}

/* What the file is, checked as verify will read it. */
static enum dossier_status classify(const char *dir, const char *file, const struct buf *text,
    const struct buf *sig, enum kind *kind, struct dossier_pubkey *key, struct dossier_error *err)
{
	if (has_suffix(file, ".pub", 0)) {
		*kind = K_PUB;
		return classify_pub(file, text, key, err);
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

/* The name the key at dest is trusted under, checked before anything is written: a
   different name there already needs force. Without a new name the one there stays,
   unless it was for another key (a key replaced with force). */
static enum dossier_status name_check(const char *dest, struct dossier_pubkey *key, const char *name,
    int force, int *write, struct dossier_error *err)
{
	char have[sizeof key->name];
	int found;
	struct dossier_error ignored;
	*write = 0;
	int usable = keyname_read(dest, key->keyid, have, sizeof have, &found, &ignored) == DOSSIER_OK;
	if (name == NULL) {
		snprintf(key->name, sizeof key->name, "%s", found && usable ? have : "");
		*write = found && !usable; /* a stale name goes (see name_write) */
		return DOSSIER_OK;
	}
	if (found && usable && strcmp(have, name) != 0 && !force)
		return dossier_fail(err, DOSSIER_CANTCREAT, "%s: already trusted as \"%s\"; use --force to change its name",
		    dest, have);
	snprintf(key->name, sizeof key->name, "%s", name);
	*write = !(found && usable && strcmp(have, name) == 0);
	return DOSSIER_OK;
}

/* Writes (or, with no name, removes) the name file beside the key at dest. */
static enum dossier_status name_write(const char *dest, const struct dossier_pubkey *key,
    struct dossier_error *err)
{
	char *path = keyname_path(dest), *text = key->name[0] ? keyname_render(key->keyid, key->name) : NULL;
	enum dossier_status st = DOSSIER_OK;
	int same;
	if (path == NULL || (key->name[0] && text == NULL))
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	else if (text == NULL && unlink(path) != 0 && errno != ENOENT)
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", path);
	else if (text != NULL)
		st = copy_in(path, &(struct buf){ .data = text, .len = strlen(text) }, 1, &same, err);
	free(path);
	free(text);
	return st;
}

/* Where the file goes (dest), its directory made. */
static enum dossier_status place(const char *dir, const char *file, enum kind kind, int as_authority,
    struct buf *dest, struct dossier_error *err)
{
	static const char *const sub[] = { NULL, "revoked", "tsa", NULL };
	const char *subdir = kind == K_PUB ? (as_authority ? "authorities" : "signers") : sub[kind];
	char *copy = strdup(file);
	const char *base = copy ? basename(copy) : NULL;
	enum dossier_status st = DOSSIER_OK;
	if (base == NULL || (kind == K_POLICY ? buf_printf(dest, "%s/policy.json", dir)
	                                      : buf_printf(dest, "%s/%s/%s", dir, subdir, base)) != 0)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	free(copy);
	if (st == DOSSIER_OK)
		st = make_dir(dir, err);
	if (st == DOSSIER_OK && subdir != NULL) {
		struct buf d = { 0 };
		st = buf_printf(&d, "%s/%s", dir, subdir) == 0 ? make_dir(d.data, err)
		                                               : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		buf_release(&d);
	}
	return st;
}

/* A revocation list travels with its signature; a policy has none. */
static enum dossier_status read_inputs(const char *file, struct buf *text, struct buf *sig,
    struct dossier_error *err)
{
	enum dossier_status st = read_small_file(file, LIMIT_TAGFILE, text, err);
	if (st == DOSSIER_OK && has_suffix(file, ".json", 0)) {
		struct buf sigpath = { 0 };
		struct dossier_error ignored;
		if (buf_printf(&sigpath, "%s.minisig", file) == 0)
			read_small_file(sigpath.data, LIMIT_SIGFILE, sig, &ignored);
		buf_release(&sigpath);
	}
	return st;
}

/* What the request asks of this kind of file makes sense. */
static enum dossier_status check_request(const char *file, enum kind kind, const struct buf *sig,
    const char *name, int as_authority, struct dossier_error *err)
{
	if (kind == K_REVOKED && sig->data == NULL)
		return dossier_fail(err, DOSSIER_NOINPUT, "%s.minisig: the revocation list's signature is missing", file);
	if (as_authority && kind != K_PUB)
		return dossier_fail(err, DOSSIER_USAGE, "--authority applies to public keys (.pub) only");
	if (name != NULL && kind != K_PUB)
		return dossier_fail(err, DOSSIER_USAGE, "--name applies to public keys (.pub) only");
	return name != NULL ? check_text("--name", name, 1, err) : DOSSIER_OK;
}

/* The list's signature first, then the list: verify reads them as a pair. */
static enum dossier_status add_list(const struct buf *dest, const struct buf *text, const struct buf *sig,
    int force, int *already, struct dossier_error *err)
{
	struct buf sigdest = { 0 };
	int same_sig = 0;
	enum dossier_status st = force ? DOSSIER_OK : newer_list(dest->data, text, &force, err);
	if (st == DOSSIER_OK && buf_printf(&sigdest, "%s.minisig", dest->data) != 0)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (st == DOSSIER_OK)
		st = copy_in(sigdest.data, sig, force, &same_sig, err);
	if (st == DOSSIER_OK)
		st = copy_in(dest->data, text, force, already, err);
	buf_release(&sigdest);
	return st;
}

/* The key, then the name it is trusted under. */
static enum dossier_status add_key(const struct buf *dest, const struct buf *text, const char *name,
    int force, struct dossier_keyring_added *out, struct dossier_error *err)
{
	int write_name;
	enum dossier_status st = name_check(dest->data, &out->key, name, force, &write_name, err);
	if (st == DOSSIER_OK)
		st = copy_in(dest->data, text, force, &out->already, err);
	if (st == DOSSIER_OK && write_name) {
		out->already = 0;
		st = name_write(dest->data, &out->key, err);
	}
	out->is_key = 1;
	return st;
}

enum dossier_status dossier_keyring_add(const char *dir, const char *file, const char *name, int as_authority,
    int force, struct dossier_keyring_added *out, struct dossier_error *err)
{
	struct buf text = { 0 }, sig = { 0 }, dest = { 0 };
	enum kind kind = K_PUB;
	memset(out, 0, sizeof *out);
	enum dossier_status st = read_inputs(file, &text, &sig, err);
	if (st == DOSSIER_OK)
		st = classify(dir, file, &text, &sig, &kind, &out->key, err);
	if (st == DOSSIER_OK)
		st = check_request(file, kind, &sig, name, as_authority, err);
	if (st == DOSSIER_OK)
		st = place(dir, file, kind, as_authority, &dest, err);
	if (st == DOSSIER_OK && kind == K_PUB)
		st = add_key(&dest, &text, name, force, out, err);
	else if (st == DOSSIER_OK && kind == K_REVOKED)
		st = add_list(&dest, &text, &sig, force, &out->already, err);
	else if (st == DOSSIER_OK)
		st = copy_in(dest.data, &text, force, &out->already, err);
	if (st == DOSSIER_OK)
		snprintf(out->dest, sizeof out->dest, "%s", dest.data);
	buf_release(&text);
	buf_release(&sig);
	buf_release(&dest);
	return st;
}

/* Unlinks path, counting it; a file that is not there is not an error. */
static enum dossier_status remove_one(const char *path, size_t *removed, struct dossier_error *err)
{
	if (unlink(path) == 0)
		(*removed)++;
	else if (errno != ENOENT)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", path);
	return DOSSIER_OK;
}

/* A key file and the name it was trusted under. */
static enum dossier_status remove_key_file(const char *path, size_t *removed, struct dossier_error *err)
{
	char *name = keyname_path(path);
	enum dossier_status st = remove_one(path, removed, err);
	if (st == DOSSIER_OK && name != NULL)
		st = remove_one(name, removed, err);
	free(name);
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
		    dossier_pubkey_load(f.data, &key, &ignored) == DOSSIER_OK && strcmp(key.keyid, keyid) == 0)
			st = remove_key_file(f.data, removed, err);
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
		if (has_suffix(f.data, ".pub", 0))
			st = remove_key_file(f.data, removed, err);
		else if ((st = remove_one(f.data, removed, err)) == DOSSIER_OK)
			st = buf_printf(&f, ".minisig") == 0 ? remove_one(f.data, removed, err)
			                                     : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		buf_release(&f);
	}
	if (st == DOSSIER_OK && *removed == 0)
		st = dossier_fail(err, DOSSIER_NOINPUT, "%s: nothing in keyring %s matches", what, dir);
	return st;
}
