/* error.c - filling struct dossier_error so that one line tells what failed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static enum dossier_status vfail(struct dossier_error *err, enum dossier_status code,
    int errnum, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->sys_errno = errnum;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	if (errnum != 0) {
		size_t n = strlen(err->message);
		snprintf(err->message + n, sizeof err->message - n, ": %s", strerror(errnum));
	}
	return code;
}

enum dossier_status dossier_fail(struct dossier_error *err, enum dossier_status code,
    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

enum dossier_status dossier_fail_errno(struct dossier_error *err, enum dossier_status code,
    const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;
	va_start(ap, fmt);
	vfail(err, code, errnum, fmt, ap);
	va_end(ap);
	return code;
}

const char *dossier_status_name(enum dossier_status status)
{
	switch (status) {
	case DOSSIER_OK: return "ok";
	case DOSSIER_INVALID: return "invalid";
	case DOSSIER_UNTRUSTED: return "untrusted";
	case DOSSIER_USAGE: return "usage";
	case DOSSIER_DATAERR: return "bad data";
	case DOSSIER_NOINPUT: return "cannot open input";
	case DOSSIER_SOFTWARE: return "internal error";
	case DOSSIER_CANTCREAT: return "cannot create output";
	case DOSSIER_IOERR: return "i/o error";
	}
	return "unknown";
}

/* Reached only through DOSSIER_BUG: a broken invariant, never bad input. */
void dossier_bug(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	(void)msg;
	__builtin_trap();
}
