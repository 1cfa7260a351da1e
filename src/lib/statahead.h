/* statahead.h - the names of a large directory stat'ed by two threads (statahead.c). */
#ifndef DOSSIER_STATAHEAD_H
#define DOSSIER_STATAHEAD_H

#include <stdint.h>
#include <sys/types.h>

/* What a directory walk needs of one name's lstat: its type, size and time, or errno. */
struct name_stat {
	mode_t mode;
	int errnum; /* 0, or why fstatat failed */
	uint64_t size;
	int64_t mtime;
};

struct statahead;
/* A helper for one walk; its thread starts at the first directory large enough. NULL
   when out of memory: statahead_names then stats on the caller's thread alone. */
struct statahead *statahead_new(void);
/* lstat's names[0..n) relative to dfd into out[0..n). */
void statahead_names(struct statahead *s, int dfd, char *const *names, size_t n, struct name_stat *out);
/* Ends the thread; s may be NULL. */
void statahead_free(struct statahead *s);

#endif
