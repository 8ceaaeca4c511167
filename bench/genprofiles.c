/*
 * genprofiles: write N synthetic Cyberwellness Profiles for benchmarks and
 * crash tests, in the two layouts the parser reads (one block per line
 * with blank lines between, like bel.txt, and everything collapsed onto
 * one line, like pry.txt), with varied statuses, wording and bullets.
 *
 * usage: genprofiles [--seed S] [--home DIR] N OUTDIR
 *   --home DIR  also write DIR/data/countries.csv and DIR/data/groups.csv
 *               naming one synthetic country per profile (up to 17,576
 *               countries; beyond that the titles cycle, giving new
 *               versions); without it the profiles cycle through a few
 *               real country names.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *const real_names[] = {"BELGIUM",     "THE NETHERLANDS",
                                         "LUXEMBOURG",  "IRELAND",
                                         "ITALY",       "JAPAN",
                                         "MEXICO",      "OMAN",
                                         "THAILAND",    "URUGUAY",
                                         "UKRAINE",     "PARAGUAY",
                                         "PHILIPPINES", "REPUBLIC OF POLAND",
                                         "MAURITIUS",   "LIBYA"};

struct indicator {
    const char *number, *title;
    const char *present, *partial, *absent; /* %s: the country */
};

/* Section numbers and titles of the 2014-2015 profiles; sentences written
 * for this generator in the profiles' manner. */
static const struct indicator indicators[] = {
    {"1.1.1", "CRIMINAL LEGISLATION",
     "Specific legislation on cybercrime has been enacted through the "
     "following instrument:",
     "Legislation on cybercrime in %s is in the process of being drafted.",
     "There is no specific legislation on cybercrime in %s."},
    {"1.1.2", "REGULATION AND COMPLIANCE",
     "Specific legislation and regulation related to cybersecurity has "
     "been enacted through the following instruments:",
     "A regulation related to cybersecurity in %s is in draft.",
     "%s does not have specific regulation related to cybersecurity."},
    {"1.2.1", "CIRT",
     "%s has an officially recognized national CIRT known as CERT-%c%c.",
     "%s is in the process of establishing a national CIRT.",
     "%s does not have an officially recognized national CIRT."},
    {"1.2.2", "STANDARDS",
     "%s has officially approved national and sector specific "
     "cybersecurity frameworks for implementing internationally "
     "recognized cybersecurity standards.",
     "A national framework for cybersecurity standards in %s is under "
     "development.",
     "%s does not have an officially approved national or sector specific "
     "cybersecurity framework."},
    {"1.2.3", "CERTIFICATION",
     "%s has an officially approved national framework for the "
     "certification and accreditation of national agencies.",
     "A certification framework in %s is in the process of being "
     "developed.",
     "There is no information about any framework for certification and "
     "accreditation of national agencies in %s."},
    {"1.3.1", "POLICY",
     "%s has an officially recognized national cybersecurity strategy.",
     "The national cybersecurity strategy of %s is currently being "
     "drafted.",
     "%s does not have an officially recognized national cybersecurity "
     "strategy."},
    {"1.3.2", "ROADMAP FOR GOVERNANCE",
     "%s has a national governance roadmap for cybersecurity.",
     "A governance roadmap for cybersecurity in %s is being prepared.",
     "There is no information on any national governance roadmap for "
     "cybersecurity in %s."},
    {"1.3.3", "RESPONSIBLE AGENCY",
     "The National Cyber Office of %s is responsible for implementing the "
     "national cybersecurity strategy.",
     "The responsible agency for cybersecurity in %s is yet to be "
     "designated, however a task force is in the process of being set up.",
     "%s does not have an officially recognized agency responsible for "
     "cybersecurity."},
    {"1.3.4", "NATIONAL BENCHMARKING",
     "%s has officially recognized national benchmarking exercises to "
     "measure cybersecurity development.",
     "A benchmarking exercise for cybersecurity in %s is being developed.",
     "%s does not have any national benchmarking exercises or referential "
     "to measure cybersecurity development."},
    {"1.4.1", "STANDARDISATION DEVELOPMENT",
     "%s has officially recognized national research and development "
     "programs for cybersecurity standards.",
     "Research programs for cybersecurity standards in %s are being "
     "planned.",
     "%s does not have any officially recognized national research and "
     "development program for cybersecurity standards."},
    {"1.4.2", "MANPOWER DEVELOPMENT",
     "The national awareness programme of %s has had over 5 events for "
     "raising awareness, professional training and certification.",
     "Awareness campaigns for cybersecurity in %s are being prepared.",
     "%s does not have any officially recognized national or sector "
     "specific educational and professional training programs."},
    {"1.4.3", "PROFESSIONAL CERTIFICATION",
     "%s has 120 public sector professionals certified under "
     "internationally recognized certification programs.",
     "Certification of professionals in %s is in the process of being "
     "introduced.",
     "%s does not have the exact number of public sector professionals "
     "certified under internationally recognized certification programs."},
    {"1.4.4", "AGENCY CERTIFICATION",
     "%s has 4 government agencies certified under internationally "
     "recognized standards.",
     "Agency certification in %s is being considered.",
     "%s does not have any certified government and public sector "
     "agencies."},
    {"1.5.1", "INTRA-STATE COOPERATION",
     "%s has officially recognized partnerships for sharing cybersecurity "
     "assets across borders.",
     "Agreements for sharing cybersecurity assets across borders are "
     "being negotiated by %s.",
     "%s does not have any officially recognized partnerships to "
     "facilitate sharing of cybersecurity assets across borders."},
    {"1.5.2", "INTRA-AGENCY COOPERATION",
     "%s has an officially recognized national program for sharing "
     "cybersecurity assets within the public sector.",
     "A program for sharing cybersecurity assets in the public sector of "
     "%s is in the process of being established.",
     "%s does not have any officially recognized program for sharing "
     "cybersecurity assets within the public sector."},
    {"1.5.3", "PUBLIC SECTOR PARTNERSHIP",
     "%s has an officially recognized program for sharing cybersecurity "
     "assets within the public and private sectors.",
     "A public-private partnership for cybersecurity in %s is being "
     "discussed.",
     "%s does not have any officially recognized program for sharing "
     "cybersecurity assets within the public and private sectors."},
    {"1.5.4", "INTERNATIONAL COOPERATION",
     "%s is a member of FIRST and participates in regional cybersecurity "
     "platforms.",
     "%s is in the process of joining international cybersecurity "
     "platforms.",
     "%s does not participate in any international cybersecurity "
     "platform."},
    {"2.1", "NATIONAL LEGISLATION",
     "Specific legislation on child online protection has been enacted "
     "through the following instruments:",
     "Legislation on child online protection in %s is in draft.",
     "%s does not have specific legislation on child online protection."},
    {"2.2", "UN CONVENTION AND PROTOCOL",
     "%s has acceded, with no declarations or reservations, to the "
     "Convention on the Rights of the Child.",
     "%s has signed but not yet ratified the Convention on the Rights of "
     "the Child.",
     "%s has not acceded to the Convention on the Rights of the Child."},
    {"2.3", "INSTITUTIONAL SUPPORT",
     "The Child Protection Agency of %s supports child online protection.",
     "An institution for child online protection in %s is in the process "
     "of being set up.",
     "There is no information on any institution that supports child "
     "online protection in %s."},
    {"2.4", "REPORTING MECHANISM",
     "Online child abuse can be reported to the national hotline of %s.",
     "A reporting mechanism for online child abuse in %s is being "
     "planned.",
     "There is no information on any reporting mechanism for online child "
     "abuse in %s."},
};
#define N_IND (sizeof indicators / sizeof *indicators)

