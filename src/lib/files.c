/* files.c - reading small inputs and writing outputs atomically. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* On failure nothing stays allocated, and what was read is wiped: key files pass here. */
static enum dossier_status read_fail(struct buf *out, int fd, enum dossier_status st)
{
	if (fd >= 0)
		close(fd);
	if (out->data != NULL)
		sodium_memzero(out->data, out->cap);
	buf_release(out);
	return st;
}

int open_input(const char *path)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

enum dossier_status read_small_file(const char *path, size_t max, struct buf *out,
    struct dossier_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", path);
	struct stat st;
	if (fstat(fd, &st) != 0)
		return read_fail(out, fd, dossier_fail_errno(err, DOSSIER_IOERR, "%s", path));
	if (!S_ISREG(st.st_mode))
		return read_fail(out, fd, dossier_fail(err, DOSSIER_NOINPUT, "%s: not a regular file", path));
	out->len = 0;
	if (buf_append(out, "", 0) != 0)
		return read_fail(out, fd, dossier_fail(err, DOSSIER_SOFTWARE, "out of memory"));
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return read_fail(out, fd, dossier_fail_errno(err, DOSSIER_IOERR, "%s", path));
		if (n == 0)
			break;
		if (out->len + (size_t)n > max)
			return read_fail(out, fd, dossier_fail(err, DOSSIER_INVALID, "%s: larger than %zu bytes", path, max));
		if (buf_append(out, chunk, (size_t)n) != 0)
			return read_fail(out, fd, dossier_fail(err, DOSSIER_SOFTWARE, "out of memory"));
	}
	close(fd);
	sodium_memzero(chunk, sizeof chunk);
	return DOSSIER_OK;
}

enum dossier_status write_all(int fd, const void *data, size_t len, const char *name,
    struct dossier_error *err)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
		p += n;
		len -= (size_t)n;
	}
	return DOSSIER_OK;
}

enum dossier_status atomic_open(struct atomic_file *f, const char *target, int force,
    mode_t mode, struct dossier_error *err)
{
	struct stat st;
	memset(f, 0, sizeof *f);
	f->fd = -1;
	f->replace = force;
	/* an early, friendly refusal; the kernel enforces it at commit (rename_noreplace) */
	if (!force && lstat(target, &st) == 0)
		return dossier_fail(err, DOSSIER_CANTCREAT,
		    "%s: already exists; refusing to overwrite (use --force)", target);
	f->target = strdup(target);
	size_t n = strlen(target) + 32;
	f->temp = malloc(n);
	if (f->target == NULL || f->temp == NULL) {
		atomic_abort(f);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	/* The temp file lives beside the target so rename(2) is atomic. */
	for (int attempt = 0; attempt < 100; attempt++) {
		uint32_t r = (uint32_t)getpid() * 2654435761u + (uint32_t)attempt * 40503u;
		snprintf(f->temp, n, "%s.tmp-%08x", target, r);
		f->fd = open(f->temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (f->fd >= 0 || errno != EEXIST)
			break;
	}
	if (f->fd < 0) {
		enum dossier_status st2 = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", f->temp);
		atomic_abort(f);
		return st2;
	}
	return DOSSIER_OK;
}

static void fsync_parent(const char *path)
{
	char *copy = strdup(path);
	if (copy == NULL)
		return;
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
}

int rename_noreplace(const char *from, const char *to)
{
	struct stat sb;
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	if (lstat(from, &sb) != 0)
		return -1;
	if (S_ISDIR(sb.st_mode)) {
		/* Our own empty directory holds the name: rename(2) replaces only an empty
		   one, so whatever someone puts there in between makes it fail. */
		if (mkdir(to, 0700) != 0)
			return -1;
		if (rename(from, to) == 0)
			return 0;
		int e = errno;
		rmdir(to);
		errno = e == ENOTEMPTY ? EEXIST : e;
		return -1;
	}
	/* link(2) refuses an existing name as renameat2 does */
	if (link(from, to) != 0)
		return -1;
	unlink(from);
	return 0;
}

static enum dossier_status commit_rename(const struct atomic_file *f, struct dossier_error *err)
{
	if (f->replace ? rename(f->temp, f->target) == 0 : rename_noreplace(f->temp, f->target) == 0)
		return DOSSIER_OK;
	if (errno == EEXIST)
		return dossier_fail(err, DOSSIER_CANTCREAT,
		    "%s: appeared while this was being written; refusing to overwrite (use --force)", f->target);
	if (!f->replace && (errno == EPERM || errno == EOPNOTSUPP))
		return dossier_fail(err, DOSSIER_CANTCREAT,
		    "%s: this file system can neither rename without replacing nor link; use --force", f->target);
	return dossier_fail_errno(err, DOSSIER_IOERR, "%s", f->target);
}

enum dossier_status atomic_commit(struct atomic_file *f, struct dossier_error *err)
{
	enum dossier_status st = DOSSIER_OK;
	if (fsync(f->fd) != 0 && errno != EINVAL) {
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", f->target);
	} else if (close(f->fd) != 0) {
		f->fd = -1;
		st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", f->target);
	} else {
		f->fd = -1;
		if ((st = commit_rename(f, err)) == DOSSIER_OK)
			fsync_parent(f->target);
	}
	if (st != DOSSIER_OK) {
		atomic_abort(f);
		return st;
	}
	free(f->temp);
	free(f->target);
	f->temp = f->target = NULL;
	return DOSSIER_OK;
}

void atomic_abort(struct atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->temp != NULL)
		unlink(f->temp);
	free(f->temp);
	free(f->target);
	f->temp = f->target = NULL;
	f->fd = -1;
}

enum dossier_status dossier_write_file(const char *path, const void *data, size_t len, int force,
    struct dossier_error *err)
{
	struct atomic_file f;
	struct stat sb;
	/* rename(2) would refuse only after the whole file was written */
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dossier_fail(err, DOSSIER_CANTCREAT, "%s: is a directory", path);
	enum dossier_status st = atomic_open(&f, path, force, 0644, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = write_all(f.fd, data, len, path, err)) != DOSSIER_OK) {
		atomic_abort(&f);
		return st;
	}
	return atomic_commit(&f, err);
}
