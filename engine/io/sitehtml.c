/* The site's index and group pages: a sortable ranking and a heatmap. */
#include "io/sitehtml.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/sha256.h"

#include "util/banned.h"

/* Sorts the table #ranking when a column head's button is pressed: by the
 * cells' data-v numbers for a numeric column, else by their text. */
static const char script[] =
    "(function(){var t=document.getElementById('ranking');if(!t)return;"
    "var hs=t.tHead.rows[0].cells;t.setAttribute('data-sortable','1');"
    "function key(r,c,num){var d=r.cells[c];"
    "return num?parseFloat(d.getAttribute('data-v')):d.textContent;}"
    "Array.prototype.forEach.call(hs,function(h,c){"
    "var b=h.querySelector('button');if(!b)return;"
    "b.addEventListener('click',function(){"
    "var num=b.getAttribute('data-num')==='1';"
    "var up=h.getAttribute('aria-sort')!=='ascending';"
    "Array.prototype.forEach.call(hs,function(o){"
    "o.removeAttribute('aria-sort');});"
    "h.setAttribute('aria-sort',up?'ascending':'descending');"
    "var tb=t.tBodies[0],rs=Array.prototype.slice.call(tb.rows);"
    "rs.sort(function(x,y){var a=key(x,c,num),z=key(y,c,num);"
    "var d=num?a-z:String(a).localeCompare(String(z));"
    "return up?d:-d;});"
    "rs.forEach(function(r){tb.appendChild(r);});});});})();";

const char *sitehtml_script(void)
{
    return script;
}

void sitehtml_script_hash(struct strbuf *out)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char hex[SHA256_HEX_LEN + 1];
    unsigned char d[32];
    sha256_hex(script, strlen(script), hex);
    for (size_t i = 0; i < 32; i++) {
        unsigned v = 0;
        for (size_t j = 0; j < 2; j++) {
            char c = hex[2 * i + j];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        d[i] = (unsigned char)v;
    }
    strbuf_adds(out, "'sha256-");
    for (size_t i = 0; i < 32; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < 32)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < 32)
            v |= d[i + 2];
        strbuf_addch(out, b64[(v >> 18) & 63]);
        strbuf_addch(out, b64[(v >> 12) & 63]);
        strbuf_addch(out, i + 1 < 32 ? b64[(v >> 6) & 63] : '=');
        strbuf_addch(out, i + 2 < 32 ? b64[v & 63] : '=');
    }
    strbuf_addch(out, '\'');
}

static const char css[] =
    ":root{--ink:#1d1d1f;--muted:#5b5f66;--line:#dcdce0;--soft:#f6f6f8}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 "
    "system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}\n"
    "main{max-width:1120px;margin:0 auto;padding:24px 20px 40px}\n"
    "h1{font-size:28px;margin:2px 0 6px}\n"
    "h2{font-size:20px;margin:30px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid var(--line)}\n"
    ".kicker{margin:0;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.06em;font-size:12px}\n"
    ".sub,.ln{color:var(--muted)}.ln{font-size:13px}\n"
    "nav{font-size:14px}nav a{margin-right:14px}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
    "th,td{text-align:left;padding:5px 6px;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;"
    "color:var(--muted)}\n"
    "th button{font:inherit;color:inherit;text-transform:inherit;"
    "letter-spacing:inherit;background:none;border:0;padding:0;"
    "cursor:pointer;text-align:left}\n"
    "th button::after{content:' \\2195';color:#aaa}\n"
    "th[aria-sort=ascending] button::after{content:' \\2191';color:inherit}\n"
    "th[aria-sort=descending] button::after{content:' \\2193';"
    "color:inherit}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.out td{color:var(--muted)}\n"
    "table.heat{table-layout:fixed;font-size:12px}\n"
    "table.heat th{overflow-wrap:anywhere;text-transform:none;"
    "letter-spacing:0}\n"
    "table.heat td{text-align:center;border:2px solid #fff;"
    "font-variant-numeric:tabular-nums;padding:4px 2px}\n"
    "table.heat td.c{text-align:left}\n"
    "table.heat th:first-child{width:5.5em;overflow-wrap:normal}\n"
    ".h0{background:#eff3ff}.h1{background:#c6dbef}.h2{background:#6baed6}"
    ".h3{background:#2171b5;color:#fff}.h4{background:#08306b;color:#fff}\n"
    ".hn{background:repeating-linear-gradient(45deg,#fff 0 4px,#eee 4px "
    "8px);color:var(--muted)}\n"
    "td.p{outline:2px dashed #E69F00;outline-offset:-4px}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0;"
    "font-size:12px;padding:0;list-style:none}\n"
    ".legend li{padding:2px 8px;border:1px solid var(--line)}\n"
    "dl{display:grid;grid-template-columns:max-content minmax(0,1fr);"
    "gap:4px 16px;font-size:14px}dt{color:var(--muted)}dd{margin:0}\n"
    "code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:12px;overflow-wrap:anywhere}\n"
    "ul.links{padding-left:20px}\n"
    "footer{margin-top:28px;color:var(--muted);font-size:12px}\n"
    "@media (max-width:640px){.w{display:none}main{padding:16px 10px}"
    "h1{font-size:24px}table.heat th+th{writing-mode:vertical-rl;"
    "transform:rotate(180deg);text-align:left;vertical-align:bottom}}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{font-size:10pt}main{max-width:none;padding:0}"
    "nav{display:none}a{color:inherit;text-decoration:none}"
    "th button::after{content:none}.w{display:table-cell}"
    "h2{break-after:avoid}tr{break-inside:avoid}"
    "td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* The heatmap class of a value: five bins of 0.2, or none. */
