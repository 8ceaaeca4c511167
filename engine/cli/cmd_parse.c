/* cyberwell parse FILE...: show what the parser reads. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/doc.h"
#include "util/json.h"

#include "util/banned.h"

const char usage_parse[] =
    "usage: cyberwell parse [--format text|json] FILE...\n"
    "\n"
    "Show what the parser reads in each profile: the title, background\n"
    "figures, \"Last updated\", every numbered section with its sentences\n"
    "and bullets and their line numbers, and what it could not decide.\n"
    "FILE may be - for standard input.\n"
    "\n"
    "options:\n"
    "  --format FMT   text (default) or json\n";

static void print_text(const struct doc *d)
{
    printf("document %s\n", d->path);
    printf("  sha256 %s\n", d->hash);
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

int cmd_parse(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    bool json = false;
    int c;
    (void)ctx;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == ':')
            return cmd_usage_error("parse", "option '%s' needs an argument",
                                   argv[optind - 1]);
        if (c == 'f' && !strcmp(optarg, "json"))
            json = true;
        else if (c == 'f' && !strcmp(optarg, "text"))
            json = false;
        else if (c == 'f')
            return cmd_usage_error("parse", "unknown format '%s'", optarg);
        else
            return cmd_usage_error("parse", "unknown option '%s'",
                                   argv[optind - 1]);
    }
    if (optind >= argc)
        return cmd_usage_error("parse", "no profile given");
    int status = 0;
    if (json)
        fputs("[", stdout);
    bool first = true;
    for (int i = optind; i < argc; i++) {
        struct cw_error err;
        struct doc *d = doc_load(argv[i], &err);
        if (!d) {
            cli_print_error(&err);
            if (!status)
                status = err.code;
            continue;
        }
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
