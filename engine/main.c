/* cyberwell: global options and command dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/version.h"
#include "util/diag.h"

#include "util/banned.h"

/*
 * Where rubric/ and data/ are found (see find_datadir): the source tree a
 * build-tree binary was compiled from, the install data folder relative
 * to the installed binary, and that folder as configured.
 */
#ifndef CYBERWELL_DATADIR
#define CYBERWELL_DATADIR "."
#endif
#ifndef CYBERWELL_REL_DATADIR
#define CYBERWELL_REL_DATADIR "../share/cyberwell"
#endif
#ifndef CYBERWELL_INSTALL_DATADIR
#define CYBERWELL_INSTALL_DATADIR "/usr/local/share/cyberwell"
#endif
/* The default rubric: a folder holding it is a data folder. */
#define DATADIR_PROBE "/rubric/gci2014.csv"

static void print_main_help(void)
{
    fputs("usage: cyberwell [--db PATH] <command> [options] [args]\n"
          "       cyberwell --help | --version\n"
          "\n"
          "Score ITU Cyberwellness Profiles on the five GCI pillars, store "
          "them,\ncompare countries and draw benchmark charts.\n"
          "\n"
          "global options:\n"
          "  --db PATH     database file (default: $CYBERWELL_DB, else\n"
          "                $XDG_DATA_HOME/cyberwell/cyberwell.db, else\n"
          "                ~/.local/share/cyberwell/cyberwell.db)\n"
          "  -h, --help    show this help\n"
          "  --version     show versions of cyberwell, SQLite and libcsv,\n"
          "                the data folder and the default database\n"
          "\ncommands:\n",
          stdout);
    for (size_t i = 0; i < n_commands; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'cyberwell help <command>' shows a command's options.\n"
          "exit codes: 0 ok, 1 failure, 2 usage, 3 input error, 4 database,\n"
          "5 gnuplot or pdftotext, 6 score below --fail-under.\n",
          stdout);
}

/*
 * Descriptors 0, 1 and 2 are open before anything else is: a file opened
 * later must never become standard output (what is printed would land in
 * it). A closed one is opened on /dev/null the wrong way round (stdin
 * write-only, stdout and stderr read-only), so that using it still fails.
 */
static void open_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (got != fd && got >= 0)
            close(got); /* cannot happen: open takes the lowest free one */
    }
}

/*
 * The exit code for code, once standard output is closed with its errors
 * checked (coreutils' close_stdout): any write to stdout that failed, now
 * or earlier (the stream's error flag is sticky), is a failure with a
 * message, even after a command that succeeded.
 */
static int finish(int code)
{
    bool had_error = ferror(stdout) != 0;
    bool close_failed = fclose(stdout) != 0;
    int e = errno;
    if (!had_error && !close_failed)
        return code;
    if (close_failed)
        fprintf(stderr,
                "cyberwell: error: cannot write to standard output: "
                "%s\n",
                strerror(e));
    else
        fputs("cyberwell: error: cannot write to standard output\n", stderr);
    return code == CW_EXIT_OK || code == CW_EXIT_BELOW ? CW_EXIT_FAIL : code;
}

/* Whether dir holds the bundled data (its default rubric). */
static bool is_datadir(const char *dir)
{
    char probe[PATH_MAX];
    int n = snprintf(probe, sizeof probe, "%s" DATADIR_PROBE, dir);
    return n > 0 && (size_t)n < sizeof probe && access(probe, R_OK) == 0;
}

/*
 * The folder holding rubric/ and data/: $CYBERWELL_HOME; else the install
 * data folder beside the running binary (BINDIR/../share/cyberwell, so an
 * installed tree can be moved); else the source tree of a build-tree
 * binary; else the configured install data folder.
 */
static const char *find_datadir(void)
{
    static char buf[PATH_MAX + sizeof CYBERWELL_REL_DATADIR + 1];
    const char *home = getenv("CYBERWELL_HOME");
    if (home && *home)
        return home;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* The binary's folder, then one folder up per leading "../". */
        const char *rel = CYBERWELL_REL_DATADIR;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        while (slash && !strncmp(rel, "../", 3)) {
            slash = strrchr(exe, '/');
            if (slash)
                *slash = '\0';
            rel += 3;
        }
        int len = snprintf(buf, sizeof buf, "%s/%s", exe, rel);
        if (slash && len > 0 && (size_t)len < sizeof buf && is_datadir(buf))
            return buf;
    }
    if (is_datadir(CYBERWELL_DATADIR))
        return CYBERWELL_DATADIR;
    return CYBERWELL_INSTALL_DATADIR;
}

