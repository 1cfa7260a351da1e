/* rewrite.c - copying a bundle into a new archive with files added, replacing it atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"


struct copy {
	struct bag_writer *w;
	const struct added_file *add;
	size_t nadd, next; /* added files are merged in before the first larger path */
	int64_t mtime;
	char *chunk;
	const char *const *drop; /* entries left out of the copy, sorted */
	size_t ndrop;
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum dossier_status flush_added(struct copy *c, const char *before,
    struct dossier_error *err)
{
	while (c->next < c->nadd && (before == NULL || strcmp(c->add[c->next].path, before) < 0)) {
		const struct added_file *a = &c->add[c->next++];
		bag_writer_set_mtime(c->w, c->mtime);
		enum dossier_status st = bag_writer_add_mem(c->w, a->path, a->data, a->len, err);
		if (st != DOSSIER_OK)
			return st;
	}
	return DOSSIER_OK;
}

static enum dossier_status on_entry(void *ctx, struct bag_reader *r, const struct entry *e,
    struct dossier_error *err)
{
	struct copy *c = ctx;
	enum dossier_status st;
	if (e->type != ENTRY_FILE)
		return DOSSIER_OK; /* directories are implied by the writer; others were refused */
	if (c->ndrop > 0 && bsearch(&e->path, c->drop, c->ndrop, sizeof *c->drop, by_str) != NULL)
		return DOSSIER_OK; /* its data is skipped with the next header */
	if ((st = flush_added(c, e->path, err)) != DOSSIER_OK)
		return st;
	bag_writer_set_mtime(c->w, e->mtime);
	if ((st = bag_writer_begin(c->w, e->path, e->size, err)) != DOSSIER_OK)
		return st;
	ssize_t n;
	uint64_t done = 0;
	while ((n = entry_read(r, c->chunk, 1u << 20, err)) > 0) {
		done += (uint64_t)n;
		if ((st = bag_writer_data(c->w, c->chunk, (size_t)n, err)) != DOSSIER_OK)
			return st;
	}
	if (n < 0)
		return err->code;
	if (done != e->size)
		return dossier_fail(err, DOSSIER_INVALID, "%s: entry size changed while copying", e->path);
	return DOSSIER_OK;
}

/* For an extracted bag: write each added file into the directory itself. */
static enum dossier_status add_to_dir(const char *dir, const struct added_file *add, size_t nadd,
    struct dossier_error *err)
{
	for (size_t i = 0; i < nadd; i++) {
		struct buf path = { 0 };
		struct atomic_file f;
		const char *slash = strrchr(add[i].path, '/');
		if (buf_printf(&path, "%s/%.*s", dir, slash ? (int)(slash - add[i].path) : 0, add[i].path) != 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		if (mkdir(path.data, 0755) != 0 && errno != EEXIST) {
			enum dossier_status st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", path.data);
			buf_release(&path);
			return st;
		}
		path.len = 0;
		buf_printf(&path, "%s/%s", dir, add[i].path);
		enum dossier_status st = atomic_open(&f, path.data, 0, 0644, err);
		if (st == DOSSIER_OK && (st = write_all(f.fd, add[i].data, add[i].len, path.data, err)) != DOSSIER_OK)
			atomic_abort(&f);
		else if (st == DOSSIER_OK)
			st = atomic_commit(&f, err);
		buf_release(&path);
		if (st != DOSSIER_OK)
			return st;
	}
	return DOSSIER_OK;
}

enum dossier_status bundle_rewrite(const char *path, const struct dossier_bundle *b,
    const struct added_file *add, size_t nadd, struct dossier_error *err)
{
	if (b->is_dir)
		return add_to_dir(path, add, nadd, err);
	if (strcmp(path, "-") == 0)
		return dossier_fail(err, DOSSIER_USAGE, "cannot add to a bundle read from stdin");
	struct stat sb;
	if (stat(path, &sb) != 0)
		return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", path);
	/* force: the temp file replaces the bundle itself */
	struct bundle_copy_spec spec = { .output = path, .kind = b->kind, .force = 1, .mode = sb.st_mode & 0777,
		.add = add, .nadd = nadd };
	return bundle_copy(path, b, &spec, err);
}

enum dossier_status bundle_copy(const char *path, const struct dossier_bundle *b,
    const struct bundle_copy_spec *spec, struct dossier_error *err)
{
	struct atomic_file out;
	struct copy c = { .add = spec->add, .nadd = spec->nadd, .mtime = b->mtime, .drop = spec->drop,
		.ndrop = spec->ndrop };
	char *top = NULL;
	enum dossier_status st = atomic_open(&out, spec->output, spec->force, spec->mode, err);
	if (st != DOSSIER_OK)
		return st;
	c.chunk = malloc(1u << 20);
	if (c.chunk == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (st == DOSSIER_OK)
		st = bag_writer_open(&c.w, out.fd, spec->kind, b->name, b->mtime, err);
	if (st == DOSSIER_OK)
		st = bag_read(path, NULL, on_entry, &c, &top, NULL, err);
	if (st == DOSSIER_OK && strcmp(top, b->name) != 0)
		st = dossier_fail(err, DOSSIER_IOERR, "%s: changed while being rewritten", path);
	if (st == DOSSIER_OK)
		st = flush_added(&c, NULL, err);
	if (st == DOSSIER_OK)
		st = bag_writer_close(c.w, err);
	bag_writer_free(c.w);
	free(c.chunk);
	free(top);
	if (st == DOSSIER_OK)
		return atomic_commit(&out, err);
	atomic_abort(&out);
	return st;
}

enum dossier_status bundle_lock(const char *path, int *fd, struct dossier_error *err)
{
	*fd = -1;
	if (strcmp(path, "-") == 0)
		return dossier_fail(err, DOSSIER_USAGE, "cannot add to a bundle read from stdin");
	/* Another writer may rename a new file into place while we wait: lock, then
	   check that the locked file is still the one at path, else try again. */
	for (int attempt = 0; attempt < 100; attempt++) {
		struct stat held, now;
		int f = open(path, O_RDONLY | O_CLOEXEC);
		if (f < 0)
			return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", path);
		while (flock(f, LOCK_EX) != 0) {
			if (errno != EINTR) {
				close(f);
				return dossier_fail_errno(err, DOSSIER_IOERR, "%s: cannot lock", path);
			}
		}
		if (fstat(f, &held) == 0 && stat(path, &now) == 0 && held.st_ino == now.st_ino &&
		    held.st_dev == now.st_dev) {
			*fd = f;
			return DOSSIER_OK;
		}
		close(f);
	}
	return dossier_fail(err, DOSSIER_IOERR, "%s: keeps changing; cannot lock it", path);
}

void bundle_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}
