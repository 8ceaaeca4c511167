/*
 * Running pdftotext on a PDF held in memory: fork, limits, execve, then
 * the PDF in through one pipe and the text out through another, under a
 * wall-clock deadline.
 */
#include "io/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "util/banned.h"

extern char **environ;

/* Bytes of pdftotext's standard error kept for a message. */
#define ERR_MAX 4096
/* Bytes of a program path found on PATH. */
#define PROG_MAX 4096

bool pdf_is_pdf(const char *data, size_t len)
{
    size_t span = len < PDF_SIGNATURE_SPAN ? len : PDF_SIGNATURE_SPAN;
    for (size_t i = 0; i + 5 <= span; i++) {
        const char *p = memchr(data + i, '%', span - i);
        if (!p || (size_t)(p - data) + 5 > span)
            return false;
        if (!memcmp(p, "%PDF-", 5))
            return true;
        i = (size_t)(p - data);
    }
    return false;
}

const char *pdf_program(const char *program)
{
    if (program && *program)
        return program;
    const char *env = getenv("CYBERWELL_PDFTOTEXT");
    if (env && *env)
        return env;
    return "pdftotext";
}

unsigned pdf_timeout(void)
{
    const char *env = getenv("CYBERWELL_PDF_TIMEOUT");
    if (!env || !*env)
        return PDF_TIMEOUT_DEFAULT;
    char *end;
    long v = strtol(env, &end, 10);
    if (*end || v < 1 || v > PDF_TIMEOUT_MAX)
        return PDF_TIMEOUT_DEFAULT;
    return (unsigned)v;
}

static bool is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

/* The file prog names: itself when it holds a '/', else the first
 * executable PROG in $PATH. Resolved before fork, so that the child only
 * calls execve. */
static bool find_program(const char *prog, char out[PROG_MAX])
{
    if (strchr(prog, '/')) {
        if (strlen(prog) >= PROG_MAX || !is_executable(prog))
            return false;
        snprintf(out, PROG_MAX, "%s", prog);
        return true;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        /* An empty entry is the current folder. */
        int w = snprintf(out, PROG_MAX, "%.*s/%s", n ? (int)n : 1,
                         n ? path : ".", prog);
        if (w > 0 && w < PROG_MAX && is_executable(out))
            return true;
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* A pipe whose ends close on exec (the child dup2s the one it needs). */
static int make_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {
            close(fds[0]);
            close(fds[1]);
            return -1;
        }
    return 0;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: limits, pipes on 0 1 2, then pdftotext. Only
 * async-signal-safe calls. */
static _Noreturn void run_child(const char *file, char *const argv[], int in_fd,
                                int out_fd, int err_fd)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    struct rlimit cpu = {PDF_CPU_SECONDS, PDF_CPU_SECONDS + 1};
    struct rlimit mem = {PDF_MEMORY_BYTES, PDF_MEMORY_BYTES};
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CPU, &cpu);
    setrlimit(RLIMIT_AS, &mem);
    setrlimit(RLIMIT_CORE, &none);
    setrlimit(RLIMIT_FSIZE, &none);
    if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0)
        _exit(126);
    execve(file, argv, environ);
    _exit(127);
}

/* The last line of pdftotext's messages, cleaned for a message. */
static void last_message(const struct strbuf *errs, char *out, size_t cap)
{
    size_t end = errs->len;
    while (end && (errs->buf[end - 1] == '\n' || errs->buf[end - 1] == ' '))
        end--;
    size_t start = end;
    while (start && errs->buf[start - 1] != '\n')
        start--;
    size_t n = 0;
    for (size_t i = start; i < end && n + 1 < cap; i++) {
        char c = errs->buf[i];
        if ((unsigned char)c < 0x20 || c == 0x7f)
            c = ' ';
        out[n++] = c;
    }
    out[n] = '\0';
}

