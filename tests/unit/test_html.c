/* io/html: escaping, and a card whose every string is hostile. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "io/html.h"
#include "test.h"
#include "util/strbuf.h"

#include "util/banned.h"

#define EVIL "<script>alert('x')</script> & \"q\" <img src=x onerror=y>"

static void test_escape(void)
{
    struct strbuf sb = STRBUF_INIT;
    html_escape(&sb, "a<b>&\"c\"'d'");
    CHECK_STR_EQ(sb.buf, "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    strbuf_reset(&sb);
    html_escape(&sb, NULL);
    CHECK_STR_EQ(sb.buf, "");
    /* UTF-8 stays; control characters become spaces; bad bytes U+FFFD. */
    strbuf_reset(&sb);
    html_escape(&sb, "Côte\n\x01\x7f\xC2\x85"
                     "x\xFFy\xE2\x80");
    CHECK_STR_EQ(sb.buf, "Côte    x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD");
    strbuf_release(&sb);
}

/* True when the page holds no tag that the card itself did not write. */
static bool has_raw(const char *page)
{
    return strstr(page, "<script") || strstr(page, "<img src=x") ||
           strstr(page, "onerror=y>");
}

static void test_card(void)
{
    const struct html_kv figures[] = {{EVIL, EVIL}};
    const struct html_pillar pillars[] = {
        {EVIL, "0.500", "0.250", "1.000", EVIL, true, "3 of 3"},
        {"Apart", "0.750 (3/4)", NULL, NULL, NULL, false, "0 of 3"}};
    const struct html_finding gaps[] = {{EVIL, EVIL, "absent", EVIL, EVIL, 12}};
    const struct html_indicator inds[] = {
        {"1.1.1", EVIL, EVIL, "present (analyst override; computed absent)",
         EVIL, 3, EVIL},
        {"1.1.2", "Regulation", "Legal", "not stated", NULL, 0, NULL}};
    const struct html_chart charts[] = {{"radar", EVIL, EVIL},
                                        {"ranking", "Ranking", "ranking"}};
    const char *const notes[] = {EVIL};
    const struct html_kv prov[] = {{"Rubric", EVIL}};
    const char *const files[] = {"scores.csv"};
    struct html_card c = {EVIL,    "BEL", EVIL, "0.706", EVIL, figures, 1,
                          pillars, 2,     EVIL, gaps,    1,    NULL,    0,
                          EVIL,    inds,  2,    charts,  2,    true,    notes,
                          1,       prov,  1,    files,   1,    EVIL,    EVIL};
    struct strbuf page = STRBUF_INIT;
    html_card_render(&c, &page);
    CHECK(!has_raw(page.buf));
    CHECK(strstr(page.buf, "<div class=\"v\" id=\"score\">0.706</div>") !=
          NULL);
    CHECK(strstr(page.buf, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                           "&amp; &quot;q&quot;") != NULL);
    /* The charts are the SVG files beside the page; no network, no script. */
    CHECK(strstr(page.buf, "<img src=\"radar.svg\" alt=\"&lt;script") != NULL);
    CHECK(strstr(page.buf, "<img src=\"ranking.svg\"") != NULL);
    CHECK(strstr(page.buf, "default-src 'none'") != NULL);
    CHECK(strstr(page.buf, "://") == NULL);
    CHECK(strstr(page.buf, "@media print") != NULL);
    /* Statuses get their badge; evidence its line; a missing value a dash. */
    CHECK(strstr(page.buf, "<span class=\"st st-present\">present (analyst "
                           "override; computed absent)</span>") != NULL);
    CHECK(strstr(page.buf, "<span class=\"ln\">(line 12)</span>") != NULL);
    CHECK(strstr(page.buf, "<td class=\"num\">&ndash;</td>") != NULL);
    CHECK(strstr(page.buf, "no sentence decides it") != NULL);
    CHECK(strstr(page.buf, "No strength") != NULL);

    /* Not rendered: each chart says how to draw it. */
    c.is_rendered = false;
    strbuf_reset(&page);
    html_card_render(&c, &page);
    CHECK(strstr(page.buf, "<img") == NULL);
    CHECK(strstr(page.buf, "Chart not rendered: run <code>gnuplot "
                           "radar.gp</code> in this folder.") != NULL);
    strbuf_release(&page);
}

int main(void)
{
    test_escape();
    test_card();
    return test_summary();
}
