/*
 * dc09load: an open-loop DC-09 load driver that shares no code with arc4j.
 *
 * N TCP connections, each its own panel account. Messages are due on a constant-rate schedule fixed before the
 * run (message k of connection i is due at t0 + (k*N + i)/R), and each connection keeps at most one message
 * outstanding, as a panel does. A message's latency runs from the time it was due, not from the time it was
 * sent: a connection still waiting for its previous ACK when the next message falls due sends it at once when
 * the ACK arrives, and that wait counts (no coordinated omission).
 *
 * Usage: dc09load [-H host] [-p port] [-c connections] [-r events/s] [-d seconds] [-w warmup-seconds]
 *                 [-a first-account] [-z account-digits] [-t timeout-ms] [-l label]
 * Connection i's account is first-account + i in decimal, left-padded with zeros to account-digits (-z; DC-09
 * allows 3 to 16): panels' fixed-width accounts, and a way to give each run its own accounts ("-a" alone can
 * collide with an earlier run's range, whose frames a receiver would rightly take for retransmissions).
 *        dc09load -T   (checks the latency histogram and exits)
 * Prints percentiles, counts and one machine-readable line starting with "RESULT".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dc09common.h"
#include "histogram.h"

/* ---- connections ---- */
typedef struct {
    int fd;
    unsigned index;
    char account[17];
    uint64_t next_k;      /* the next message to send */
    int outstanding;      /* a message waits for its answer */
    uint64_t due_ns;      /* when the outstanding message was due */
    uint64_t sent_ns;     /* when it was sent */
    unsigned seq;         /* its sequence number, 1..9999 */
    char rbuf[4096];
    size_t rlen;
    char wbuf[256];
    size_t wlen, woff;
} conn;

static struct {
    const char *host;
    int port, conns, warmup_s;
    double rate, duration_s;
    unsigned long first_account;
    int account_digits;
    uint64_t timeout_ns;
    const char *label;
} cfg = {"127.0.0.1", 7100, 300, 1, 1000.0, 10.0, 100000, 0, 10000000000ull, "dc09load"};

static conn *cs;
static int ep;
static uint64_t t0; /* due(g) = t0 + g * 1e9 / rate */
static uint64_t in_flight; /* connections with a message outstanding */
static uint64_t sent, acked, naks, bad, stale, timeouts, write_errors, warm_acked;
static histogram hist;

static uint64_t due_of(uint64_t g) {
    return t0 + (uint64_t)((double)g * 1e9 / cfg.rate);
}

static uint64_t due_of_conn(const conn *c, uint64_t k) {
    return due_of(k * (uint64_t)cfg.conns + c->index);
}

