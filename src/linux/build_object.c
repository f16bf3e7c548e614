/* SPDX-License-Identifier: MIT */
/*
 * Building a kernel object from a kernel tree when a command runs
 * (`--ksrc DIR`): the tree's tdx.c and the environment's kernel-side
 * files, compiled with this build's compiler and sanitizer flags and
 * linked with its runtime archive, exactly as the build makes its own
 * object (src/linux/CMakeLists.txt). The tree is only read.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tdxsim/linux.h"

#if defined(TDXSIM_KLX_CC) && defined(TDXSIM_KLX_DIR) && defined(TDXSIM_KLX_RT)

static bool is_file(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* VERSION.PATCHLEVEL.SUBLEVEL from the tree's top Makefile. */
static void tree_release(const char *ksrc, char *out, size_t len)
{
	char path[PATH_MAX], line[256];
	unsigned v[3] = { 0 }, got = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/Makefile", ksrc);
	snprintf(out, len, "unknown");
	if (!(f = fopen(path, "r")))
		return;
	while (got < 3 && fgets(line, sizeof(line), f))
		got += sscanf(line, "VERSION = %u", &v[0]) + sscanf(line, "PATCHLEVEL = %u", &v[1]) +
		       sscanf(line, "SUBLEVEL = %u", &v[2]);
	fclose(f);
	if (got == 3)
		snprintf(out, len, "%u.%u.%u", v[0], v[1], v[2]);
}

/* Links to the tree's asm/tdx*.h (and asm/shared/tdx*.h) under overlay. */
static int link_headers(const char *ksrc, const char *overlay, const char *sub)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	snprintf(from, sizeof(from), "%s/arch/x86/include/%s", ksrc, sub);
	snprintf(to, sizeof(to), "%s/%s", overlay, sub);
	if (mkdir(to, 0755) && errno != EEXIST)
		return -errno;
	if (!(dp = opendir(from)))
		return -errno;
	while ((d = readdir(dp))) {
		char src[PATH_MAX + 256], dst[PATH_MAX + 256];
		size_t n = strlen(d->d_name);

		if (strncmp(d->d_name, "tdx", 3) || n < 2 || strcmp(d->d_name + n - 2, ".h"))
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, d->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", to, d->d_name);
		if (symlink(src, dst) && errno != EEXIST) {
			closedir(dp);
			return -errno;
		}
	}
	closedir(dp);
	return 0;
}

static void remove_overlay(const char *overlay)
{
	const char *subs[] = { "asm/shared", "asm" };
	char path[PATH_MAX];

	for (unsigned i = 0; i < 2; i++) {
		struct dirent *d;
		DIR *dp;

		snprintf(path, sizeof(path), "%s/%s", overlay, subs[i]);
		if (!(dp = opendir(path)))
			continue;
		while ((d = readdir(dp))) {
			char f[PATH_MAX + 256];

			if (!strncmp(d->d_name, "tdx", 3)) {
				snprintf(f, sizeof(f), "%s/%s", path, d->d_name);
				unlink(f);
			}
		}
		closedir(dp);
		rmdir(path);
	}
	rmdir(overlay);
}

/* Runs argv, its standard error (and output) into err; 0 on exit 0. */
static int run(char *const argv[], char *err, size_t errlen)
{
	int fd[2], status = 0;
	size_t used = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	err[0] = '\0';
	while ((n = read(fd[0], err + used, errlen - 1 - used)) > 0) {
		used += (size_t)n;
		if (used == errlen - 1)   /* keep the first part: the first error */
			break;
	}
	err[used] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

int tdxsim_linux_build(const char *tree, const char *out, char *err, size_t errlen)
{
	char ksrc[PATH_MAX], overlay[PATH_MAX], rel[64], reldef[96], ovl_inc[PATH_MAX + 2], env_inc[PATH_MAX];
	char kconfig[PATH_MAX], tdx_c[PATH_MAX + 64], k_host[PATH_MAX], k_sc[PATH_MAX];
	char flags[] = TDXSIM_KLX_CFLAGS;
	char *argv[48];
	unsigned a = 0;
	int ret;

	/* Absolute, so that the overlay's links resolve from anywhere. */
	if (!realpath(tree, ksrc)) {
		snprintf(err, errlen, "%s: %s", tree, strerror(errno));
		return -ENOENT;
	}
	if (!is_file(ksrc, "arch/x86/virt/vmx/tdx/tdx.c") ||
	    !is_file(ksrc, "arch/x86/include/asm/tdx.h")) {
		snprintf(err, errlen, "%s is not a kernel tree with arch/x86/virt/vmx/tdx/tdx.c "
			 "and arch/x86/include/asm/tdx.h", tree);
		return -ENOENT;
	}
	snprintf(overlay, sizeof(overlay), "%s.overlay", out);
	remove_overlay(overlay);
	if (mkdir(overlay, 0755) || link_headers(ksrc, overlay, "asm") ||
	    (is_file(ksrc, "arch/x86/include/asm/shared/tdx.h") &&
	     link_headers(ksrc, overlay, "asm/shared"))) {
		snprintf(err, errlen, "cannot make %s: %s", overlay, strerror(errno));
		remove_overlay(overlay);
		return -EIO;
	}
	tree_release(ksrc, rel, sizeof(rel));
	snprintf(reldef, sizeof(reldef), "-DKLX_KERNEL_RELEASE=\"%s\"", rel);
	snprintf(ovl_inc, sizeof(ovl_inc), "-I%s", overlay);
	snprintf(env_inc, sizeof(env_inc), "-I%s/include", TDXSIM_KLX_DIR);
	snprintf(kconfig, sizeof(kconfig), "%s/include/klx/kconfig.h", TDXSIM_KLX_DIR);
	snprintf(tdx_c, sizeof(tdx_c), "%s/arch/x86/virt/vmx/tdx/tdx.c", ksrc);
	snprintf(k_host, sizeof(k_host), "%s/k_host.c", TDXSIM_KLX_DIR);
	snprintf(k_sc, sizeof(k_sc), "%s/k_seamcall.c", TDXSIM_KLX_DIR);
	argv[a++] = TDXSIM_KLX_CC;
	for (char *tok = strtok(flags, " "); tok && a < 8; tok = strtok(NULL, " "))
		argv[a++] = tok;
	{
		static char *const fixed[] = { "-shared", "-fPIC", "-fvisibility=hidden", "-O2",
			"-std=gnu17", "-Wall", "-Werror", "-Wno-sign-compare", "-Wno-unused-parameter",
			"-fno-strict-aliasing", "-fno-common", "-include" };

		for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			argv[a++] = fixed[i];
	}
	argv[a++] = kconfig;
	argv[a++] = env_inc;
	argv[a++] = ovl_inc;
	argv[a++] = reldef;
	argv[a++] = tdx_c;
	argv[a++] = k_host;
	argv[a++] = k_sc;
	argv[a++] = TDXSIM_KLX_RT;
	argv[a++] = "-lpthread";
	argv[a++] = "-Wl,-z,defs";
	argv[a++] = "-o";
	argv[a++] = (char *)out;
	argv[a] = NULL;
	ret = run(argv, err, errlen);
	remove_overlay(overlay);
	if (ret && !err[0])
		snprintf(err, errlen, "%s failed", TDXSIM_KLX_CC);
	return ret;
}

#else

int tdxsim_linux_build(const char *ksrc, const char *out, char *err, size_t errlen)
{
	snprintf(err, errlen, "this build cannot build kernel objects");
	return -ENOSYS;
}

#endif
