/*
 * profile2html: a profile as an HTML page laid out like ITU's PDFs, for the
 * PDF tests (tests/pdf/), which print it to PDF with headless Chromium and
 * check that cyberwell reads the PDF to the statuses of the text.
 *
 *   profile2html PROFILE OUT.html
 *
 * The page is built from what cyberwell's parser reads in PROFILE (its own
 * words or a real profile, in any encoding): the title, the two background
 * figures side by side, every numbered heading, its sentences as one
 * justified paragraph and its bullets as a list -- in two columns, as the
 * ITU layout has them, when there are two or more -- and "Last updated".
 * The page is generated at test time into the build folder; no profile
 * text is kept in the tree.
 */
#include <stdio.h>
#include <string.h>

#include "core/doc.h"

static void put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void put_figure(FILE *f, const char *label, const struct doc_figure *fig,
                       bool is_percent)
{
    fputs("<td>", f);
    if (fig->is_set) {
        fprintf(f, "<b>%s</b> ", label);
        if (is_percent)
            fprintf(f, "%.2f%%", fig->value);
        else
            fprintf(f, "%.0f", fig->value);
        if (fig->source_text) {
            fputs("<br>(data source: ", f);
            put_escaped(f, fig->source_text);
            fputs(")", f);
        }
    }
    fputs("</td>", f);
}

/* The units of s: sentences run into one paragraph, bullets into a list
 * (two columns for two or more). */
static void put_body(FILE *f, const struct doc_section *s)
{
    size_t i = 0;
    while (i < s->n_units) {
        size_t j = i;
        while (j < s->n_units && s->units[j].kind == s->units[i].kind)
            j++;
        if (s->units[i].kind == DOC_SENTENCE) {
            fputs("<p>", f);
            for (size_t k = i; k < j; k++) {
                if (k > i)
                    fputc(' ', f);
                put_escaped(f, s->units[k].text);
            }
            fputs("</p>\n", f);
        } else {
            fprintf(f, "<ul%s>\n", j - i >= 2 ? " class=\"two\"" : "");
            for (size_t k = i; k < j; k++) {
                fputs("<li>", f);
                put_escaped(f, s->units[k].text);
                fputs("</li>\n", f);
            }
            fputs("</ul>\n", f);
        }
        i = j;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: profile2html PROFILE OUT.html\n", stderr);
        return 2;
    }
    struct cw_error err;
    struct doc *d = doc_load(argv[1], &err);
    if (!d) {
        fprintf(stderr, "profile2html: %s:%u: %s\n", argv[1], err.line,
                err.msg);
        return 1;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        doc_free(d);
        return 1;
    }
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
          "<style>\n"
          "body { font-family: serif; font-size: 11pt; margin: 1.5cm; }\n"
          "h1 { text-align: center; font-size: 16pt; }\n"
          "h2, h3, h4 { font-size: 11pt; margin: 1em 0 0.3em; }\n"
          "p { text-align: justify; margin: 0.3em 0; }\n"
          "ul { list-style: none; padding-left: 1.5em; }\n"
          "li::before { content: \"\\2022\\00a0\"; }\n"
          "ul.two { columns: 2; column-gap: 2.5em; }\n"
          "table { width: 100%; } td { width: 50%; vertical-align: top; }\n"
          "</style></head><body>\n",
          f);
    fputs("<h1>CYBERWELLNESS PROFILE<br>", f);
    put_escaped(f, d->title);
    fputs("</h1>\n<h2>BACKGROUND</h2>\n<table><tr>", f);
    put_figure(f, "Total Population:", &d->population, false);
    put_figure(f, "Internet users, percentage of population:", &d->internet,
               true);
    fputs("</tr></table>\n", f);
    for (size_t i = 0; i < d->n_sections; i++) {
        const struct doc_section *s = &d->sections[i];
        unsigned h = s->depth + 1;
        fprintf(f, "<h%u>%s%s ", h, s->number, s->depth == 1 ? "." : "");
        put_escaped(f, s->title);
        fprintf(f, "</h%u>\n", h);
        put_body(f, s);
    }
    if (d->last_updated_text) {
        fputs("<p>", f);
        put_escaped(f, d->last_updated_text);
        fputs("</p>\n", f);
    }
    fputs("</body></html>\n", f);
    int rc = fclose(f) == 0 ? 0 : 1;
    doc_free(d);
    return rc;
}
