/* fault.c - an LD_PRELOAD shim that makes file I/O fail on demand, to test that every
   write of dossier is atomic: the final path never holds half a file, the old bundle
   survives. Only regular files are affected; the terminal and pipes keep working.
     FAULT_WRITE_LIMIT=N   writes to regular files fail with ENOSPC after N bytes in all
     FAULT_SHORT_WRITES=1  every write to a regular file writes at most 7 bytes
     FAULT_FSYNC=1         fsync fails with EIO
     FAULT_RENAME=1        rename, renameat2 and link fail with EIO
     FAULT_NO_RENAMEAT2=1  renameat2 fails with ENOSYS (an old kernel or libc)
     FAULT_PLANT=NAME      just before a file or directory is renamed, linked or made
                           (mkdir) at a path ending in NAME, a file "planted" is created there, as if
                           another process made it while dossier worked
     FAULT_READ_EIO=NAME   reads of a regular file whose path ends in NAME fail with EIO
     FAULT_READ_GROW=NAME  reads of that file return one byte more than it has (it grows)
     FAULT_READ_SHRINK=NAME  reads of that file find it empty (it shrank)
     FAULT_OPEN=NAME       opening that file fails with ENOENT (it was removed)
     FAULT_PAUSE_RENAME=FILE  rename creates FILE and then waits for a signal: a test
                           stops an extract at its last step, the bag verified and staged */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long long written; /* bytes written to regular files so far */

static int is_regular(int fd)
{
	struct stat sb;
	return fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

static long long env_ll(const char *name, long long fallback)
{
	const char *v = getenv(name);
	return v && *v ? atoll(v) : fallback;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (real == NULL)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (is_regular(fd)) {
		long long limit = env_ll("FAULT_WRITE_LIMIT", -1);
		if (limit >= 0 && written + (long long)len > limit) {
			errno = ENOSPC;
			return -1;
		}
		if (env_ll("FAULT_SHORT_WRITES", 0) && len > 7)
			len = 7;
		ssize_t n = real(fd, buf, len);
		if (n > 0)
			written += n;
		return n;
	}
	return real(fd, buf, len);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (env_ll("FAULT_FSYNC", 0) && is_regular(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

static int names(const char *var, const char *path);

/* FAULT_RENAME, or FAULT_PLANT's file made at to: what every way of committing shares. */
static int before_commit(const char *to)
{
	/* FAULT_PAUSE_RENAME: stop for good at the commit (a signal ends the process there),
	   after creating the file the variable names, so a test knows the point is reached */
	const char *mark = getenv("FAULT_PAUSE_RENAME");
	if (mark != NULL && *mark) {
		int fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		for (;;)
			pause();
	}
	if (env_ll("FAULT_RENAME", 0)) {
		errno = EIO;
		return -1;
	}
	if (names("FAULT_PLANT", to)) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			(void)!syscall(SYS_write, fd, "planted\n", 8);
			close(fd);
		}
	}
	return 0;
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	return before_commit(to) != 0 ? -1 : real(from, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned);
	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");
	if (env_ll("FAULT_NO_RENAMEAT2", 0)) {
		errno = ENOSYS;
		return -1;
	}
	return before_commit(to) != 0 ? -1 : real(fromfd, from, tofd, to, flags);
}

int mkdir(const char *path, mode_t mode)
{
	static int (*real)(const char *, mode_t);
	if (real == NULL)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	if (names("FAULT_PLANT", path))
		before_commit(path);
	return real(path, mode);
}

int link(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");
	return before_commit(to) != 0 ? -1 : real(from, to);
}

/* Whether path ends in the file name the variable names. */
static int names(const char *var, const char *path)
{
	const char *want = getenv(var);
	size_t n = want ? strlen(want) : 0, len = strlen(path);
	return n > 0 && len >= n && strcmp(path + len - n, want) == 0;
}

static int fd_names(const char *var, int fd)
{
	char link[64], path[4096];
	if (getenv(var) == NULL || !is_regular(fd))
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return names(var, path);
}

ssize_t read(int fd, void *buf, size_t len)
{
	static ssize_t (*real)(int, void *, size_t);
	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (fd_names("FAULT_READ_EIO", fd)) {
		errno = EIO;
		return -1;
	}
	if (fd_names("FAULT_READ_SHRINK", fd))
		return 0;
	ssize_t n = real(fd, buf, len);
	if (fd_names("FAULT_READ_GROW", fd) && n >= 0 && (size_t)n < len)
		((char *)buf)[n++] = 'x'; /* one more byte at every end: the file keeps growing */
	return n;
}

int open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (names("FAULT_OPEN", path)) {
		errno = ENOENT;
		return -1;
	}
	return real(path, flags, mode);
}