static const char *heat_class(double v)
{
    static const char *const bins[] = {"h0", "h1", "h2", "h3", "h4"};
    if (isnan(v))
        return "hn";
    int b = (int)floor(v * 5.0);
    if (b < 0)
        b = 0;
    if (b > 4)
        b = 4;
    return bins[b];
}

static void text_el(struct strbuf *sb, const char *tag, const char *cls,
                    const char *text)
{
    strbuf_addf(sb, "<%s", tag);
    if (cls)
        strbuf_addf(sb, " class=\"%s\"", cls);
    strbuf_addch(sb, '>');
    html_escape(sb, text);
    strbuf_addf(sb, "</%s>", tag);
}

/* <a href="HREF">TEXT</a>, or TEXT alone when href is NULL. */
static void link(struct strbuf *sb, const char *href, const char *text)
{
    if (!href) {
        html_escape(sb, text);
        return;
    }
    strbuf_adds(sb, "<a href=\"");
    html_escape(sb, href);
    strbuf_adds(sb, "\">");
    html_escape(sb, text);
    strbuf_adds(sb, "</a>");
}

/* A sortable column head; cls "w": hidden on a phone. */
static void sort_head(struct strbuf *sb, const char *text, bool is_num,
                      const char *cls)
{
    if (cls)
        strbuf_addf(sb, "<th class=\"%s\">", cls);
    else
        strbuf_adds(sb, "<th>");
    strbuf_addf(sb, "<button type=\"button\" data-num=\"%d\">", is_num);
    html_escape(sb, text);
    strbuf_adds(sb, "</button></th>");
}

/* A numeric cell with its sort key. */
static void num_cell(struct strbuf *sb, const char *cls, double key,
                     const char *text)
{
    strbuf_addf(sb, "<td class=\"num%s%s\" data-v=\"%.6g\">", cls ? " " : "",
                cls ? cls : "", key);
    html_escape(sb, text && *text ? text : "-");
    strbuf_adds(sb, "</td>");
}

static void ranking(struct strbuf *sb, const struct sitehtml_page *p)
{
    strbuf_adds(sb, "<section id=\"ranking-sec\"><h2>Ranking</h2>\n"
                    "<table id=\"ranking\"><thead><tr>");
    sort_head(sb, "rank", true, NULL);
    sort_head(sb, "range", true, "w");
    sort_head(sb, "country", false, NULL);
    sort_head(sb, "overall", true, NULL);
    sort_head(sb, "coverage", true, NULL);
    for (size_t j = 0; j < p->n_pillars; j++)
        sort_head(sb, p->pillar_names[j], true, "w");
    strbuf_adds(sb, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < p->n_rows; i++) {
        const struct sitehtml_row *r = &p->rows[i];
        strbuf_adds(sb, r->is_ranked ? "<tr title=\""
                                     : "<tr class=\"out\" "
                                       "title=\"");
        html_escape(sb, r->place);
        strbuf_adds(sb, "\">");
        num_cell(sb, NULL, r->rank_key, r->rank);
        num_cell(sb, "w", r->rank_key, r->range);
        strbuf_adds(sb, "<td>");
        link(sb, r->href, r->name);
        strbuf_adds(sb, " <span class=\"ln\">");
        html_escape(sb, r->iso3);
        strbuf_adds(sb, "</span></td>");
        num_cell(sb, NULL, r->overall_key, r->overall);
        num_cell(sb, NULL, r->coverage_key, r->coverage);
        for (size_t j = 0; j < p->n_pillars; j++)
            num_cell(sb, "w",
                     isnan(r->pillar_values[j]) ? -1 : r->pillar_values[j],
                     r->pillars[j]);
        strbuf_adds(sb, "</tr>\n");
    }
    strbuf_adds(sb, "</tbody></table>\n");
    if (p->rows_note)
        text_el(sb, "p", "ln", p->rows_note);
    strbuf_adds(sb, "</section>\n");
}

