/* The report card page: escaped text, inline CSS, charts beside it. */
#include "io/html.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

#include "util/banned.h"

void html_escape(struct strbuf *sb, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq_len(p);
        if (n == 0) {
            strbuf_adds(sb, "\xEF\xBF\xBD"); /* U+FFFD */
            p++;
            continue;
        }
        if (utf8_is_control(p, n)) {
            strbuf_addch(sb, ' ');
        } else if (n > 1) {
            strbuf_add(sb, p, n);
        } else {
            switch (*p) {
            case '&':
                strbuf_adds(sb, "&amp;");
                break;
            case '<':
                strbuf_adds(sb, "&lt;");
                break;
            case '>':
                strbuf_adds(sb, "&gt;");
                break;
            case '"':
                strbuf_adds(sb, "&quot;");
                break;
            case '\'':
                strbuf_adds(sb, "&#39;");
                break;
            default:
                strbuf_addch(sb, (char)*p);
            }
        }
        p += n;
    }
}

/* <tag class="cls">escaped text</tag> */
static void element(struct strbuf *sb, const char *tag, const char *cls,
                    const char *text)
{
    strbuf_addf(sb, "<%s", tag);
    if (cls)
        strbuf_addf(sb, " class=\"%s\"", cls);
    strbuf_addch(sb, '>');
    html_escape(sb, text);
    strbuf_addf(sb, "</%s>", tag);
}

static const char css[] =
    ":root{--focus:#D55E00;--ink:#1d1d1f;--muted:#5b5f66;--line:#dcdce0;"
    "--soft:#f6f6f8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 "
    "system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}\n"
    "main{max-width:1120px;margin:0 auto;padding:24px 28px 40px}\n"
    "@media (max-width:600px){main{padding:16px 12px 32px}}\n"
    "h1{font-size:30px;margin:2px 0 4px}\n"
    "h2{font-size:20px;margin:32px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid var(--line)}\n"
    ".kicker{margin:0;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.06em;font-size:12px}\n"
    ".iso{color:var(--muted);font-weight:400;font-size:20px}\n"
    ".sub{margin:0;color:var(--muted)}\n"
    ".lead{font-size:17px;margin:8px 0}\n"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(190px,1fr));gap:12px;margin:20px 0}\n"
    ".tile{border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "background:var(--soft)}\n"
    ".tile .k{font-size:12px;text-transform:uppercase;letter-spacing:.04em;"
    "color:var(--muted)}\n"
    ".tile .v{font-size:22px;font-weight:600;font-variant-numeric:"
    "tabular-nums}\n"
    ".tile .n{font-size:13px;color:var(--muted)}\n"
    ".tile.score .v{font-size:42px;line-height:1.1;color:var(--focus)}\n"
    "nav{font-size:14px;margin:8px 0 0}nav a{margin-right:14px}\n"
    /* Charts are shown at their own size, never scaled down (their 10 px
     * text would shrink): a chart wider than the page scrolls inside its
     * figure, so the page itself never scrolls sideways (issue 13). */
    ".two{display:grid;grid-template-columns:minmax(0,1fr);gap:20px}\n"
    "figure{margin:14px 0 22px;break-inside:avoid;overflow-x:auto;"
    "max-width:100%}\n"
    "figure img{display:block;max-width:none;height:auto;"
    "border:1px solid var(--line);border-radius:6px}\n"
    "figcaption{color:var(--muted);font-size:13px;margin-top:4px}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
    ".tw{overflow-x:auto;max-width:100%}\n"
    "main{overflow-wrap:anywhere}\n"
    "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;"
    "color:var(--muted)}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.apart td{color:var(--muted)}\n"
    ".ev{font-style:italic}.ln{color:var(--muted);font-size:12px}\n"
    ".st{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;"
    "white-space:nowrap;border:1px solid #999}\n"
    ".st-present{background:#009E73;color:#fff;border-color:#009E73}\n"
    ".st-partial{background:#F0E442;border-color:#c9bd2a}\n"
    ".st-absent{background:#D55E00;color:#fff;border-color:#D55E00}\n"
    ".st-unknown{background:#BBBBBB;border-color:#BBBBBB}\n"
    ".st-unstated{background:#fff}\n"
    ".note{border-left:4px solid #E69F00;background:#fff7e6;"
    "padding:8px 12px;margin:12px 0}\n"
    ".missing{border:1px dashed var(--line);padding:24px;color:var(--muted)}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;"
    "font-size:14px}dt{color:var(--muted)}dd{margin:0}\n"
    "code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:12px;word-break:break-all}\n"
    "footer{margin-top:28px;color:var(--muted);font-size:12px}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{font-size:10.5pt}main{max-width:none;padding:0}"
    "nav{display:none}a{color:inherit;text-decoration:none}"
    ".tiles{grid-template-columns:repeat(4,1fr)}"
    ".two{grid-template-columns:3fr 2fr}"
    "figure{overflow:visible}figure img{max-width:100%;max-height:12cm;"
    "width:auto;border:none}"
    "h2{break-after:avoid}tr,.tile{break-inside:avoid}"
    ".st{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* The CSS class of a status badge; statuses may carry an override note. */
