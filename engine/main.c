/* cyberwell: global options and command dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "cli/version.h"
#include "util/diag.h"

#include "util/banned.h"

#ifndef CYBERWELL_DATADIR
#define CYBERWELL_DATADIR "."
#endif

static void print_main_help(void)
{
    fputs("usage: cyberwell [--db PATH] <command> [options] [args]\n"
          "       cyberwell --help | --version\n"
          "\n"
          "Score ITU Cyberwellness Profiles on the five GCI pillars, store "
          "them,\ncompare countries and draw benchmark charts.\n"
          "\n"
          "global options:\n"
          "  --db PATH     database file (default: $CYBERWELL_DB, else "
          "reports/cyberwell.db\n"
          "                in the project folder)\n"
          "  -h, --help    show this help\n"
          "  --version     show versions of cyberwell, SQLite and libcsv\n"
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

static int run(int argc, char **argv)
{
    struct cw_ctx ctx = {0};
    static char db_default[4096];
    const char *datadir = getenv("CYBERWELL_HOME");
    ctx.datadir = datadir && *datadir ? datadir : CYBERWELL_DATADIR;
    const char *env_db = getenv("CYBERWELL_DB");
    snprintf(db_default, sizeof db_default, "%s/reports/cyberwell.db",
             ctx.datadir);
    ctx.db_path = env_db && *env_db ? env_db : db_default;

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
            cli_print_version();
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
