/* keyring.c - loading a keyring directory. A file that cannot be read as what its place
   says is recorded as a problem, never skipped: a verifier must not believe it trusts
   (or has revoked) a key because a file it meant to use was silently ignored. */
#include <dirent.h>
#include <errno.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trust.h"

struct listing {
	char **names;
	size_t count;
};

static void listing_release(struct listing *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof *l);
}

/* The entries of dir in byte order; 1 if dir does not exist. */
static int list_dir(const char *dir, struct listing *l, struct dossier_error *err)
{
	memset(l, 0, sizeof *l);
	DIR *d = opendir(dir);
	if (d == NULL) {
		if (errno == ENOENT)
			return 1;
		dossier_fail_errno(err, DOSSIER_NOINPUT, "keyring %s", dir);
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (l->count == cap) {
			cap = cap ? cap * 2 : 16;
			char **n = realloc(l->names, cap * sizeof *n);
			if (n == NULL) {
				rc = -1;
				break;
			}
			l->names = n;
		}
		if ((l->names[l->count] = strdup(de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		l->count++;
	}
	closedir(d);
	if (rc != 0) {
		listing_release(l);
		dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		return -1;
	}
	if (l->count > 1)
		qsort(l->names, l->count, sizeof *l->names, cmp_strptr);
	return 0;
}

static char *join(const char *dir, const char *name)
{
	struct buf b = { 0 };
	return buf_printf(&b, "%s/%s", dir, name) == 0 ? b.data : NULL;
}

static int is_regular(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A key with the name the receiver gave it (NAME.name.json beside it), if any. */
static void load_pub(struct dossier_trust *t, struct dossier_keyset *set, const char *path)
{
	struct dossier_error err;
	struct dossier_pubkey key;
	int named;
	if (dossier_pubkey_load(path, &key, &err) != DOSSIER_OK ||
	    keyname_read(path, key.keyid, key.name, sizeof key.name, &named, &err) != DOSSIER_OK ||
	    dossier_keyset_add(set, &key, path, &err) != DOSSIER_OK)
		trust_problem(t, 1, "%s", err.message);
}

/* A name file is read with its key; one beside no key is noticed. */
static void check_name_file(struct dossier_trust *t, const char *path)
{
	char *pub = keyname_key_path(path);
	if (pub == NULL)
		t->oom = 1;
	else if (!is_regular(pub))
		trust_problem(t, 0, "%s: a name for a key that is not there (%s); ignored", path, pub);
	free(pub);
}

static void load_revocations(struct dossier_trust *t, const char *path)
{
	struct buf text = { 0 }, sig = { 0 };
	struct revocation_list l;
	struct dossier_error err;
	char why[512];
	const char *bad;
	if (read_signed_pair(path, &text, &sig, &err) != DOSSIER_OK) {
		trust_problem(t, 1, "%s", err.message);
		return;
	}
	if (revocation_parse(path, text.data, text.len, &l, &err) != DOSSIER_OK) {
		trust_problem(t, 1, "%s", err.message);
	} else {
		char needle[40];
		snprintf(needle, sizeof needle, "authority:%s", l.authority);
		bad = signed_by_authority(text.data, text.len, sig.data, sig.len, l.authority,
		    "dossier-revocations-v1 ", needle, t->authorities, NULL, why, sizeof why);
		if (bad != NULL)
			trust_problem(t, 1, "%s: revocation list not used: %s", path, bad);
		for (size_t i = 0; bad == NULL && i < l.count; i++)
			if (trust_add_revocation(t, &l.items[i], l.items[i].reason, path) != DOSSIER_OK)
				t->oom = 1;
		revocation_release(&l);
	}
	buf_release(&text);
	buf_release(&sig);
}

int pem_certificates(const char *text, size_t len)
{
	int certs = 0;
	BIO *bio = len <= INT32_MAX ? BIO_new_mem_buf(text, (int)len) : NULL;
	X509 *x;
	while (bio != NULL && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		certs++;
		X509_free(x);
	}
	BIO_free(bio);
	return certs;
}

static void load_tsa(struct dossier_trust *t, const char *path)
{
	struct dossier_error err;
	if (dossier_trust_add_tsa_file(t, path, &err) != DOSSIER_OK)
		trust_problem(t, 1, "%s", err.message);
}

static void load_policy(struct dossier_trust *t, const char *path)
{
	struct dossier_error err;
	if (dossier_trust_load_policy(t, path, &err) != DOSSIER_OK)
		trust_problem(t, 1, "%s", err.message);
}

enum kind { AUTHORITIES, SIGNERS, REVOKED, TSA };

/* One subdirectory: files with the expected suffix are loaded, others are noticed. */
static enum dossier_status load_subdir(struct dossier_trust *t, const char *dir, const char *sub,
    enum kind kind, struct dossier_error *err)
{
	static const char *const suffix[] = { ".pub", ".pub", ".json", ".pem" };
	struct listing l;
	char *path = join(dir, sub);
	if (path == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	int rc = list_dir(path, &l, err);
	if (rc != 0) {
		/* absent is fine; present but unreadable is a keyring that cannot be relied on */
		if (rc < 0 && err->code != DOSSIER_SOFTWARE)
			trust_problem(t, 1, "%s", err->message);
		free(path);
		return rc < 0 && err->code == DOSSIER_SOFTWARE ? err->code : DOSSIER_OK;
	}
	for (size_t i = 0; i < l.count; i++) {
		const char *name = l.names[i];
		char *file = join(path, name);
		if (file == NULL) {
			t->oom = 1;
			break;
		}
		size_t n = strlen(name);
		/* a revocation list's signature lives beside it */
		int companion = kind == REVOKED && has_suffix(name, ".json.minisig", 0) && i > 0 &&
		    strncmp(l.names[i - 1], name, n - 8) == 0 && strlen(l.names[i - 1]) == n - 8;
		if (companion)
			; /* read together with its list */
		else if ((kind == SIGNERS || kind == AUTHORITIES) && has_suffix(name, KEYNAME_SUFFIX, 0))
			check_name_file(t, file);
		else if (!has_suffix(name, suffix[kind], 0) || n <= strlen(suffix[kind]) || !is_regular(file))
			trust_problem(t, 0, "%s: not a %s file; ignored", file, suffix[kind]);
		else if (kind == AUTHORITIES)
			load_pub(t, t->authorities, file);
		else if (kind == SIGNERS)
			load_pub(t, t->signers, file);
		else if (kind == REVOKED)
			load_revocations(t, file);
		else
			load_tsa(t, file);
		free(file);
	}
	listing_release(&l);
	free(path);
	return DOSSIER_OK;
}

enum dossier_status dossier_trust_load_keyring(struct dossier_trust *t, const char *dir,
    struct dossier_error *err)
{
	static const char *const subdirs[] = { "authorities", "signers", "revoked", "tsa" };
	struct listing l;
	int rc = list_dir(dir, &l, err);
	if (rc > 0)
		return dossier_fail(err, DOSSIER_NOINPUT, "keyring %s: No such file or directory", dir);
	if (rc < 0)
		return err->code;
	/* authorities first: the revocation lists are checked against them */
	enum dossier_status st = DOSSIER_OK;
	for (int k = AUTHORITIES; k <= TSA && st == DOSSIER_OK; k++)
		st = load_subdir(t, dir, subdirs[k], (enum kind)k, err);
	for (size_t i = 0; st == DOSSIER_OK && i < l.count; i++) {
		const char *name = l.names[i];
		int known = 0;
		for (size_t k = 0; k < sizeof subdirs / sizeof *subdirs; k++)
			known |= strcmp(name, subdirs[k]) == 0;
		if (known)
			continue;
		char *file = join(dir, name);
		if (file == NULL)
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		else if (strcmp(name, "policy.json") == 0)
			load_policy(t, file);
		else if (has_suffix(name, ".pub", 0) && strlen(name) > 4 && is_regular(file))
			load_pub(t, t->signers, file); /* a key at the top level is a trusted signer */
		else if (has_suffix(name, KEYNAME_SUFFIX, 0))
			check_name_file(t, file);
		else
			trust_problem(t, 0, "%s: not part of a keyring; ignored", file);
		free(file);
	}
	listing_release(&l);
	if (st == DOSSIER_OK && t->oom)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	return st;
}