static const char *status_class(const char *status)
{
    static const char *const names[] = {"present", "partial", "absent",
                                        "unknown", "not stated"};
    static const char *const classes[] = {"st st-present", "st st-partial",
                                          "st st-absent", "st st-unknown",
                                          "st st-unstated"};
    for (size_t i = 0; status && i < 5; i++)
        if (!strncmp(status, names[i], strlen(names[i])))
            return classes[i];
    return "st";
}

/* A figure cell: text formatted by the caller; none gives a dash. */
static void num_cell(struct strbuf *sb, const char *text)
{
    strbuf_adds(sb, "<td class=\"num\">");
    if (text && *text)
        html_escape(sb, text);
    else
        strbuf_adds(sb, "&ndash;");
    strbuf_adds(sb, "</td>");
}

static void chart_figure(struct strbuf *sb, const struct html_chart *ch,
                         bool is_rendered)
{
    strbuf_adds(sb, "<figure>");
    if (is_rendered) {
        strbuf_adds(sb, "<img src=\"");
        html_escape(sb, ch->stem);
        strbuf_adds(sb, ".svg\" alt=\"");
        html_escape(sb, ch->alt);
        strbuf_adds(sb, "\">");
    } else {
        strbuf_adds(sb, "<div class=\"missing\">Chart not rendered: run "
                        "<code>gnuplot ");
        html_escape(sb, ch->stem);
        strbuf_adds(sb, ".gp</code> in this folder.</div>");
    }
    strbuf_adds(sb, "<figcaption>");
    html_escape(sb, ch->caption);
    strbuf_adds(sb, " (<a href=\"");
    html_escape(sb, ch->stem);
    strbuf_adds(sb, ".png\">PNG</a>, <a href=\"");
    html_escape(sb, ch->stem);
    strbuf_adds(sb, ".dat\">data</a>, <a href=\"");
    html_escape(sb, ch->stem);
    strbuf_adds(sb, ".gp\">script</a>)</figcaption></figure>\n");
}

static const struct html_chart *find_chart(const struct html_card *c,
                                           const char *stem)
{
    for (size_t i = 0; i < c->n_charts; i++)
        if (!strcmp(c->charts[i].stem, stem))
            return &c->charts[i];
    return NULL;
}

static void evidence(struct strbuf *sb, const char *text, unsigned line)
{
    if (!text || !*text) {
        strbuf_adds(sb, "<span class=\"ln\">no sentence decides it</span>");
        return;
    }
    strbuf_adds(sb, "<span class=\"ev\">&ldquo;");
    html_escape(sb, text);
    strbuf_adds(sb, "&rdquo;</span>");
    if (line)
        strbuf_addf(sb, " <span class=\"ln\">(line %u)</span>", line);
}

static void findings(struct strbuf *sb, const char *id, const char *title,
                     const char *none, const struct html_finding *f, size_t n,
                     const char *peers_head)
{
    strbuf_addf(sb, "<section id=\"%s\"><h2>", id);
    html_escape(sb, title);
    strbuf_addf(sb, " (%zu)</h2>\n", n);
    if (!n) {
        element(sb, "p", NULL, none);
        strbuf_adds(sb, "</section>\n");
        return;
    }
    strbuf_adds(
        sb,
        "<div class=\"tw\"><table><thead><tr><th>indicator</th><th>status</th>"
        "<th>");
    html_escape(sb, peers_head);
    strbuf_adds(sb, "</th><th>evidence in the profile</th></tr></thead>"
                    "<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(sb, "<tr><td>");
        html_escape(sb, f[i].indicator);
        strbuf_adds(sb, "<br><span class=\"ln\">");
        html_escape(sb, f[i].pillar);
        strbuf_adds(sb, "</span></td><td>");
        element(sb, "span", status_class(f[i].status), f[i].status);
        strbuf_adds(sb, "</td><td>");
        html_escape(sb, f[i].peers);
        strbuf_adds(sb, "</td><td>");
        evidence(sb, f[i].evidence, f[i].line);
        strbuf_adds(sb, "</td></tr>\n");
    }
    strbuf_adds(sb, "</tbody></table></div></section>\n");
}

