/* archive_in.c - one pass over the entries of a bundle: an archive, stdin, or a bag directory. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "internal.h"
#include "statahead.h"

struct bag_reader {
	struct archive *a; /* archive input, or NULL */
	int fd;            /* directory input: the open file, or -1 */
	int dfd;           /* directory input: where fname is, opened at the first read */
	const char *fname; /* (planning a pack reads no data: no open, no close) */
	const char *name;  /* for messages */
	uint64_t *total;   /* bytes read from all entries so far */
	uint64_t max_total;
	struct progress *progress; /* or NULL */
	struct aside *aside;       /* the second reader, or NULL */
	uint64_t ordinal;          /* of the current entry, counting from 1 */
	int owned;                 /* the current entry is the second reader's to hash */
	uint64_t aside_size;       /* of the file both readers read */
};

/* Counts what an entry yields against the bundle's byte limit. */
static ssize_t counted(struct bag_reader *r, ssize_t n, struct dossier_error *err)
{
	if (n > 0 && r->total != NULL) {
		*r->total += (uint64_t)n;
		if (*r->total > r->max_total) {
			fail_over_bytes(err, r->name, r->max_total);
			return -1;
		}
		/* an archive's progress is in bytes of the file, which is what its size says */
		progress_set(r->progress, r->a ? (uint64_t)archive_filter_bytes(r->a, -1) : *r->total);
	}
	return n;
}

int entry_aside(struct bag_reader *r, const struct entry *e, uint64_t *ticket,
    struct dossier_error *err)
{
	if (!r->owned)
		return 0;
	r->owned = 0;
	/* counted as if read: the limit and the progress see the same bytes either way */
	if (counted(r, (ssize_t)e->size, err) < 0)
		return -1;
	if (archive_read_data_skip(r->a) != ARCHIVE_OK) {
		const char *msg = archive_error_string(r->a);
		dossier_fail(err, DOSSIER_INVALID, "%s: %s", r->name, msg ? msg : "damaged archive");
		return -1;
	}
	*ticket = r->ordinal;
	return 1;
}

