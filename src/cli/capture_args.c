/* capture_args.c - the options dossier capture and dossier pack --capture share. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int capture_option(struct capture_args *ca, int c, const char *arg, int argc)
{
	long long v;
	switch (c) {
	case OPT_TIMEOUT:
		v = parse_size(arg);
		if (v <= 0 || v > 3600)
			return fail(64, "--timeout: '%s' is not a number of seconds (1 to 3600)", arg);
		ca->opt.timeout = (long)v;
		return 0;
	case OPT_MAX_SIZE:
		if ((v = parse_size(arg)) <= 0)
			return fail(64, "--max-size: '%s' is not a positive size (e.g. 100M)", arg);
		ca->opt.max_size = (uint64_t)v;
		return 0;
	case OPT_RESOLVE:
		/* HOST:PORT:ADDR, as curl --resolve takes it; curl checks the rest */
		if (strchr(arg, ':') == NULL || strchr(strchr(arg, ':') + 1, ':') == NULL)
			return fail(64, "--resolve: '%s' is not HOST:PORT:ADDRESS", arg);
		if (ca->resolve == NULL && (ca->resolve = calloc((size_t)argc, sizeof *ca->resolve)) == NULL)
			return fail(70, "out of memory");
		ca->resolve[ca->opt.nresolve++] = arg;
		ca->opt.resolve = ca->resolve;
		return 0;
	case OPT_CACERT:
		ca->opt.cacert = arg;
		return 0;
	default:
		return usage("capture");
	}
}

void capture_args_release(struct capture_args *ca)
{
	free(ca->resolve);
	ca->resolve = NULL;
}