static const char *const heads[][2] = {
    {"1.", "CYBERSECURITY"},          {"1.1", "LEGAL MEASURES"},
    {"1.2", "TECHNICAL MEASURES"},    {"1.3", "ORGANIZATION MEASURES"},
    {"1.4", "CAPACITY BUILDING"},     {"1.5", "COOPERATION"},
    {"2.", "CHILD ONLINE PROTECTION"}};

static const char *const months[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* True when heading h opens just before indicator i. */
static bool opens_before(size_t h, size_t i)
{
    const char *n = indicators[i].number, *hn = heads[h][0];
    size_t hl = strlen(hn);
    if (hn[hl - 1] == '.') /* "1." before 1.1.1, "2." before 2.1 */
        return n[0] == hn[0] && (!strcmp(n, "1.1.1") || !strcmp(n, "2.1"));
    return !strncmp(n, hn, hl) && !strcmp(n + hl, ".1"); /* "1.2" */
}

static void code_of(size_t i, char code[4])
{
    code[0] = (char)('A' + (i / 676) % 26);
    code[1] = (char)('A' + (i / 26) % 26);
    code[2] = (char)('A' + i % 26);
    code[3] = '\0';
}

/* Write one profile; sep is "\n\n" (line layout) or " " (collapsed). */
static int write_profile(FILE *f, const char *title, const char *name,
                         size_t index, bool collapsed)
{
    const char *sep = collapsed ? " " : "\n\n";
    const char *bsep = collapsed ? " " : "\n";
    fprintf(f, "%sCYBERWELLNESS PROFILE %s%sBACKGROUND%s",
            collapsed ? "" : "\n\n", title, sep, sep);
    /* unique per index, so that no two profiles are the same bytes */
    size_t pop = 1000 + index;
    fprintf(f, "Total Population: %zu %03zu 000%s", pop / 1000, pop % 1000,
            sep);
    fprintf(f, "(data source: United Nations Statistics Division, %s 2012)%s",
            months[rnd(12)], sep);
    /* One rnd() per statement: the order in which a call's arguments are
     * evaluated is unspecified (the orders below are gcc's, which wrote
     * the corpora the tests' goldens come from). */
    uint32_t hundredths = rnd(100);
    fprintf(f, "Internet users, percentage of population: %u.%02u%%%s",
            5 + rnd(90), hundredths, sep);
    fprintf(f, "(data source: ITU Statistics, December 2013)%s", sep);
    for (size_t i = 0; i < N_IND; i++) {
        for (size_t h = 0; h < sizeof heads / sizeof *heads; h++)
            if (opens_before(h, i))
                fprintf(f, "%s %s%s", heads[h][0], heads[h][1], sep);
        const struct indicator *ind = &indicators[i];
        fprintf(f, "%s %s%s", ind->number, ind->title, sep);
        uint32_t pick = rnd(10);
        const char *text = pick < 5   ? ind->present
                           : pick < 7 ? ind->partial
                                      : ind->absent;
        if (pick == 9 && i % 3 == 0) {
            /* no sentence: the section says nothing */
            fprintf(f,
                    "Information on this topic for %s (reference %zu) "
                    "was not provided.%s",
                    name, index, sep);
            continue;
        }
        char code[4];
        code_of(index, code);
        /* %s is the country's name, %c%c two letters of its code */
        for (const char *p = text; *p; p++) {
            if (p[0] == '%' && p[1] == 's') {
                fputs(name, f);
                p++;
            } else if (!strncmp(p, "%c%c", 4)) {
                fputc(code[0], f);
                fputc(code[1], f);
                p += 3;
            } else {
                fputc(*p, f);
            }
        }
        if (text == ind->present && strstr(text, "following")) {
            unsigned n = 1 + rnd(4);
            for (unsigned b = 0; b < n; b++) {
                uint32_t year = 1990 + rnd(25);
                fprintf(f, "%s- Act No. %u/%u on %s%s", bsep, 100 + rnd(900),
                        year,
                        b % 2 ? "Electronic Communications" : "Computer Misuse",
                        b + 1 == n ? "." : "");
            }
        }
        fputs(sep, f);
    }
    fprintf(f,
            "DISCLAIMER: Please refer to "
            "<http://www.itu.int/en/Pages/copyright.aspx>%s",
            sep);
    if (rnd(2)) {
        const char *month = months[rnd(12)];
        fprintf(f, "Last updated on %u%s %s 2015%s", 1 + rnd(28), "th", month,
                collapsed ? "" : "\n");
    } else if (!collapsed)
        fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

static void title_case(const char *upper, char *out, size_t cap)
{
    size_t i = 0;
    for (; upper[i] && i + 1 < cap; i++)
        out[i] = (char)(i == 0 || upper[i - 1] == ' '
                            ? upper[i]
                            : (upper[i] >= 'A' && upper[i] <= 'Z'
                                   ? upper[i] - 'A' + 'a'
                                   : upper[i]));
    out[i] = '\0';
}

static int write_home(const char *home, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data", home);
    mkdir(home, 0777);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof path, "%s/data/countries.csv", home);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("iso3,name,region,aliases\n", f);
    for (size_t i = 0; i < n; i++) {
        char code[4];
        code_of(i, code);
        fprintf(f, "%s,Benchland %s,Bench,Republic of Benchland %s\n", code,
                code, code);
    }
    if (fclose(f) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/data/groups.csv", home);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("group,iso3\n", f);
    for (size_t i = 0; i < n && i < 50; i++) {
        char code[4];
        code_of(i, code);
        fprintf(f, "BENCH50,%s\n", code);
    }
    return fclose(f) != 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *home = NULL;
    int a = 1;
    for (; a < argc && !strncmp(argv[a], "--", 2); a++) {
        if (!strcmp(argv[a], "--seed") && a + 1 < argc)
            rng_state ^= strtoull(argv[++a], NULL, 10) * 2654435761u + 1;
        else if (!strcmp(argv[a], "--home") && a + 1 < argc)
            home = argv[++a];
        else
            break;
    }
    if (argc - a != 2) {
        fputs("usage: genprofiles [--seed S] [--home DIR] N OUTDIR\n", stderr);
        return 2;
    }
    char *end;
    unsigned long n = strtoul(argv[a], &end, 10);
    if (*end || n == 0 || n > 10000000) {
        fputs("genprofiles: N must be 1..10000000\n", stderr);
        return 2;
    }
    size_t n_countries = n < 17576 ? n : 17576;
    const char *out = argv[a + 1];
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        perror(out);
        return 1;
    }
    if (home && write_home(home, n_countries) != 0) {
        perror(home);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        char path[4096], title[64], name[64];
        snprintf(path, sizeof path, "%s/p%06zu.txt", out, i);
        if (home) {
            char code[4];
            code_of(i % n_countries, code);
            snprintf(title, sizeof title, "%sBENCHLAND %s",
                     i % 5 == 0 ? "REPUBLIC OF " : "", code);
            snprintf(name, sizeof name, "Benchland %s", code);
        } else {
            const char *t =
                real_names[i % (sizeof real_names / sizeof *real_names)];
            snprintf(title, sizeof title, "%s", t);
            title_case(strncmp(t, "THE ", 4) ? t : t + 4, name, sizeof name);
        }
        FILE *f = fopen(path, "w");
        if (!f || write_profile(f, title, name, i, i % 2 == 1) != 0 ||
            fclose(f) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}