ssize_t entry_read(struct bag_reader *r, void *buf, size_t len, struct dossier_error *err)
{
	if (r->a != NULL) {
		la_ssize_t n = archive_read_data(r->a, buf, len);
		if (n < 0) {
			const char *msg = archive_error_string(r->a);
			dossier_fail(err, DOSSIER_INVALID, "%s: %s", r->name, msg ? msg : "damaged archive");
			return -1;
		}
		return counted(r, (ssize_t)n, err);
	}
	if (r->fd < 0 && r->fname != NULL) {
		r->fd = openat(r->dfd, r->fname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		r->fname = NULL;
		if (r->fd < 0) {
			dossier_fail_errno(err, DOSSIER_IOERR, "%s", r->name);
			return -1;
		}
	}
	if (r->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(r->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			dossier_fail_errno(err, DOSSIER_IOERR, "%s", r->name);
		return counted(r, n, err);
	}
}

static const char *type_name(struct archive_entry *e)
{
	if (archive_entry_hardlink(e) != NULL)
		return "hardlink";
	switch (archive_entry_filetype(e)) {
	case AE_IFLNK: return "symlink";
	case AE_IFCHR: return "character device";
	case AE_IFBLK: return "block device";
	case AE_IFIFO: return "fifo";
	case AE_IFSOCK: return "socket";
	default: return "special file";
	}
}

/* Splits "top/rest" into the bag's top directory and the path inside it. */
static enum dossier_status split_top(const char *raw, char **top, struct buf *rel,
    int *outside, struct dossier_error *err)
{
	const char *slash = strchr(raw, '/');
	size_t toplen = slash ? (size_t)(slash - raw) : strlen(raw);
	*outside = 0;
	if (*top == NULL) {
		*top = strndup(raw, toplen);
		if (*top == NULL)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	if (toplen != strlen(*top) || strncmp(raw, *top, toplen) != 0)
		*outside = 1;
	rel->len = 0;
	if (buf_append(rel, slash ? slash + 1 : "", slash ? strlen(slash + 1) : 0) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	while (rel->len > 0 && rel->data[rel->len - 1] == '/')
		rel->data[--rel->len] = '\0'; /* directory entries end in '/' */
	return DOSSIER_OK;
}

/* Copies a stream that cannot seek (stdin, a FIFO) to an unlinked temporary file, so it is
   read exactly as the same bytes in a file: the layout check and zip's central directory
   need to seek. At most limit bytes: a stream without end must not fill the disk. */
static enum dossier_status spool(int src, const char *name, uint64_t limit, int *fd,
    struct dossier_error *err)
{
	const char *dir = getenv("TMPDIR");
	char buf[1 << 16];
	uint64_t total = 0;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	*fd = open(dir, O_RDWR | O_TMPFILE | O_EXCL | O_CLOEXEC, 0600);
	if (*fd < 0) {
		/* a file system without O_TMPFILE: a named file, unlinked at once */
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s/dossier-stdin-XXXXXX", dir);
		*fd = mkstemp(tmp);
		if (*fd >= 0)
			unlink(tmp);
	}
	if (*fd < 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s: cannot make a temporary file in %s", name, dir);
	for (;;) {
		ssize_t n = read(src, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
		if (n == 0)
			break;
		if ((total += (uint64_t)n) > limit)
			return fail_over_bytes(err, name, limit);
		enum dossier_status st = write_all(*fd, buf, (size_t)n, "temporary copy of the bundle", err);
		if (st != DOSSIER_OK)
			return st;
	}
	if (lseek(*fd, 0, SEEK_SET) != 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s: temporary file", name);
	return DOSSIER_OK;
}

int archive_in_setup(struct archive *a)
{
	/* Only what a bundle may be: tar (the strict check in container_tar.c has made sure it
	   is the ustar and pax form pack writes) or zip, gzip/zstd or nothing. Nothing follows
	   the end-of-archive marker but zeros (checked there too), so no concatenated reading. */
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    /* Zip is read by its central directory, as unzip and every other zip tool
	       extract it; container_zip.c has checked the local headers agree. */
	    archive_read_support_format_zip_seekable(a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(a) != ARCHIVE_OK ||
	    archive_read_support_filter_none(a) != ARCHIVE_OK)
		return -1;
	return 0;
}

/* A second reader pays off for an uncompressed tar that a second core can read too. With
   the file's own digest taken (filetap.c) the main reader still reads every byte, the
   second reader's files through the tap's skip; sharing the per-file hashing still
   pays (1 GiB tar: 1.4 s against 1.7 s without the second reader). */
static enum dossier_status maybe_aside(struct bag_reader *r, const struct read_options *opt,
    int fd, enum archive_kind kind, struct dossier_error *err)
{
	struct stat sb;
	if (opt == NULL || opt->aside == NULL || kind != ARCHIVE_TAR || sysconf(_SC_NPROCESSORS_ONLN) < 2 ||
	    fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return DOSSIER_OK;
	enum dossier_status st = aside_start(opt->aside, fd, (uint64_t)sb.st_size, r->name, err);
	r->aside = *opt->aside;
	r->aside_size = (uint64_t)sb.st_size;
	return st;
}

/* Opens the bundle file ("-": stdin, spooled so that it is read as the same bytes in a file
   would be); opened here, not by libarchive, so that the layout check and a second reader
   read this very file. */
static enum dossier_status open_bundle(const char *path, uint64_t limit, int *in,
    struct dossier_error *err)
{
	struct stat sb;
	if (strcmp(path, "-") == 0)
		return spool(0, "stdin", limit, in, err);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == EACCES || e == EISDIR || e == ENOTDIR)
			return dossier_fail(err, DOSSIER_NOINPUT, "%s: %s", path, strerror(e));
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", path);
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		*in = fd;
		return DOSSIER_OK;
	}
	enum dossier_status st = spool(fd, path, limit, in, err); /* a FIFO, a device */
	close(fd);
	return st;
}

/* libarchive's reading of entry i against the raw headers' (container.h): name, type
   and size alike, or the bundle is refused. Names equal in NFC are one name: dossier
   compares paths in NFC anyway. */
static enum dossier_status same_entry(const struct container_list *l, uint64_t i,
    const char *path, const char *raw, const struct entry *e, struct dossier_error *err)
{
	if (i >= l->n)
		return dossier_fail(err, DOSSIER_INVALID, "%s: libarchive reads an entry '%s' the raw headers do not have",
		    path, raw);
	const struct container_entry *c = &l->v[i];
	int same = strcmp(c->path, raw) == 0;
	if (!same && utf8_valid(c->path, strlen(c->path)) && utf8_valid(raw, strlen(raw))) {
		char *a = path_nfc(c->path), *b = path_nfc(raw);
		same = a != NULL && b != NULL && strcmp(a, b) == 0;
		free(a);
		free(b);
	}
	if (!same || c->is_dir != (e->type == ENTRY_DIR) || (e->type == ENTRY_FILE && c->size != e->size))
		return dossier_fail(err, DOSSIER_INVALID, "%s: entry %llu reads as '%s' (%s) to libarchive, '%s' in the raw headers",
		    path, (unsigned long long)i + 1, raw, e->type_name, c->path);
	return DOSSIER_OK;
}

/* The entry libarchive read, as the callbacks see it. */
static void make_entry(struct archive_entry *ae, const char *raw, const char *rel, int outside,
    struct entry *e)
{
	*e = (struct entry){
		.path = outside ? raw : rel,
		.raw = raw,
		.size = archive_entry_size_is_set(ae) ? (uint64_t)archive_entry_size(ae) : 0,
		.mtime = archive_entry_mtime(ae),
	};
	if (archive_entry_hardlink(ae) != NULL || (archive_entry_filetype(ae) != AE_IFREG &&
	    archive_entry_filetype(ae) != AE_IFDIR)) {
		e->type = ENTRY_OTHER;
		e->type_name = type_name(ae);
	} else {
		e->type = archive_entry_filetype(ae) == AE_IFDIR ? ENTRY_DIR : ENTRY_FILE;
		e->type_name = e->type == ENTRY_DIR ? "directory" : "file";
	}
}

static enum archive_kind kind_read(struct archive *a)
{
	int f = archive_filter_code(a, 0);
	return archive_format(a) == ARCHIVE_FORMAT_ZIP ? ARCHIVE_ZIP
	    : f == ARCHIVE_FILTER_GZIP                 ? ARCHIVE_TAR_GZ
	    : f == ARCHIVE_FILTER_ZSTD                 ? ARCHIVE_TAR_ZST
	                                               : ARCHIVE_TAR;
}

/* Opens a for reading fd through a tap that hashes the file as it is read. */
static int open_tapped(struct archive *a, int fd, struct filetap **tap)
{
	if (filetap_open(tap, a, fd) != 0) {
		archive_set_error(a, ENOMEM, "out of memory");
		return ARCHIVE_FATAL;
	}
	return archive_read_open1(a);
}

struct reading {
	struct filetap *tap; /* the file's own digest, when asked for */
	const char *path;
	const struct dossier_limits *lim;
	const struct read_options *opt;
	struct container_list layout; /* the raw headers' entries */
	struct bag_reader r;
	struct buf rel;
	uint64_t count;
	int in;
};

/* Hands one entry libarchive read to fn, once it agrees with the raw headers. */
static enum dossier_status next_entry(struct reading *g, struct archive_entry *ae, entry_fn fn,
    void *ctx, char **top, struct dossier_error *err)
{
	enum dossier_status st;
	if (++g->count > g->lim->max_entries)
		return fail_over_entries(err, g->path, g->lim->max_entries);
	if (g->count == 1) {
		if (kind_read(g->r.a) != g->layout.kind)
			return dossier_fail(err, DOSSIER_INVALID, "%s: libarchive and the raw headers read different containers",
			    g->path);
		if ((st = maybe_aside(&g->r, g->opt, g->in, g->layout.kind, err)) != DOSSIER_OK)
			return st;
	}
	g->r.ordinal = g->count;
	g->r.owned = g->r.aside != NULL && aside_takes(aside_split(g->r.aside), g->r.a, ae, g->r.aside_size);
	const char *raw = archive_entry_pathname_utf8(ae);
	if (raw == NULL)
		raw = archive_entry_pathname(ae);
	if (raw == NULL)
		raw = "";
	int outside;
	struct entry e;
	if ((st = split_top(raw, top, &g->rel, &outside, err)) != DOSSIER_OK)
		return st;
	make_entry(ae, raw, g->rel.data, outside, &e);
	if ((st = same_entry(&g->layout, g->count - 1, g->path, raw, &e, err)) != DOSSIER_OK)
		return st;
	if (outside)
		e.type_name = "outside"; /* the callback reports it */
	return fn(ctx, &g->r, &e, err);
}

static enum dossier_status read_entries(struct reading *g, entry_fn fn, void *ctx, char **top,
    struct dossier_error *err)
{
	for (;;) {
		struct archive_entry *ae;
		int rc = archive_read_next_header(g->r.a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK) {
			const char *msg = archive_error_string(g->r.a);
			return dossier_fail(err, DOSSIER_INVALID, "%s: archive is truncated or damaged (%s)",
			    g->path, msg ? msg : "bad header");
		}
		enum dossier_status st = next_entry(g, ae, fn, ctx, top, err);
		if (st != DOSSIER_OK)
			return st;
	}
	if (g->count != g->layout.n)
		return dossier_fail(err, DOSSIER_INVALID, "%s: the raw headers hold %zu entries, libarchive read %llu",
		    g->path, g->layout.n, (unsigned long long)g->count);
	return DOSSIER_OK;
}

static enum dossier_status read_archive(const char *path, const struct dossier_limits *lim,
    const struct read_options *opt, entry_fn fn, void *ctx, char **top, enum archive_kind *kind,
    struct dossier_error *err)
{
	uint64_t total = 0;
	struct reading g = { .path = path, .lim = lim, .opt = opt, .in = -1 };
	g.r = (struct bag_reader){ .a = archive_read_new(), .fd = -1, .name = path, .total = &total,
		.max_total = lim->max_bytes, .progress = opt ? opt->progress : NULL };
	enum dossier_status st = DOSSIER_OK;
	if (g.r.a == NULL || archive_in_setup(g.r.a) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if ((st = open_bundle(path, lim->max_bytes, &g.in, err)) != DOSSIER_OK)
		goto out;
	if (g.r.progress != NULL) {
		struct stat sb;
		g.r.progress->total = fstat(g.in, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
	}
	/* The raw headers first: a bundle not in pack's own layout is refused before any of its
	   entries is read, and the check's limits bound the work libarchive would do. */
	if ((st = container_scan(g.in, path, lim, &g.layout, err)) != DOSSIER_OK) {
		/* no archive at all (a PDF, a key): the operator's mistake, not damage */
		st = not_a_bundle(path, g.in, st, err);
		goto out;
	}
	if (kind != NULL)
		*kind = g.layout.kind;
	int rc = opt != NULL && opt->file != NULL ? open_tapped(g.r.a, g.in, &g.tap)
	                                         : archive_read_open_fd(g.r.a, g.in, 128 << 10);
	if (rc != ARCHIVE_OK) {
		const char *msg = archive_error_string(g.r.a);
		st = dossier_fail(err, DOSSIER_INVALID, "%s: not a bundle archive (%s)", path, msg ? msg : "unknown format");
		goto out;
	}
	st = read_entries(&g, fn, ctx, top, err);
	if (st == DOSSIER_OK && g.tap != NULL)
		st = filetap_finish(g.tap, path, opt->file, err);
out:
	filetap_free(g.tap);
	container_list_release(&g.layout);
	buf_release(&g.rel);
	archive_read_free(g.r.a);
	/* The second reader reads through in: it is done, or stopped, before in closes. */
	if (g.r.aside != NULL && st == DOSSIER_OK)
		st = aside_finish(g.r.aside, err);
	if (g.r.aside != NULL && st != DOSSIER_OK) {
		aside_free(g.r.aside);
		*opt->aside = NULL;
	}
	if (g.in >= 0)
		close(g.in);
	return st;
}

/* Lists a directory's names, sorted, without "." and "..". */
static enum dossier_status list_dir(int dfd, const char *name, char ***out, size_t *count,
    struct dossier_error *err)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	size_t cap = 0;
	*out = NULL;
	*count = 0;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s", name);
	}
	rewinddir(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			char **n = realloc(*out, cap * sizeof *n);
			if (n == NULL)
				break;
			*out = n;
		}
		if (((*out)[*count] = strdup(de->d_name)) == NULL)
			break;
		(*count)++;
	}
	closedir(d);
	if (de != NULL) {
		for (size_t i = 0; i < *count; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	if (*count > 0)
		qsort(*out, *count, sizeof **out, cmp_strptr);
	return DOSSIER_OK;
}

struct walk {
	entry_fn fn;
	void *ctx;
	struct buf path;
	uint64_t entries, total;
	const char *root;
	const struct dossier_limits *lim;
	struct progress *progress;
	struct statahead *stats; /* or NULL */
};

static enum dossier_status walk_dir(struct walk *w, int dfd, size_t depth,
    struct dossier_error *err)
{
	char **names;
	size_t n;
	enum dossier_status st = list_dir(dfd, w->path.len ? w->path.data : w->root, &names, &n, err);
	if (st != DOSSIER_OK)
		return st;
	/* every name's lstat first, on two threads for a large directory */
	struct name_stat *stats = n > 0 ? malloc(n * sizeof *stats) : NULL;
	if (n > 0 && stats == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	else if (n > 0)
		statahead_names(w->stats, dfd, names, n, stats);
	size_t base = w->path.len;
	for (size_t i = 0; i < n && st == DOSSIER_OK; i++) {
		w->path.len = base;
		if ((base && buf_append(&w->path, "/", 1) != 0) ||
		    buf_append(&w->path, names[i], strlen(names[i])) != 0) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			break;
		}
		if (++w->entries > w->lim->max_entries) {
			st = fail_over_entries(err, w->root, w->lim->max_entries);
			break;
		}
		const struct name_stat *sb = &stats[i];
		if (sb->errnum != 0) {
			errno = sb->errnum;
			st = dossier_fail_errno(err, DOSSIER_IOERR, "%s/%s", w->root, w->path.data);
			break;
		}
		struct bag_reader r = { .a = NULL, .fd = -1, .name = w->path.data, .total = &w->total,
			.max_total = w->lim->max_bytes, .progress = w->progress };
		struct entry e = { .path = w->path.data, .raw = w->path.data, .mtime = sb->mtime };
		if (S_ISDIR(sb->mode)) {
			e.type = ENTRY_DIR;
			e.type_name = "directory";
			if ((st = w->fn(w->ctx, &r, &e, err)) != DOSSIER_OK)
				break;
			if (depth >= LIMIT_DEPTH) {
				st = dossier_fail(err, DOSSIER_INVALID, "%s: directories nested too deep", w->path.data);
				break;
			}
			int sub = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				st = dossier_fail_errno(err, DOSSIER_IOERR, "%s", w->path.data);
				break;
			}
			st = walk_dir(w, sub, depth + 1, err);
			close(sub);
		} else if (S_ISREG(sb->mode)) {
			e.type = ENTRY_FILE;
			e.type_name = "file";
			e.size = sb->size;
			r.dfd = dfd;
			r.fname = names[i];
			st = w->fn(w->ctx, &r, &e, err);
			if (r.fd >= 0)
				close(r.fd);
		} else {
			e.type = ENTRY_OTHER;
			e.type_name = S_ISLNK(sb->mode) ? "symlink" : "special file";
			st = w->fn(w->ctx, &r, &e, err);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(stats);
	w->path.len = base;
	if (w->path.data)
		w->path.data[base] = '\0';
	return st;
}

static enum dossier_status read_directory(const char *path, const struct dossier_limits *lim,
    struct progress *progress, entry_fn fn, void *ctx, char **top, struct dossier_error *err)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", path);
	/* The bag's name is the directory's own name, also when given as "." */
	char *copy = realpath(path, NULL);
	if (copy == NULL) {
		close(dfd);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	const char *slash = strrchr(copy, '/');
	*top = strdup(slash ? slash + 1 : copy);
	free(copy);
	struct walk w = { .fn = fn, .ctx = ctx, .root = path, .lim = lim, .progress = progress,
		.stats = statahead_new() };
	enum dossier_status st = *top ? walk_dir(&w, dfd, 0, err)
	                              : dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	statahead_free(w.stats);
	buf_release(&w.path);
	close(dfd);
	return st;
}

enum dossier_status bag_read(const char *path, const struct read_options *opt, entry_fn fn,
    void *ctx, char **top, enum archive_kind *kind, struct dossier_error *err)
{
	struct stat sb;
	const struct dossier_limits *limits = opt ? opt->limits : NULL;
	struct dossier_limits lim = { DOSSIER_DEFAULT_MAX_BYTES, DOSSIER_DEFAULT_MAX_ENTRIES };
	if (limits != NULL && limits->max_bytes > 0)
		lim.max_bytes = limits->max_bytes;
	if (limits != NULL && limits->max_entries > 0)
		lim.max_entries = limits->max_entries;
	*top = NULL;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &sb) != 0)
			return dossier_fail_errno(err, DOSSIER_NOINPUT, "%s", path);
		if (S_ISDIR(sb.st_mode))
			return read_directory(path, &lim, opt ? opt->progress : NULL, fn, ctx, top, err);
	}
	return read_archive(path, &lim, opt, fn, ctx, top, kind, err);
}