void html_page_start(struct strbuf *sb, const char *script_src)
{
    strbuf_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" "
                    "content=\"default-src 'none'; img-src 'self' file: "
                    "data:; style-src 'unsafe-inline'");
    if (script_src)
        strbuf_addf(sb, "; script-src %s", script_src);
    strbuf_adds(sb, "\">\n<meta name=\"generator\" content=\"cyberwell\">\n"
                    "<title>");
}

void html_card_render(const struct html_card *c, struct strbuf *out)
{
    struct strbuf *sb = out;
    html_page_start(sb, NULL);
    html_escape(sb, c->country);
    strbuf_adds(sb, " (");
    html_escape(sb, c->iso3);
    strbuf_adds(sb, "): cyberwellness report card</title>\n<style>\n");
    strbuf_adds(sb, css);
    strbuf_adds(sb, "</style>\n</head>\n<body>\n<main>\n<header>\n"
                    "<p class=\"kicker\">Cyberwellness report card</p>\n"
                    "<h1>");
    html_escape(sb, c->country);
    strbuf_adds(sb, " <span class=\"iso\">");
    html_escape(sb, c->iso3);
    strbuf_adds(sb, "</span></h1>\n");
    if (c->subtitle) {
        element(sb, "p", "sub", c->subtitle);
        strbuf_addch(sb, '\n');
    }
    strbuf_adds(sb, "<nav>");
    if (c->home) {
        strbuf_adds(sb, "<a href=\"");
        html_escape(sb, c->home);
        strbuf_adds(sb, "\">All countries</a>");
    }
    strbuf_adds(sb, "<a href=\"#pillars\">Pillars</a><a "
                    "href=\"#charts\">Charts</a><a href=\"#gaps\">Gaps</a><a "
                    "href=\"#strengths\">Strengths</a><a "
                    "href=\"#indicators\">Indicators</a><a "
                    "href=\"#provenance\">Provenance</a></nav>\n"
                    "</header>\n");
    for (size_t i = 0; i < c->n_notes; i++) {
        element(sb, "p", "note", c->notes[i]);
        strbuf_addch(sb, '\n');
    }

    /* Key figures. */
    strbuf_adds(sb, "<section class=\"tiles\">\n<div class=\"tile score\">"
                    "<div class=\"k\">Overall score</div>"
                    "<div class=\"v\" id=\"score\">");
    html_escape(sb, c->score);
    strbuf_adds(sb, "</div>");
    if (c->score_note)
        element(sb, "div", "n", c->score_note);
    strbuf_adds(sb, "</div>\n");
    for (size_t i = 0; i < c->n_figures; i++) {
        strbuf_adds(sb, "<div class=\"tile\">");
        element(sb, "div", "k", c->figures[i].key);
        element(sb, "div", "v", c->figures[i].value);
        strbuf_adds(sb, "</div>\n");
    }
    strbuf_adds(sb, "</section>\n");

    /* Pillars: the radar beside the table. */
    strbuf_adds(sb, "<section id=\"pillars\"><h2>Pillars against peers</h2>"
                    "\n<div class=\"two\"><div>\n");
    const struct html_chart *radar = find_chart(c, "radar");
    if (radar)
        chart_figure(sb, radar, c->is_rendered);
    strbuf_adds(
        sb, "</div><div>\n<div class=\"tw\"><table><thead><tr><th>pillar</th>"
            "<th>score</th><th>peer median</th><th>peer best</th>"
            "<th>peers</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < c->n_pillars; i++) {
        const struct html_pillar *p = &c->pillars[i];
        strbuf_adds(sb,
                    p->in_overall ? "<tr><td>" : "<tr class=\"apart\"><td>");
        html_escape(sb, p->name);
        if (!p->in_overall)
            strbuf_adds(sb, " <span class=\"ln\">(reported apart, not in "
                            "the overall)</span>");
        strbuf_adds(sb, "</td>");
        num_cell(sb, p->score);
        num_cell(sb, p->median);
        strbuf_adds(sb, "<td class=\"num\">");
        if (p->best && *p->best)
            html_escape(sb, p->best);
        else
            strbuf_adds(sb, "&ndash;");
        if (p->best_by && *p->best_by) {
            strbuf_adds(sb, " <span class=\"ln\">");
            html_escape(sb, p->best_by);
            strbuf_adds(sb, "</span>");
        }
        strbuf_adds(sb, "</td>");
        num_cell(sb, p->peers);
        strbuf_adds(sb, "</tr>\n");
    }
    strbuf_adds(sb, "</tbody></table></div>\n");
    if (c->pillars_note)
        element(sb, "p", "ln", c->pillars_note);
    strbuf_adds(sb, "</div></div></section>\n");

    /* How stable the rank is: the sentence, then its chart. */
    const struct html_chart *robust = find_chart(c, "robustness");
    if (robust || c->robustness) {
        strbuf_adds(sb, "<section id=\"robustness\"><h2>How stable is the "
                        "rank</h2>\n");
        if (c->robustness)
            element(sb, "p", "lead", c->robustness);
        if (robust)
            chart_figure(sb, robust, c->is_rendered);
        strbuf_adds(sb, "</section>\n");
    }

    /* The other charts. */
    strbuf_adds(sb, "<section id=\"charts\"><h2>Benchmark charts</h2>\n");
    for (size_t i = 0; i < c->n_charts; i++)
        if (strcmp(c->charts[i].stem, "radar") != 0 &&
            strcmp(c->charts[i].stem, "robustness") != 0)
            chart_figure(sb, &c->charts[i], c->is_rendered);
    strbuf_adds(sb, "</section>\n");

    findings(sb, "gaps", "Gaps: indicators peers have and this country lacks",
             "No gap: no compared peer has an indicator this country lacks.",
             c->gaps, c->n_gaps, "peers that have it");
    findings(sb, "strengths",
             "Strengths: indicators this country has and peers lack",
             "No strength: no compared peer lacks an indicator this country "
             "has.",
             c->strengths, c->n_strengths, "peers that lack it");
    if (c->findings_note) {
        element(sb, "p", "ln", c->findings_note);
        strbuf_addch(sb, '\n');
    }

    strbuf_adds(sb, "<section id=\"indicators\"><h2>Every indicator and "
                    "its evidence</h2>\n<div "
                    "class=\"tw\"><table><thead><tr><th>indicator</th>"
                    "<th>status</th><th>evidence in the profile</th></tr>"
                    "</thead><tbody>\n");
    for (size_t i = 0; i < c->n_indicators; i++) {
        const struct html_indicator *ind = &c->indicators[i];
        strbuf_adds(sb, "<tr><td>");
        html_escape(sb, ind->id);
        strbuf_addch(sb, ' ');
        html_escape(sb, ind->name);
        strbuf_adds(sb, "<br><span class=\"ln\">");
        html_escape(sb, ind->pillar);
        strbuf_adds(sb, "</span></td><td>");
        element(sb, "span", status_class(ind->status), ind->status);
        strbuf_adds(sb, "</td><td>");
        evidence(sb, ind->evidence, ind->line);
        if (ind->reason && *ind->reason) {
            strbuf_adds(sb, "<br><span class=\"ln\">");
            html_escape(sb, ind->reason);
            strbuf_adds(sb, "</span>");
        }
        strbuf_adds(sb, "</td></tr>\n");
    }
    strbuf_adds(sb, "</tbody></table></div></section>\n");

    strbuf_adds(sb, "<section id=\"provenance\"><h2>How this card was "
                    "made</h2>\n<dl>\n");
    for (size_t i = 0; i < c->n_provenance; i++) {
        element(sb, "dt", NULL, c->provenance[i].key);
        strbuf_adds(sb, "<dd><code>");
        html_escape(sb, c->provenance[i].value);
        strbuf_adds(sb, "</code></dd>\n");
    }
    strbuf_adds(sb, "</dl></section>\n<footer>");
    if (c->n_files) {
        strbuf_adds(sb, "Tables behind the charts: ");
        for (size_t i = 0; i < c->n_files; i++) {
            strbuf_adds(sb, i ? ", <a href=\"" : "<a href=\"");
            html_escape(sb, c->files[i]);
            strbuf_adds(sb, "\">");
            html_escape(sb, c->files[i]);
            strbuf_adds(sb, "</a>");
        }
        strbuf_adds(sb, ". ");
    }
    strbuf_adds(sb, "Re-render a chart in this folder with <code>gnuplot "
                    "NAME.gp</code>.</footer>\n</main>\n</body>\n</html>\n");
}
