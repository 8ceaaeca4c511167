/*
 * Sample chart specs shared by test_plot.c (golden scripts) and
 * test_plotrender.c (real gnuplot): Belgium against Benelux-like peers,
 * plus a hostile title and country name.
 */
#ifndef CYBERWELL_TESTS_PLOT_SAMPLES_H
#define CYBERWELL_TESTS_PLOT_SAMPLES_H

#include <math.h>

#include "io/plot.h"

/* A name and title that would run commands if pasted into a script. */
#define SAMPLE_PWNED "/tmp/cyberwell-plot-pwned"
#define SAMPLE_HOSTILE                                                         \
    "'Evil''`touch " SAMPLE_PWNED                                              \
    "` 'q' \"dq\" @x\nsystem(\"touch " SAMPLE_PWNED "\") # !ls\x1b[31m'"

static const struct plot_meta sample_meta = {"Belgium against EU28-2015 peers",
                                             "gci2014 1.0.0", "2015-02-02"};

static const char *const sample_pillars[] = {
    "Legal", "Technical", "Organizational", "Capacity Building", "Cooperation"};

static const char *const sample_series[] = {
    "Belgium", "Peer median (EU28-2015)", "Netherlands", "Luxembourg",
    "Ireland"};

static const double sample_values[] = {
    1.00, 0.67, 0.50, 0.38, 1.00, /* Belgium */
    0.75, 0.50, 0.50, 0.25, 0.75, /* median */
    0.50, 0.83, 0.75, 0.50, 0.88, /* Netherlands */
    0.75, 0.33, 0.25, 0.13, 0.50, /* Luxembourg */
    0.50, 0.50, NAN,  0.25, 0.63, /* Ireland: one pillar missing */
};

static const struct plot_table sample_table = {
    sample_series, sample_pillars, sample_values, 5, 5, 0, 1};

static const struct plot_bar sample_bars[] = {
    {"Netherlands", 0.735, 1, false, false, "0.735"},
    {"Belgium", 0.706, 2, true, true, "0.706"},
    {"Japan", 0.706, 2, true, false, "0.706"},
    {"United Kingdom", 0.676, 4, false, false, "0.676"},
    {"Ireland", 0.559, 5, false, false, "0.559"},
    {"Italy", 0.500, 6, false, false, "0.500"},
    {"Luxembourg", 0.412, 7, false, false, "0.412"},
    {"Poland", 0.412, 7, true, false, "0.412"},
    {"The former Yugoslav Republic of Macedonia", 0.294, 9, false, false,
     "0.294"},
    {"Papua New Guinea", 0.059, 10, false, false, "0.059"},
};

/* Ties: Luxembourg is not flagged, Poland is: the builder trusts flags. */
static const struct plot_ranking sample_ranking = {
    sample_bars, sizeof sample_bars / sizeof *sample_bars, 0.530,
    "peer median 0.530", "competition"};

static const char *const sample_indicators[] = {
    "1.1.1 Criminal legislation",
    "1.1.2 Regulation and compliance",
    "1.2.1 CIRT",
    "1.2.2 Standards",
    "1.2.3 Certification",
    "1.3.1 Policy"};

static const char *const sample_codes[] = {"BEL", "NLD", "LUX", "IRL"};

static const enum plot_status sample_cells[] = {
    PLOT_PRESENT, PLOT_PRESENT,  PLOT_PARTIAL, PLOT_ABSENT,   PLOT_PRESENT,
    PLOT_PARTIAL, PLOT_ABSENT,   PLOT_UNKNOWN, PLOT_PRESENT,  PLOT_PRESENT,
    PLOT_PRESENT, PLOT_UNSTATED, PLOT_PRESENT, PLOT_ABSENT,   PLOT_UNKNOWN,
    PLOT_PARTIAL, PLOT_ABSENT,   PLOT_ABSENT,  PLOT_UNSTATED, PLOT_ABSENT,
    PLOT_PRESENT, PLOT_PRESENT,  PLOT_PARTIAL, PLOT_PRESENT,
};

/* One overridden status: Belgium's 1.1.2 (row 1, column 0). */
static const bool sample_overridden[6 * 4] = {[1 * 4 + 0] = true};
static const struct plot_heatmap sample_heatmap = {
    sample_indicators, sample_codes, sample_cells, 6, 4, 0, sample_overridden};

static const struct plot_xy sample_points[] = {
    {"BEL", 0.706, 0.671, true},  {"NLD", 0.735, 0.760, false},
    {"JPN", 0.706, 0.786, false}, {"GBR", 0.676, 0.783, false},
    {"IRL", 0.559, 0.585, false}, {"ITA", 0.500, 0.626, false},
    {"LUX", 0.412, 0.536, false}, {"POL", 0.412, 0.510, false},
    {"MKD", 0.294, 0.415, false}, {"OMN", 0.765, 0.871, false},
};

static const struct plot_scatter sample_scatter = {
    sample_points, sizeof sample_points / sizeof *sample_points,
    "computed overall (gci2014 1.0.0)", "published GCI 2017 overall",
    "n = 10, mean |computed - published| = 0.085"};

static const char *const sample_dates[] = {"2013-04", "2014-06-30",
                                           "2015-02-02"};
static const char *const sample_trend_cols[] = {
    "Overall",           "Legal",      "Technical", "Organizational",
    "Capacity Building", "Cooperation"};
static const double sample_trend_values[] = {
    0.53, 0.75, 0.50, 0.50, 0.25, 0.63, /* 2013 */
    0.62, 1.00, 0.50, 0.50, 0.38, 0.75, /* 2014 */
    0.71, 1.00, 0.67, 0.50, 0.38, 1.00, /* 2015 */
};
static const struct plot_table sample_trend = {
    sample_dates, sample_trend_cols, sample_trend_values, 3, 6, -1, -1};

/* Rank intervals: six countries by median rank, Belgium and two peers;
 * the last label is hostile (it reaches the data file only). */
static const struct plot_interval sample_interval_rows[] = {
    {"NLD", 1, 1, 2, 1, false, true},
    {"BEL", 2, 1, 4, 3, true, false},
    {"LUX", 3, 2, 5, 2, false, true},
    {"FRA", 4, 3, 5, 4, false, false},
    {"DEU", 5, 4, 6, 5, false, false},
    {"`id` ' \"@x", 6, 5, 6, 6, false, false}};
static const struct plot_intervals sample_intervals = {
    sample_interval_rows, 6, "Belgium",
    "countries, sorted by median rank; 2,000 draws (seed 1)"};

/* The hostile variants: a title and a country name from a document. */
static const struct plot_meta hostile_meta = {
    SAMPLE_HOSTILE, "gci2014 1.0.0 '`id`'", "2015-02-02\n!rm"};
static const char *const hostile_series[] = {SAMPLE_HOSTILE, "Peer median"};
static const double hostile_values[] = {1.0, 0.5, 0.25, 0.5,
                                        0.5, 0.5, 0.5,  0.5};
static const char *const hostile_axes[] = {"Legal", "Tech`id`nical",
                                           "Organi'zational", "Co\"op"};
static const struct plot_table hostile_table = {
    hostile_series, hostile_axes, hostile_values, 2, 4, 0, 1};

#endif