static void heatmap(struct strbuf *sb, const struct sitehtml_page *p)
{
    strbuf_adds(sb, "<section id=\"heatmap\"><h2>Pillars at a glance</h2>\n"
                    "<table class=\"heat\"><thead><tr><th>country</th>");
    for (size_t j = 0; j < p->n_pillars; j++) {
        strbuf_adds(sb, "<th>");
        html_escape(sb, p->pillar_names[j]);
        if (p->pillar_apart && p->pillar_apart[j])
            strbuf_adds(sb, "*");
        strbuf_adds(sb, "</th>");
    }
    strbuf_adds(sb, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < p->n_rows; i++) {
        const struct sitehtml_row *r = &p->rows[i];
        strbuf_adds(sb, "<tr><td class=\"c\">");
        link(sb, r->href, r->iso3);
        if (!r->is_ranked)
            strbuf_adds(sb, "&deg;");
        strbuf_adds(sb, "</td>");
        for (size_t j = 0; j < p->n_pillars; j++) {
            strbuf_addf(sb, "<td class=\"%s%s\">",
                        heat_class(r->pillar_values[j]),
                        r->is_partial[j] ? " p" : "");
            html_escape(sb, r->cells[j]);
            strbuf_adds(sb, "</td>");
        }
        strbuf_adds(sb, "</tr>\n");
    }
    strbuf_adds(sb,
                "</tbody></table>\n<ul class=\"legend\">"
                "<li class=\"h0\">0 to 0.2</li><li class=\"h1\">0.2 to "
                "0.4</li><li class=\"h2\">0.4 to 0.6</li><li class=\"h3\">"
                "0.6 to 0.8</li><li class=\"h4\">0.8 to 1</li><li "
                "class=\"hn\">n/a: no indicator of the pillar stated</li>"
                "</ul>\n<p class=\"ln\">Dashed outline: the pillar is "
                "partly stated (its coverage is in the ranking table and "
                "on the card). &deg;: not ranked. *: reported apart, not in "
                "the overall.</p></section>\n");
}

static void link_list(struct strbuf *sb, const char *id, const char *title,
                      const struct sitehtml_link *l, size_t n)
{
    if (!n)
        return;
    strbuf_addf(sb, "<section id=\"%s\"><h2>", id);
    html_escape(sb, title);
    strbuf_adds(sb, "</h2>\n<ul class=\"links\">\n");
    for (size_t i = 0; i < n; i++) {
        strbuf_adds(sb, "<li>");
        link(sb, l[i].href, l[i].text);
        if (l[i].note) {
            strbuf_adds(sb, " <span class=\"ln\">");
            html_escape(sb, l[i].note);
            strbuf_adds(sb, "</span>");
        }
        strbuf_adds(sb, "</li>\n");
    }
    strbuf_adds(sb, "</ul></section>\n");
}

void sitehtml_render(const struct sitehtml_page *p, struct strbuf *out)
{
    struct strbuf *sb = out;
    struct strbuf hash = STRBUF_INIT;
    sitehtml_script_hash(&hash);
    html_page_start(sb, hash.buf);
    strbuf_release(&hash);
    html_escape(sb, p->title);
    strbuf_adds(sb, "</title>\n<style>\n");
    strbuf_adds(sb, css);
    strbuf_adds(sb, "</style>\n</head>\n<body>\n<main>\n<header>\n");
    text_el(sb, "p", "kicker", p->kicker);
    strbuf_addch(sb, '\n');
    text_el(sb, "h1", NULL, p->title);
    strbuf_addch(sb, '\n');
    if (p->intro) {
        text_el(sb, "p", "sub", p->intro);
        strbuf_addch(sb, '\n');
    }
    strbuf_adds(sb, "<nav>");
    if (p->home)
        link(sb, p->home, "All countries");
    strbuf_adds(sb, "<a href=\"#ranking-sec\">Ranking</a>"
                    "<a href=\"#heatmap\">Pillars</a>");
    if (p->n_groups)
        strbuf_adds(sb, "<a href=\"#groups\">Groups</a>");
    if (p->n_files)
        strbuf_adds(sb, "<a href=\"#data\">Data</a>");
    strbuf_adds(sb, "</nav>\n</header>\n");

    ranking(sb, p);
    if (p->n_missing) {
        strbuf_adds(sb, "<p class=\"ln\">Members without a scored document: ");
        for (size_t i = 0; i < p->n_missing; i++) {
            if (i)
                strbuf_adds(sb, ", ");
            html_escape(sb, p->missing[i]);
        }
        strbuf_adds(sb, ".</p>\n");
    }
    heatmap(sb, p);
    link_list(sb, "groups", "Groups", p->groups, p->n_groups);
    link_list(sb, "data", "Data (CSV)", p->files, p->n_files);

    strbuf_adds(sb, "<section id=\"provenance\"><h2>How this page was "
                    "made</h2>\n<dl>\n");
    for (size_t i = 0; i < p->n_provenance; i++) {
        text_el(sb, "dt", NULL, p->provenance[i].key);
        strbuf_adds(sb, "<dd><code>");
        html_escape(sb, p->provenance[i].value);
        strbuf_adds(sb, "</code></dd>\n");
    }
    strbuf_adds(sb, "</dl></section>\n<footer>Works offline: every page of "
                    "this site is a file beside this one.</footer>\n"
                    "</main>\n<script>");
    strbuf_adds(sb, script);
    strbuf_adds(sb, "</script>\n</body>\n</html>\n");
}