static int tool_error(const char *path, const char *prog, const char *why,
                      struct cw_error *err)
{
    return cw_errorf(err, CW_ERR_TOOL, ((struct cw_loc){path, 0, 0}),
                     "cannot run pdftotext '%s': %s; " PDF_INSTALL_HINT, prog,
                     why);
}

/* Kill the child's process group and reap the child. */
static void kill_child(pid_t pid, int *status)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* Feed the PDF, collect text and messages until both pipes close, the
 * text outgrows its cap, or the deadline passes. Returns 0, or 1 for the
 * deadline, 2 for the cap, -1 for a poll failure. */
static int pump(const char *data, size_t len, int *in_fd, int *out_fd,
                int *err_fd, struct strbuf *text, struct strbuf *errs,
                long long deadline)
{
    size_t sent = 0;
    char chunk[65536];
    while (*out_fd >= 0 || *err_fd >= 0) {
        struct pollfd pf[3];
        int n = 0, i_in = -1, i_out = -1, i_err = -1;
        if (*in_fd >= 0) {
            pf[n] = (struct pollfd){*in_fd, POLLOUT, 0};
            i_in = n++;
        }
        if (*out_fd >= 0) {
            pf[n] = (struct pollfd){*out_fd, POLLIN, 0};
            i_out = n++;
        }
        if (*err_fd >= 0) {
            pf[n] = (struct pollfd){*err_fd, POLLIN, 0};
            i_err = n++;
        }
        long long left = deadline - now_ms();
        if (left <= 0)
            return 1;
        int r = poll(pf, (nfds_t)n, left > 1000 ? 1000 : (int)left);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r <= 0)
            continue;
        if (i_in >= 0 && pf[i_in].revents) {
            ssize_t w = write(*in_fd, data + sent, len - sent);
            if (w > 0)
                sent += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == len)
                close_fd(in_fd); /* done, or pdftotext stopped reading */
        }
        int fds_i[2] = {i_out, i_err};
        int *fds[2] = {out_fd, err_fd};
        struct strbuf *sinks[2] = {text, errs};
        for (int k = 0; k < 2; k++) {
            if (fds_i[k] < 0 || !pf[fds_i[k]].revents)
                continue;
            ssize_t got = read(*fds[k], chunk, sizeof chunk);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                close_fd(fds[k]);
                continue;
            }
            if (got < 0)
                continue;
            if (k == 0 && sinks[0]->len + (size_t)got > PDF_MAX_TEXT)
                return 2;
            if (k == 1 && sinks[1]->len + (size_t)got > ERR_MAX)
                continue; /* enough said */
            strbuf_add(sinks[k], chunk, (size_t)got);
        }
    }
    return 0;
}