static void arm_out(conn *c, int on) {
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void flush_conn(conn *c) {
    while (c->woff < c->wlen) {
        ssize_t w = write(c->fd, c->wbuf + c->woff, c->wlen - c->woff);
        if (w < 0) {
            if (errno == EAGAIN) {
                arm_out(c, 1);
                return;
            }
            write_errors++;
            c->wlen = c->woff = 0;
            return;
        }
        c->woff += (size_t)w;
    }
    c->wlen = c->woff = 0;
}

static void send_next(conn *c, uint64_t now) {
    char content[200], ts[80];
    c->seq = c->seq % 9999 + 1;
    dc09_timestamp(ts, sizeof ts);
    int n = snprintf(content, sizeof content, "\"SIA-DCS\"%04uR0L0#%s[#%s|Nri1/BA%03u]%s", c->seq, c->account,
                     c->account, (unsigned)(c->next_k % 999) + 1, ts);
    c->due_ns = due_of_conn(c, c->next_k);
    c->next_k++;
    c->outstanding = 1;
    in_flight++;
    c->sent_ns = now;
    c->wlen = dc09_wrap(content, (size_t)n, c->wbuf);
    c->woff = 0;
    sent++;
    flush_conn(c);
}

static void answered(conn *c, uint64_t now, int ok) {
    if (ok) {
        if (c->due_ns >= t0 + (uint64_t)cfg.warmup_s * 1000000000ull) {
            record(&hist, now > c->due_ns ? (now - c->due_ns) / 1000 : 0);
            acked++;
        } else {
            warm_acked++;
        }
    } else {
        naks++;
    }
    c->outstanding = 0;
    in_flight--;
}

static void on_readable(conn *c, uint64_t now, uint64_t end_ns) {
    for (;;) {
        ssize_t r = read(c->fd, c->rbuf + c->rlen, sizeof c->rbuf - c->rlen);
        if (r <= 0) {
            if (r == 0 || errno != EAGAIN) {
                fprintf(stderr, "connection %u (%s) closed by the receiver\n", c->index, c->account);
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = -1;
            }
            break;
        }
        int more = c->rlen + (size_t)r == sizeof c->rbuf; /* a short read emptied the socket */
        c->rlen += (size_t)r;
        size_t off = 0;
        for (;;) {
            const char *content = NULL;
            int clen = 0;
            size_t used = dc09_next(c->rbuf + off, c->rlen - off, &content, &clen);
            if (used == 0) {
                break;
            }
            off += used;
            if (clen < 0 || content == NULL) {
                bad++;
                continue;
            }
            if (clen >= 9 && memcmp(content, "\"ACK\"", 5) == 0) {
                unsigned seq = 0;
                sscanf(content + 5, "%4u", &seq);
                if (c->outstanding && seq == c->seq) {
                    answered(c, now, 1);
                } else {
                    stale++;
                }
            } else if (clen >= 5 && (memcmp(content, "\"NAK\"", 5) == 0 || memcmp(content, "\"DUH\"", 5) == 0)) {
                if (c->outstanding) {
                    answered(c, now, 0);
                } else {
                    stale++;
                }
            } else {
                bad++;
            }
        }
        memmove(c->rbuf, c->rbuf + off, c->rlen - off);
        c->rlen -= off;
        if (c->rlen == sizeof c->rbuf) {
            c->rlen = 0; /* a frame longer than the buffer: not DC-09 */
            bad++;
        }
        if (!more) {
            break; /* level-triggered epoll reports the socket again if more came meanwhile */
        }
    }
    /* catching up: a message that fell due while this one was outstanding goes out now, still timed from its due */
    if (c->fd >= 0 && !c->outstanding && due_of_conn(c, c->next_k) <= now && due_of_conn(c, c->next_k) < end_ns) {
        send_next(c, now);
    }
}

static int connect_one(void) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg.port)};
    if (inet_pton(AF_INET, cfg.host, &a.sin_addr) != 1) {
        fprintf(stderr, "bad host %s (an IPv4 address)\n", cfg.host);
        exit(2);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        exit(2);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* -T: checks the histogram against values whose percentiles are known; prints what it found, exits 0 if right */
static int self_check(void) {
    static histogram h;
    for (uint64_t v = 1; v <= 1000000; v++) {
        record(&h, v);
    }
    const double ps[] = {50, 90, 99, 99.9, 100};
    int ok = h.total == 1000000 && h.max == 1000000;
    for (int i = 0; i < 5; i++) {
        uint64_t want = (uint64_t)(ps[i] * 10000.0 + 0.5);
        uint64_t got = percentile(&h, ps[i]);
        /* never below the true value, at most one sub-bucket (1/1024) above it */
        int right = got >= want && (double)(got - want) <= (double)want / 1024.0 + 1.0;
        printf("p%g want %lu got %lu %s\n", ps[i], (unsigned long)want, (unsigned long)got, right ? "ok" : "WRONG");
        ok &= right;
    }
    for (uint64_t v = 0; v < (1ull << 36); v = v * 3 + 1) {
        uint64_t hi = bucket_high(bucket_of(v));
        if (hi < v || (double)(hi - v) > (double)v / 1024.0 + 1.0) {
            printf("value %lu lands in a bucket ending at %lu: WRONG\n", (unsigned long)v, (unsigned long)hi);
            ok = 0;
        }
    }
    printf("histogram self-check %s\n", ok ? "passed" : "FAILED");
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    int opt;
    while ((opt = getopt(argc, argv, "H:p:c:r:d:w:a:z:t:l:T")) != -1) {
        switch (opt) {
        case 'T': return self_check();
        case 'H': cfg.host = optarg; break;
        case 'p': cfg.port = atoi(optarg); break;
        case 'c': cfg.conns = atoi(optarg); break;
        case 'r': cfg.rate = atof(optarg); break;
        case 'd': cfg.duration_s = atof(optarg); break;
        case 'w': cfg.warmup_s = atoi(optarg); break;
        case 'a': cfg.first_account = strtoul(optarg, NULL, 10); break;
        case 'z': cfg.account_digits = atoi(optarg); break;
        case 't': cfg.timeout_ns = (uint64_t)atoll(optarg) * 1000000ull; break;
        case 'l': cfg.label = optarg; break;
        default:
            fprintf(stderr, "usage: %s [-H host] [-p port] [-c conns] [-r ev/s] [-d s] [-w warmup s] "
                            "[-a first account] [-z account digits] [-t timeout ms] [-l label]\n", argv[0]);
            return 2;
        }
    }
    if (cfg.conns < 1 || cfg.rate <= 0 || cfg.duration_s <= 0 || cfg.warmup_s < 0 || cfg.warmup_s >= cfg.duration_s) {
        fprintf(stderr, "need conns >= 1, rate > 0, 0 <= warmup < duration\n");
        return 2;
    }
    char last[24];
    int last_len = snprintf(last, sizeof last, "%0*lu", cfg.account_digits, cfg.first_account + (unsigned long)cfg.conns - 1);
    if (cfg.account_digits < 0 || cfg.account_digits > 16 || last_len < 3 || last_len > 16) {
        fprintf(stderr, "an account has 3 to 16 digits: %s\n", last);
        return 2;
    }
    /* the kernel may round timer expiries up by the slack (50 us by default): ask for none */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    ep = epoll_create1(0);
    cs = calloc((size_t)cfg.conns, sizeof *cs);
    for (int i = 0; i < cfg.conns; i++) {
        conn *c = &cs[i];
        c->index = (unsigned)i;
        snprintf(c->account, sizeof c->account, "%0*lu", cfg.account_digits, cfg.first_account + (unsigned long)i);
        c->fd = connect_one();
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    t0 = now_ns() + 100000000ull; /* start 100 ms after the last connect */
    uint64_t end_ns = t0 + (uint64_t)(cfg.duration_s * 1e9);
    uint64_t total = (uint64_t)(cfg.duration_s * cfg.rate);
    uint64_t g = 0;
    uint64_t last_sweep = 0;
    struct epoll_event evs[256];
    for (;;) {
        uint64_t now = now_ns();
        /* every message whose time has come goes out, unless its connection still waits for an answer */
        while (g < total && due_of(g) <= now) {
            conn *c = &cs[g % (uint64_t)cfg.conns];
            uint64_t k = g / (uint64_t)cfg.conns;
            if (c->fd >= 0 && !c->outstanding && c->next_k <= k) {
                send_next(c, now_ns());
            }
            g++;
        }
        if (now > last_sweep + 100000000ull) {
            last_sweep = now;
            for (int i = 0; i < cfg.conns; i++) {
                conn *c = &cs[i];
                if (c->outstanding && now > c->sent_ns && now - c->sent_ns > cfg.timeout_ns) {
                    timeouts++;
                    c->outstanding = 0;
                    in_flight--;
                    uint64_t due = due_of_conn(c, c->next_k);
                    if (c->fd >= 0 && due <= now && due < end_ns) {
                        send_next(c, now);
                    }
                }
            }
        }
        if (g >= total && in_flight == 0) {
            break;
        }
        if (g >= total && now > end_ns + cfg.timeout_ns + 200000000ull) {
            break;
        }
        /* sleep to the next due time with nanosecond resolution (epoll_wait's milliseconds are too coarse) */
        uint64_t wake = g < total ? due_of(g) : now + 100000000ull;
        now = now_ns();
        uint64_t wait_ns = wake > now ? wake - now : 0;
        struct timespec tmo = {.tv_sec = (time_t)(wait_ns / 1000000000ull), .tv_nsec = (long)(wait_ns % 1000000000ull)};
        int n = epoll_pwait2(ep, evs, 256, &tmo, NULL);
        now = now_ns();
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (evs[i].events & EPOLLOUT) {
                flush_conn(c);
                if (c->wlen == 0) {
                    arm_out(c, 0);
                }
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                on_readable(c, now_ns(), end_ns);
            }
        }
    }
    uint64_t unsent = 0, cutoff = 0;
    for (int i = 0; i < cfg.conns; i++) {
        conn *c = &cs[i];
        uint64_t should = 0;
        while (due_of_conn(c, should) < end_ns && should * (uint64_t)cfg.conns + c->index < total) {
            should++;
        }
        unsent += should - c->next_k;
        if (c->outstanding) {
            cutoff++; /* still waiting when the drain time (the timeout after the last due time) ran out */
        }
    }
    double measured_s = cfg.duration_s - cfg.warmup_s;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                   ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    printf("%s: %d connections (one account each, %s..%s), %.0f ev/s for %.1f s (first %d s warm-up, not "
           "counted); the driver used %.2f s of CPU\n", cfg.label, cfg.conns, cs[0].account, last, cfg.rate,
           cfg.duration_s, cfg.warmup_s, cpu_s);
    printf("  sent %lu, acked %lu (+%lu in warm-up), nak/duh %lu, timeouts %lu, unanswered at the end %lu, "
           "never sent (behind) %lu, bad frames %lu, stale answers %lu, write errors %lu\n",
           (unsigned long)sent, (unsigned long)acked, (unsigned long)warm_acked, (unsigned long)naks,
           (unsigned long)timeouts, (unsigned long)cutoff, (unsigned long)unsent, (unsigned long)bad, (unsigned long)stale,
           (unsigned long)write_errors);
    printf("  latency from the due time (us): p50 %lu  p90 %lu  p99 %lu  p99.9 %lu  max %lu\n",
           (unsigned long)percentile(&hist, 50), (unsigned long)percentile(&hist, 90),
           (unsigned long)percentile(&hist, 99), (unsigned long)percentile(&hist, 99.9), (unsigned long)hist.max);
    printf("RESULT label=%s conns=%d rate=%.0f duration_s=%.1f warmup_s=%d achieved_rate=%.0f sent=%lu acked=%lu "
           "warmup_acked=%lu nak=%lu timeouts=%lu cutoff=%lu unsent=%lu bad=%lu stale=%lu p50_us=%lu p90_us=%lu p99_us=%lu "
           "p999_us=%lu max_us=%lu driver_cpu_s=%.2f\n",
           cfg.label, cfg.conns, cfg.rate, cfg.duration_s, cfg.warmup_s, (double)acked / measured_s,
           (unsigned long)sent, (unsigned long)acked, (unsigned long)warm_acked, (unsigned long)naks,
           (unsigned long)timeouts, (unsigned long)cutoff, (unsigned long)unsent, (unsigned long)bad,
           (unsigned long)stale, (unsigned long)percentile(&hist, 50), (unsigned long)percentile(&hist, 90),
           (unsigned long)percentile(&hist, 99), (unsigned long)percentile(&hist, 99.9), (unsigned long)hist.max, cpu_s);
    return (timeouts == 0 && cutoff == 0 && naks == 0 && unsent == 0 && bad == 0) ? 0 : 1;
}
