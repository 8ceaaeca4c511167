/* cyberwell parse FILE...: show what the parser reads. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/doc.h"
#include "io/decode.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/textpos.h"

#include "util/banned.h"

const char usage_parse[] =
    "usage: cyberwell parse [options] FILE...\n"
    "\n"
    "Show what the parser reads in each profile: the encoding it was read\n"
    "in, the title, background figures, \"Last updated\", every numbered\n"
    "section with its sentences and bullets and their line numbers, and\n"
    "what it could not decide. FILE may be - for standard input, and may\n"
    "be a PDF (its text is extracted with pdftotext).\n"
    "\n"
    "options:\n"
    "  --format FMT       text (default) or json\n"
    "  --text             print the text the parser reads instead: the\n"
    "                     document decoded to UTF-8, or the text extracted\n"
    "                     from a PDF, to which line numbers "
    "refer\n" CLI_INPUT_OPTIONS_HELP;

static void print_text(const struct doc *d)
{
    printf("document %s\n", d->path);
    printf("  sha256 %s\n", d->hash);
    struct strbuf enc = STRBUF_INIT;
    decode_describe(&d->encoding, &enc);
    printf("  encoding %s\n", enc.buf);
    strbuf_release(&enc);
    if (d->is_pdf)
        puts("  source pdf (text extracted by pdftotext; lines refer to "
             "it: cyberwell parse --text)");
    printf("  title %s\n", d->title ? d->title : "(none)");
    printf("  layout %s\n", d->is_collapsed ? "collapsed" : "lines");
    const struct doc_figure *figs[2] = {&d->population, &d->internet};
    const char *names[2] = {"population", "internet users %"};
    for (int i = 0; i < 2; i++) {
        const struct doc_figure *f = figs[i];
        if (!f->is_set) {
            printf("  %s (not found)\n", names[i]);
            continue;
        }
        printf("  %s %.*f (line %u; source: %s; date: %s)\n", names[i],
               i ? 2 : 0, f->value, f->line, f->source ? f->source : "-",
               f->date ? f->date : "-");
    }
    printf("  last updated %s\n",
           d->last_updated ? d->last_updated : "(not printed)");
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        printf("  section %s %s (line %u)\n", s->number, s->title, s->line);
        for (size_t u = 0; u < s->n_units; u++)
            printf("    %u: %s%s\n", s->units[u].line,
                   s->units[u].kind == DOC_BULLET ? "- " : "",
                   s->units[u].text);
    }
    for (size_t i = 0; i < d->n_warnings; i++)
        printf("  warning line %u: %s\n", d->warnings[i].line,
               d->warnings[i].msg);
}

static void print_json(const struct doc *d, bool first)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, first ? "" : ",\n");
    strbuf_adds(&sb, "{\"path\":");
    json_str(&sb, d->path);
    strbuf_adds(&sb, ",\"sha256\":");
    json_str(&sb, d->hash);
    strbuf_adds(&sb,
                d->is_pdf ? ",\"source\":\"pdf\"" : ",\"source\":\"text\"");
    strbuf_adds(&sb, ",\"encoding\":");
    decode_json(&d->encoding, &sb);
    strbuf_adds(&sb, ",\"title\":");
    json_str(&sb, d->title);
    const struct doc_figure *figs[2] = {&d->population, &d->internet};
    const char *names[2] = {"population", "internet_users_pct"};
    for (int i = 0; i < 2; i++) {
        strbuf_addf(&sb, ",\"%s\":", names[i]);
        if (!figs[i]->is_set) {
            strbuf_adds(&sb, "null");
            continue;
        }
        strbuf_adds(&sb, "{\"value\":");
        json_num(&sb, figs[i]->value, i ? 4 : 0);
        strbuf_adds(&sb, ",\"source\":");
        json_str(&sb, figs[i]->source);
        strbuf_adds(&sb, ",\"date\":");
        json_str(&sb, figs[i]->date);
        strbuf_addf(&sb, ",\"line\":%u}", figs[i]->line);
    }
    strbuf_adds(&sb, ",\"last_updated\":");
    json_str(&sb, d->last_updated);
    strbuf_adds(&sb, ",\"sections\":[");
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        strbuf_adds(&sb, i ? ",{\"number\":" : "{\"number\":");
        json_str(&sb, s->number);
        strbuf_adds(&sb, ",\"title\":");
        json_str(&sb, s->title);
        strbuf_addf(&sb, ",\"line\":%u,\"units\":[", s->line);
        for (size_t u = 0; u < s->n_units; u++) {
            strbuf_addf(
                &sb, "%s{\"kind\":\"%s\",\"line\":%u,\"text\":", u ? "," : "",
                s->units[u].kind == DOC_BULLET ? "bullet" : "sentence",
                s->units[u].line);
            json_str(&sb, s->units[u].text);
            strbuf_addch(&sb, '}');
        }
        strbuf_adds(&sb, "],\"links\":[");
        for (size_t k = 0; k < s->n_links; k++) {
            if (k)
                strbuf_addch(&sb, ',');
            json_str(&sb, s->links[k]);
        }
        strbuf_adds(&sb, "]}");
    }
    strbuf_adds(&sb, "],\"warnings\":[");
    for (size_t i = 0; i < d->n_warnings; i++) {
        strbuf_addf(&sb, "%s{\"line\":%u,\"message\":", i ? "," : "",
                    d->warnings[i].line);
        json_str(&sb, d->warnings[i].msg);
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "]}");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

/*
 * Print the text the parser reads in path: line ends as LF (so that line N
 * of the output is line N of the evidence), other control characters
 * but tab and form feed as '?'.
 */
