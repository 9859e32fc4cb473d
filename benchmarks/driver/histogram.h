/*
 * A log-linear latency histogram in microseconds (2048 exact values, then 1024 sub-buckets per power of two:
 * at most 0.1 % above the true value, never below it). Used by dc09load and fsyncprobe; shares no code with arc4j.
 */
#ifndef HISTOGRAM_H
#define HISTOGRAM_H

#include <stdint.h>

/* ---- latency histogram: log-linear, 1 us unit, 2048 exact values then 1024 sub-buckets per power of two ---- */
#define SUB_BITS 10
#define SUB (1u << SUB_BITS)
#define LINEAR (2u * SUB)
#define MAGNITUDES 40
#define BUCKETS (LINEAR + MAGNITUDES * SUB)

typedef struct {
    uint64_t counts[BUCKETS];
    uint64_t total;
    uint64_t max;
} histogram;

static inline unsigned bucket_of(uint64_t v) {
    if (v < LINEAR) {
        return (unsigned)v;
    }
    unsigned top = 63u - (unsigned)__builtin_clzll(v); /* >= SUB_BITS + 1 */
    unsigned shift = top - SUB_BITS;
    unsigned idx = LINEAR + (top - SUB_BITS - 1) * SUB + (unsigned)((v >> shift) - SUB);
    return idx < BUCKETS ? idx : BUCKETS - 1;
}

/* the highest value that falls in a bucket, so that a percentile is never understated */
static inline uint64_t bucket_high(unsigned idx) {
    if (idx < LINEAR) {
        return idx;
    }
    unsigned m = (idx - LINEAR) / SUB;
    unsigned s = (idx - LINEAR) % SUB;
    unsigned shift = m + 1;
    return ((uint64_t)(SUB + s + 1) << shift) - 1;
}

static inline void record(histogram *h, uint64_t us) {
    h->counts[bucket_of(us)]++;
    h->total++;
    if (us > h->max) {
        h->max = us;
    }
}

static inline uint64_t percentile(const histogram *h, double p) {
    if (h->total == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
    if (rank < 1) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (unsigned i = 0; i < BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t hi = bucket_high(i);
            return hi < h->max ? hi : h->max;
        }
    }
    return h->max;
}

#endif
