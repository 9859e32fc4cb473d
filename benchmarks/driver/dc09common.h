/*
 * Shared by the load driver and the null receiver only (never by the centre): DC-09 framing helpers.
 * A DC-09 frame (SIA DC-09 section 5.5) is LF, four hex digits of CRC-16/ARC, "0" and three hex digits of
 * length, the content from the id token's opening quote, then CR. CRC and length cover the content only.
 */
#ifndef DC09COMMON_H
#define DC09COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* CRC-16/ARC: polynomial 0x8005 bit-reflected (0xA001), initial value 0, no final xor. */
static inline uint16_t crc16_arc(const unsigned char *p, size_t n) {
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
        }
    }
    return crc;
}

/* Wraps content into a frame in out (which must hold len + 10 bytes); returns the frame length. */
static inline size_t dc09_wrap(const char *content, size_t len, char *out) {
    char head[16];
    snprintf(head, sizeof head, "%04X0%03X", crc16_arc((const unsigned char *)content, len), (unsigned)len);
    out[0] = '\n';
    memcpy(out + 1, head, 8);
    memcpy(out + 9, content, len);
    out[9 + len] = '\r';
    return len + 10;
}

/*
 * Finds one whole frame at the start of buf (skipping bytes before an LF). Returns the bytes consumed (0 when
 * more are needed) and sets *content / *clen to the content, or *clen = -1 if the frame's CRC or form is bad.
 */
static inline size_t dc09_next(const char *buf, size_t n, const char **content, int *clen) {
    size_t i = 0;
    while (i < n && buf[i] != '\n') {
        i++;
    }
    if (i == n) {
        return n; /* garbage only: drop it */
    }
    if (n - i < 9) {
        return 0;
    }
    unsigned crc = 0, len = 0;
    char h[9];
    memcpy(h, buf + i + 1, 8);
    h[8] = 0;
    if (sscanf(h, "%4x", &crc) != 1 || h[4] != '0' || sscanf(h + 5, "%3x", &len) != 1) {
        *clen = -1;
        *content = NULL;
        return i + 1;
    }
    if (n - i < 10 + (size_t)len) {
        return 0;
    }
    *content = buf + i + 9;
    if (buf[i + 9 + len] != '\r' || crc16_arc((const unsigned char *)*content, len) != crc) {
        *clen = -1;
    } else {
        *clen = (int)len;
    }
    return i + 10 + len;
}

/* The DC-09 timestamp "_HH:MM:SS,MM-DD-YYYY" of the wall clock, UTC, into out (21 bytes with NUL). */
static inline void dc09_timestamp(char *out, size_t cap) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, cap, "_%02d:%02d:%02d,%02d-%02d-%04d", tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_year + 1900);
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