int pdf_extract(const char *path, const char *data, size_t len,
                const char *program, struct strbuf *text, struct cw_error *err)
{
    const char *prog = pdf_program(program);
    char file[PROG_MAX];
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
    struct strbuf errs = STRBUF_INIT;
    struct sigaction ignore, old_pipe;
    bool has_old_pipe = false;
    pid_t pid = -1;
    int status = 0, rc = CW_OK;
    unsigned timeout = pdf_timeout();
    char msg[300];

    strbuf_reset(text);
    if (!find_program(prog, file))
        return tool_error(path, prog,
                          strchr(prog, '/') ? "no such executable file"
                                            : "not found on PATH",
                          err);
    /* pdftotext -raw -enc UTF-8 -eol unix - - (the PDF on standard input,
     * the text on standard output). */
    char a_raw[] = "-raw", a_enc[] = "-enc", a_utf8[] = "UTF-8",
         a_eol[] = "-eol", a_unix[] = "unix", a_in[] = "-", a_out[] = "-";
    char *argv[] = {file,   a_raw, a_enc, a_utf8, a_eol,
                    a_unix, a_in,  a_out, NULL};
    if (make_pipe(in) || make_pipe(out) || make_pipe(errp)) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                       "cannot make a pipe to pdftotext: %s", strerror(errno));
        goto out;
    }
    /* A pdftotext that stops reading must not kill us with SIGPIPE. */
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    has_old_pipe = sigaction(SIGPIPE, &ignore, &old_pipe) == 0;
    pid = fork();
    if (pid < 0) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                       "cannot start pdftotext: %s", strerror(errno));
        goto out;
    }
    if (pid == 0)
        run_child(file, argv, in[0], out[1], errp[1]);
    setpgid(pid, pid); /* as the child does: no race with kill_child */
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&errp[1]);
    if (set_nonblock(in[1]) || set_nonblock(out[0]) || set_nonblock(errp[0])) {
        rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                       "cannot talk to pdftotext: %s", strerror(errno));
        kill_child(pid, &status);
        goto out;
    }

    long long deadline = now_ms() + (long long)timeout * 1000;
    int pumped =
        pump(data, len, &in[1], &out[0], &errp[0], text, &errs, deadline);
    if (pumped) {
        kill_child(pid, &status);
        if (pumped == 1)
            rc = cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                           "pdftotext took longer than %u s on this PDF "
                           "and was stopped (CYBERWELL_PDF_TIMEOUT sets the "
                           "limit)",
                           timeout);
        else if (pumped == 2)
            rc = cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                           "the text of this PDF is over %zu bytes",
                           PDF_MAX_TEXT);
        else
            rc = cw_errorf(err, CW_ERR_IO, CW_LOC_NONE,
                           "cannot read from pdftotext: %s", strerror(errno));
        goto out;
    }
    /* Both pipes closed: the child is exiting; give it until the deadline. */
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            rc = cw_errorf(err, CW_ERR_TOOL, CW_LOC_NONE,
                           "cannot wait for pdftotext '%s': %s", prog,
                           strerror(errno));
            goto out;
        }
        if (now_ms() >= deadline) {
            kill_child(pid, &status);
            rc = cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                           "pdftotext took longer than %u s on this PDF "
                           "and was stopped (CYBERWELL_PDF_TIMEOUT sets the "
                           "limit)",
                           timeout);
            goto out;
        }
        struct timespec nap = {0, 5L * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    last_message(&errs, msg, sizeof msg);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU || sig == SIGKILL)
            rc = cw_errorf(err, CW_ERR_LIMIT, ((struct cw_loc){path, 0, 0}),
                           "pdftotext used more than %d s of CPU time on "
                           "this PDF and was stopped",
                           PDF_CPU_SECONDS);
        else
            rc = cw_errorf(err, CW_ERR_TOOL, ((struct cw_loc){path, 0, 0}),
                           "pdftotext '%s' crashed (signal %d) on this PDF%s%s",
                           prog, sig, msg[0] ? ": " : "", msg);
        goto out;
    }
    int code = WEXITSTATUS(status);
    if (code == 126 || code == 127) {
        rc = tool_error(path, prog, "it could not be started", err);
        goto out;
    }
    if (code == 3) {
        rc = cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                       "this PDF forbids copying its text (pdftotext: %s)",
                       msg[0] ? msg : "permission error");
        goto out;
    }
    if (code != 0) {
        bool is_password = strstr(errs.buf, "password") != NULL;
        rc = cw_errorf(err, CW_ERR_PARSE, ((struct cw_loc){path, 0, 0}),
                       "pdftotext cannot read this PDF%s (exit status %d%s%s)",
                       is_password ? ": it is encrypted with a password"
                                   : ": it is damaged or not a PDF",
                       code, msg[0] ? ": " : "", msg);
        goto out;
    }
out:
    close_fd(&in[0]);
    close_fd(&in[1]);
    close_fd(&out[0]);
    close_fd(&out[1]);
    close_fd(&errp[0]);
    close_fd(&errp[1]);
    if (has_old_pipe)
        sigaction(SIGPIPE, &old_pipe, NULL);
    strbuf_release(&errs);
    if (rc)
        strbuf_reset(text);
    return rc;
}
