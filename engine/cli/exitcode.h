/*
 * Process exit codes (documented in man/cyberwell.1, tested in tests/cases).
 * Only main.c turns a command's status into one of these.
 */
#ifndef CYBERWELL_CLI_EXITCODE_H
#define CYBERWELL_CLI_EXITCODE_H

enum cw_exit {
    CW_EXIT_OK = 0,    /* success */
    CW_EXIT_FAIL = 1,  /* runtime failure: I/O, not found, other */
    CW_EXIT_USAGE = 2, /* usage error */
    CW_EXIT_INPUT = 3, /* input error (document, rubric or CSV) */
    CW_EXIT_DB = 4,    /* storage (SQLite) error, database busy */
    CW_EXIT_TOOL = 5,  /* gnuplot or pdftotext missing or failed */
    CW_EXIT_BELOW = 6  /* a score below --fail-under (not an error) */
};

/* Command status meaning "scores below --fail-under" (not an error). */
#define CW_STATUS_BELOW 1

int cw_exit_code(int status);

#endif
