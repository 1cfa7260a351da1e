/* extract.c - one pass into a staging directory, verify, then one rename into place. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

struct staging {
	int root;  /* the staging directory */
	int fd;    /* the file being written, or -1 */
	char *current;
};

static enum dossier_status make_parents(int root, const char *path, struct dossier_error *err)
{
	char dir[LIMIT_PATH_BYTES + 1];
	for (const char *p = strchr(path, '/'); p != NULL; p = strchr(p + 1, '/')) {
		memcpy(dir, path, (size_t)(p - path));
		dir[p - path] = '\0';
		if (mkdirat(root, dir, 0755) != 0 && errno != EEXIST)
			return dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", dir);
		struct stat sb;
		if (fstatat(root, dir, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
			return dossier_fail(err, DOSSIER_INVALID, "%s: '%s' is a file in the bundle, so it cannot be a directory",
			    path, dir);
	}
	return DOSSIER_OK;
}

/* Called by the reader with every chunk of every entry it accepted. */
static enum dossier_status sink(void *ctx, const struct entry *e, const void *data, size_t len,
    int end, struct dossier_error *err)
{
	struct staging *s = ctx;
	enum dossier_status st;
	if (e->type == ENTRY_DIR) {
		if ((st = make_parents(s->root, e->path, err)) != DOSSIER_OK)
			return st;
		if (mkdirat(s->root, e->path, 0755) != 0 && errno != EEXIST)
			return dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", e->path);
		return DOSSIER_OK;
	}
	if (s->fd < 0) {
		if ((st = make_parents(s->root, e->path, err)) != DOSSIER_OK)
			return st;
		/* O_EXCL|O_NOFOLLOW: a second entry of one name never overwrites or follows. */
		s->fd = openat(s->root, e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (s->fd < 0 && errno == EEXIST)
			return dossier_fail(err, DOSSIER_INVALID,
			    "%s: the bundle already has an entry of that name (a directory or a file)", e->path);
		if (s->fd < 0)
			return dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", e->path);
	}
	if (len > 0 && (st = write_all(s->fd, data, len, e->path, err)) != DOSSIER_OK)
		return st;
	if (end) {
		int rc = close(s->fd);
		s->fd = -1;
		if (rc != 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", e->path);
	}
	return DOSSIER_OK;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

enum dossier_status dossier_bundle_extract(const char *path, const char *dir,
    const struct dossier_extract_options *opt, struct dossier_report **report,
    struct dossier_error *err)
{
	struct dossier_bundle b = { 0 };
	struct dossier_report *r = NULL;
	struct staging s = { .root = -1, .fd = -1 };
	struct buf stage = { 0 }, from = { 0 }, to = { 0 };
	enum dossier_status st;
	struct stat sb;
	if (report != NULL)
		*report = NULL;
	int made_dir = mkdir(dir, 0755) == 0;
	if (!made_dir && errno != EEXIST)
		return dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", dir);
	if (buf_printf(&stage, "%s/.dossier-extract-XXXXXX", dir) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (mkdtemp(stage.data) == NULL) {
		st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", dir);
		buf_release(&stage);
		if (made_dir)
			rmdir(dir);
		return st;
	}
	if (opt != NULL && opt->staged != NULL)
		opt->staged(opt->staged_ctx, stage.data, made_dir);
	s.root = open(stage.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.root < 0) {
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", stage.data);
		goto out;
	}
	fchmod(s.root, 0755); /* mkdtemp made it 0700; it becomes the bag directory */
	if (opt != NULL && opt->limits != NULL)
		b.limits = *opt->limits;
	b.sink = sink;
	b.sink_ctx = &s;
	b.progress = opt ? opt->progress : NULL;
	if ((st = bundle_read(path, &b, err)) != DOSSIER_OK)
		goto out;
	/* The sink wrote everything under the staging root; the bag is its own subtree. */
	struct dossier_verify_options vo = { .trust = opt ? opt->trust : NULL,
		.at = opt && opt->at != 0 ? opt->at : (int64_t)time(NULL) };
	if ((st = dossier_bundle_verify_with(&b, &vo, &r, err)) != DOSSIER_OK)
		goto out;
	enum dossier_status verdict = dossier_report_verdict(r);
	if (verdict == DOSSIER_INVALID || (verdict == DOSSIER_UNTRUSTED && !(opt && opt->allow_untrusted))) {
		const char *why = r->nfindings ? r->findings[0].message : "verification failed";
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].kind == DOSSIER_FINDING_INVALID) {
				why = r->findings[i].message;
				break;
			}
		st = dossier_fail(err, verdict, "not extracted: %s", why);
		goto out;
	}
	/* the signed name (verify refused a renamed top directory), not the archive's */
	if (buf_printf(&to, "%s/%s", dir, dossier_report_bundle_name(r)) != 0 || buf_printf(&from, "%s", stage.data) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if (lstat(to.data, &sb) == 0) {
		st = dossier_fail(err, DOSSIER_CANTCREAT, "%s: already exists; refusing to overwrite", to.data);
		goto out;
	}
	if (rename_noreplace(from.data, to.data) != 0) {
		st = errno == EEXIST ? dossier_fail(err, DOSSIER_CANTCREAT, "%s: appeared while extracting; refusing to overwrite", to.data)
		                     : dossier_fail_errno(err, DOSSIER_IOERR, "%s", to.data);
		goto out;
	}
	buf_release(&stage); /* moved: nothing to clean up */
	made_dir = 0;
out:
	if (s.fd >= 0)
		close(s.fd);
	if (s.root >= 0)
		close(s.root);
	if (stage.data != NULL)
		remove_tree(stage.data);
	if (made_dir)
		rmdir(dir); /* a refused extract leaves no trace, not even DIR */
	buf_release(&stage);
	buf_release(&from);
	buf_release(&to);
	bundle_release(&b);
	if (report != NULL)
		*report = r;
	else
		dossier_report_free(r);
	return st;
}

void dossier_extract_discard(const char *staging, const char *dir, int made_dir)
{
	static const char prefix[] = "/.dossier-extract-";
	size_t n = strlen(dir);
	/* only what dossier_bundle_extract names so: never another path handed over by mistake */
	if (strncmp(staging, dir, n) == 0 && strncmp(staging + n, prefix, sizeof prefix - 1) == 0 &&
	    strlen(staging + n + sizeof prefix - 1) == 6 && strchr(staging + n + 1, '/') == NULL)
		remove_tree(staging);
	if (made_dir)
		rmdir(dir); /* only when empty: a bag renamed into place before the end stays */
}
