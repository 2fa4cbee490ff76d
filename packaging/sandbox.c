/* packaging/test-unit.sh runs tinyswap under the rules tinyswap.service imposes that could break a program at
 * run time rather than at start: its system call filter (SystemCallFilter= with SystemCallErrorNumber=EPERM:
 * every call not in the list fails with EPERM) and, to show that MemoryDenyWriteExecute= would be tolerated,
 * the kernel's PR_SET_MDWE (Linux 6.3+), the same rule: no writable+executable mapping, no exec added later.
 * Both are inherited across exec, so the models tinyswap starts run under them too.
 *   sandbox ALLOWED-SYSCALLS-FILE PROGRAM [ARGS...]      (prints "mdwe=on" or "mdwe=off" on stderr first) */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: sandbox ALLOWED-SYSCALLS-FILE PROGRAM [ARGS...]\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    FILE *list = fopen(argv[1], "r");
    char name[128];
    if (ctx == NULL || list == NULL) {
        perror("sandbox");
        return 2;
    }
    while (fscanf(list, "%127s", name) == 1) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr != __NR_SCMP_ERROR)
            seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    }
    fclose(list);
    fprintf(stderr, "mdwe=%s\n", prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0L, 0L, 0L) == 0 ? "on" : "off");
    if (seccomp_load(ctx) != 0) { /* also sets no_new_privs, as NoNewPrivileges=yes does */
        fprintf(stderr, "sandbox: seccomp_load failed\n");
        return 3;
    }
    execv(argv[2], argv + 2);
    perror("sandbox: execv");
    return 126;
}
