/* testutil.h - what the unit tests share: the minisign vectors, temp dirs, assertions.
   Include after <cmocka.h>. */
#ifndef DOSSIER_TESTUTIL_H
#define DOSSIER_TESTUTIL_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNUSED __attribute__((unused))

/* tests/vectors/minisign/ (see the README there): test-only keys. */
static const char vec_pub[] UNUSED =
	"untrusted comment: minisign public key 273BD680E55BB29D\n"
	"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";
static const char vec_key[] UNUSED =
	"untrusted comment: minisign encrypted secret key\n"
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAnbJb5YDWOyeqz952vR0AMWRyo+gmfY+fRu1mNZY2s+wgnjMUR/0oYbA01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
static const char vec_pub2[] UNUSED =
	"untrusted comment: minisign public key F442216EAC04CB63\n"
	"RWRjywSsbiFC9Nj7ATvbYv1KWZ+eSTdRj4rRUHnSLSZAxx+ZTeSZKxKe\n";
/* msg.txt */
static const char vec_msg[] UNUSED = "dossier known-answer message\n";
/* msg.txt.minisig: prehashed ("ED") */
static const char vec_sig[] UNUSED =
	"untrusted comment: signature from minisign secret key\n"
	"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK/XYMdgPU4cOejFkTLu1e/PVBgcLr7/Bm+T2KimA21yeKsoOjZpUZOgU=\n"
	"trusted comment: dossier test vector\n"
	"ndRTLH92wrCb1fv8EBx8rUXv0m02KWgHa34rjRRH5/utdp58LuvTaxO9EfRITKo9/UcqiHYSEAnVIDsWm0n5CA==\n";
/* msg-legacy.txt.minisig: legacy ("Ed", minisign -l) over the same bytes */
static const char vec_sig_legacy[] UNUSED =
	"untrusted comment: signature from minisign secret key\n"
	"RWSdslvlgNY7J1UDx9XdABF9Af3gvTC6UqAwclfIRpdoSDJTahz3snGvC7qX7TYBNFOSw1HmupYobUUIaEzcEzbdgo30OhHLeQs=\n"
	"trusted comment: dossier legacy test vector\n"
	"6ljA/So1NxSCkf0lnDuAtUDaAABhc62SlbpZOyahWKztIgAJXYW3l+ghICAOYGK8EnjHnAp61yE7fhgGnUvBDg==\n";
/* msg.txt.k2.minisig: msg.txt signed by the second key */
static const char vec_sig_k2[] UNUSED =
	"untrusted comment: signature from minisign secret key\n"
	"RURjywSsbiFC9I6MH42nkWnO6agv9wMGsAeVzJn3zH602CDVCkEOKIqz+MMjLQ+Tv6JgpDKbkFI8lr2JGdOPkmyVZaT9hZTMHwE=\n"
	"trusted comment: signed by the second key\n"
	"tS74WFu04ncjTAf+ZIB5doipnsBS84eBpKh5GFyTt6IBJhyOxUZ8VN7warhBRppdiYgoNIU6mrqAGLWTib5qDA==\n";
/* msg.txt.utf8.minisig: stock minisign signs and verifies a UTF-8 trusted comment */
static const char vec_sig_utf8[] UNUSED =
	"untrusted comment: signature from minisign secret key\n"
	"RUSdslvlgNY7JwOazhHLF+HIDuQkd3SFepXeTxhca8GK/XYMdgPU4cOejFkTLu1e/PVBgcLr7/Bm+T2KimA21yeKsoOjZpUZOgU=\n"
	"trusted comment: signed by Dietmar K\xc3\xb6ster\n"
	"nylG/7wI3eSTZfr3y3zcdYvftRYRrzUU+7/9s0A0GyJxyu4Y5Nntx+RDQ6C9gqa8b8nn4KpDxY3gaqm8P1dnBQ==\n";
#define VEC_KEYID "273BD680E55BB29D"
#define VEC_KEYID2 "F442216EAC04CB63"

#define assert_contains(hay, needle)                                                      \
	do {                                                                                \
		const char *h_ = (hay), *n_ = (needle);                                         \
		if (strstr(h_, n_) == NULL)                                                     \
			fail_msg("\"%s\" does not contain \"%s\"", h_, n_);                         \
	} while (0)

static int UNUSED rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* cmocka setup/teardown: a fresh temp dir in *state for every test that writes files */
static int UNUSED make_tmpdir(void **state)
{
	char *dir = strdup("/tmp/dossier-test-XXXXXX");
	if (dir == NULL || mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static int UNUSED remove_tmpdir(void **state)
{
	nftw(*state, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(*state);
	return 0;
}

static void UNUSED write_file_mode(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void UNUSED write_file(const char *path, const void *data, size_t len)
{
	write_file_mode(path, data, len, 0600);
}

/* Runs argv[0] with no input and output; its exit status, or -1. */
static int UNUSED run_quiet(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif
