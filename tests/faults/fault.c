/* fault.c - an LD_PRELOAD shim that makes file I/O fail on demand, to test that every
   write of dossier is atomic: the final path never holds half a file, the old bundle
   survives. Only regular files are affected; the terminal and pipes keep working.
     FAULT_WRITE_LIMIT=N   writes to regular files fail with ENOSPC after N bytes in all
     FAULT_SHORT_WRITES=1  every write to a regular file writes at most 7 bytes
     FAULT_FSYNC=1         fsync fails with EIO
     FAULT_RENAME=1        rename fails with EIO */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
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

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (env_ll("FAULT_RENAME", 0)) {
		errno = EIO;
		return -1;
	}
	return real(from, to);
}
