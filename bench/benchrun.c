/*
 * benchrun: run a command, then print its wall time, its peak resident set
 * (getrusage(RUSAGE_CHILDREN) ru_maxrss: its only child) and its exit
 * status:
 *   "benchrun: SECONDS s, CPU s cpu, MAXRSS KB, exit CODE"
 * (wall time; user + system CPU time of the child)
 * usage: benchrun [--out FILE] COMMAND [ARGS...]   (stdout to FILE)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *out = NULL;
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "--out")) {
        out = argv[a + 1];
        a += 2;
    }
    if (a >= argc) {
        fputs("usage: benchrun [--out FILE] COMMAND [ARGS...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        if (out) {
            int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(126);
            close(fd);
        }
        execvp(argv[a], argv + a);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (waitpid(pid, &st, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        perror("waitpid");
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    double cpus = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    fprintf(stderr, "benchrun: %.3f s, %.3f s cpu, %ld KB, exit %d\n", secs,
            cpus, ru.ru_maxrss, code);
    return code;
}