static int print_source_text(const char *path, const struct doc_read_opts *o)
{
    struct strbuf data = STRBUF_INIT;
    struct doc_text t;
    struct cw_error err;
    doc_text_init(&t);
    int rc = fileio_read(path, DOC_MAX_BYTES, &data, &err);
    if (!rc)
        rc = doc_text_read(path, data.buf, data.len, o, &t, &err);
    if (rc) {
        cli_print_error(&err);
        goto out;
    }
    cli_print_decode_warning(path, &t.dec.info);
    const char *p = t.dec.text, *end = p + t.dec.len;
    bool doubled = textpos_doubled_cr(p, t.dec.len);
    while (p < end) {
        size_t eol = textpos_eol_len(p, end, doubled);
        if (eol) {
            putchar('\n');
            p += eol;
            continue;
        }
        unsigned char c = (unsigned char)*p;
        bool is_c1 = c == 0xC2 && p + 1 < end && (unsigned char)p[1] < 0xA0;
        if ((c < 0x20 && c != '\t' && c != '\f') || c == 0x7F || is_c1) {
            putchar('?');
            p += is_c1 ? 2 : 1;
            continue;
        }
        putchar(c);
        p++;
    }
    if (t.dec.len && end[-1] != '\n' && end[-1] != '\r')
        putchar('\n');
out:
    doc_text_release(&t);
    strbuf_release(&data);
    return rc;
}

int cmd_parse(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"text", no_argument, NULL, 't'},
        CLI_INPUT_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct doc_read_opts ro = {NULL, true, NULL};
    bool json = false, text = false;
    int c;
    (void)ctx;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int in = cli_input_option("parse", c, optarg, &ro);
        if (in < 0)
            return in;
        if (in)
            continue;
        if (c == ':')
            return cmd_usage_error("parse", "option '%s' needs an argument",
                                   argv[optind - 1]);
        if (c == 'f' && !strcmp(optarg, "json"))
            json = true;
        else if (c == 'f' && !strcmp(optarg, "text"))
            json = false;
        else if (c == 'f')
            return cmd_usage_error("parse", "unknown format '%s'", optarg);
        else if (c == 't')
            text = true;
        else
            return cmd_usage_error("parse", "unknown option '%s'",
                                   argv[optind - 1]);
    }
    if (optind >= argc)
        return cmd_usage_error("parse", "no profile given");
    if (text && json)
        return cmd_usage_error("parse", "--text prints text: it takes no "
                                        "--format json");
    int status = 0;
    if (text) {
        for (int i = optind; i < argc; i++) {
            int rc = print_source_text(argv[i], &ro);
            if (rc && !status)
                status = rc;
        }
        return status;
    }
    if (json)
        fputs("[", stdout);
    bool first = true;
    for (int i = optind; i < argc; i++) {
        struct cw_error err;
        struct doc *d = doc_load_opts(argv[i], &ro, &err);
        if (!d) {
            cli_print_error(&err);
            if (!status)
                status = err.code;
            continue;
        }
        cli_print_decode_warning(d->path, &d->encoding);
        if (json)
            print_json(d, first);
        else
            print_text(d);
        first = false;
        doc_free(d);
    }
    if (json)
        fputs("]\n", stdout);
    return status;
}