/*
 * The default database: $XDG_DATA_HOME/cyberwell/cyberwell.db (an
 * absolute XDG_DATA_HOME only, as the XDG base directory specification
 * says), else $HOME/.local/share/cyberwell/cyberwell.db, else
 * ./cyberwell.db. *dir_len is the length of its folder's path (0 for the
 * last).
 */
static const char *default_db(size_t *dir_len)
{
    static char buf[PATH_MAX];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n = -1;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, sizeof buf, "%s/cyberwell/cyberwell.db", xdg);
    else if (home && home[0] == '/')
        n = snprintf(buf, sizeof buf, "%s/.local/share/cyberwell/cyberwell.db",
                     home);
    if (n < 0 || (size_t)n >= sizeof buf) {
        *dir_len = 0;
        return "cyberwell.db";
    }
    *dir_len = (size_t)n - strlen("/cyberwell.db");
    return buf;
}

/*
 * mkdir -p the first len bytes of path, each new folder 0700 (the XDG
 * rule). Returns 0, or -1 with errno set.
 */
static int make_dirs(const char *path, size_t len)
{
    char dir[PATH_MAX];
    if (len >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, len);
    dir[len] = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = c;
        if (!c)
            return 0;
    }
}

static void print_version(const struct cw_ctx *ctx)
{
    cli_print_version();
    printf("data %s\n", ctx->datadir);
    printf("database %s\n", ctx->db_path);
}

static int run(int argc, char **argv)
{
    static struct cw_ctx ctx; /* cli_set_ctx keeps a pointer to it */
    size_t default_dir_len = 0;
    const char *db_default = default_db(&default_dir_len);
    ctx.datadir = find_datadir();
    const char *env_db = getenv("CYBERWELL_DB");
    ctx.db_path = env_db && *env_db ? env_db : db_default;
    cli_set_ctx(&ctx);

    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    /* "+" stops at the first non-option: the command name. */
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            /* SQLite takes "" for a private temporary database: whatever
             * a command stored would vanish on exit. */
            if (!*optarg)
                return cw_exit_code(
                    cmd_usage_error(NULL, "--db needs a file name"));
            ctx.db_path = optarg;
            break;
        case 'h':
            print_main_help();
            return CW_EXIT_OK;
        case 'V':
            print_version(&ctx);
            return CW_EXIT_OK;
        case ':':
            return cw_exit_code(cmd_usage_error(
                NULL, "option '%s' needs an argument", argv[optind - 1]));
        default:
            return cw_exit_code(cmd_usage_error(
                NULL, "unknown global option '%s'", argv[optind - 1]));
        }
    }
    if (optind >= argc)
        return cw_exit_code(cmd_usage_error(NULL, "no command given"));
    const char *name = argv[optind];
    const struct cmd *cmd = cmd_find(name);
    if (!cmd)
        return cw_exit_code(
            cmd_usage_error(NULL, "'%s' is not a cyberwell command", name));
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    /* "CMD --help" anywhere before "--" prints help without set-up. */
    for (int i = 1; i < sub_argc; i++) {
        if (!strcmp(sub_argv[i], "--"))
            break;
        if (!strcmp(sub_argv[i], "--help") || !strcmp(sub_argv[i], "-h")) {
            cmd_print_help(cmd);
            return CW_EXIT_OK;
        }
    }
    /* A command that stores creates the default database's folder. */
    if ((cmd->flags & CMD_WRITES) && ctx.db_path == db_default &&
        default_dir_len && make_dirs(db_default, default_dir_len) != 0) {
        fprintf(stderr,
                "cyberwell: error: cannot create the folder of the "
                "database '%s': %s\n",
                db_default, strerror(errno));
        return CW_EXIT_FAIL;
    }
    optind = 0; /* reset getopt for the command (glibc: full re-init) */
    opterr = 0;
    return cw_exit_code(cli_run(cmd, sub_argc, sub_argv, &ctx));
}

/*
 * Every byte a command writes to stdout or stderr goes through
 * cw_escape_text: control characters from input (a CSV cell, a name, a
 * profile's sentence, a path) are shown, never sent to the terminal
 * (issue 15, D13). stdout keeps its buffering (lines on a terminal),
 * stderr is unbuffered. Without memory for the streams, the plain ones
 * stay.
 */
static void escape_std_streams(void)
{
    FILE *out = cw_escaping_stream(STDOUT_FILENO, false);
    FILE *err = cw_escaping_stream(STDERR_FILENO, true);
    if (out) {
        if (isatty(STDOUT_FILENO) == 1)
            setvbuf(out, NULL, _IOLBF, 0);
        stdout = out;
    }
    if (err)
        stderr = err;
}

int main(int argc, char **argv)
{
    open_std_fds();
    escape_std_streams();
    int code = finish(run(argc, argv));
    fclose(stderr); /* unbuffered: only the escaping stream's memory */
    return code;
}
