/*
 * dc09soak: the panels of the soak test, a DC-09 driver that shares no code with arc4j (its framing helpers are
 * the load driver's, ../driver/dc09common.h).
 *
 * N TCP connections, each a panel with its own account, kept open for the whole run. Each panel sends a NULL poll
 * every P seconds (the panels' phases spread evenly over P) and the panels together send new alarms at R per
 * second (alarm g is due at t0 + g/R and belongs to panel g mod N). A panel has at most one message outstanding;
 * a message due while it waits is sent when the answer comes, and latency runs from the time it was due (no
 * coordinated omission). A message unanswered after the timeout is counted as a timeout and the panel moves on.
 *
 * Usage: dc09soak [-H host] [-p port] [-c panels] [-P poll-seconds] [-r alarms/s] [-d seconds] [-a first-account]
 *                 [-i report-seconds] [-t timeout-ms] [-w warm-up-seconds]
 * Prints one "INTERVAL" line per report interval (alarm latency of that interval, counts so far) and one "RESULT"
 * line at the end (its percentiles leave out the alarms due in the warm-up, default 60 s: class loading and JIT);
 * everything else goes to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../driver/dc09common.h"

/* ---- latency histogram in microseconds: exact below 1,024, then 64 steps per power of two (under 1.6 %) ---- */
#define STEPS 64
#define NBUCKETS (1024 + 54 * STEPS)

typedef struct {
    uint64_t n[NBUCKETS];
    uint64_t total, max;
} hist;

static unsigned slot(uint64_t us) {
    if (us < 1024) {
        return (unsigned)us;
    }
    unsigned msb = 63u - (unsigned)__builtin_clzll(us); /* >= 10 */
    unsigned step = (unsigned)((us >> (msb - 6)) & (STEPS - 1));
    unsigned i = 1024 + (msb - 10) * STEPS + step;
    return i < NBUCKETS ? i : NBUCKETS - 1;
}

/* the largest value of a slot, so a percentile is never understated */
static uint64_t slot_top(unsigned i) {
    if (i < 1024) {
        return i;
    }
    unsigned msb = (i - 1024) / STEPS + 10;
    unsigned step = (i - 1024) % STEPS;
    return ((uint64_t)(STEPS + step + 1) << (msb - 6)) - 1;
}

static void add(hist *h, uint64_t us) {
    h->n[slot(us)]++;
    h->total++;
    if (us > h->max) {
        h->max = us;
    }
}

static double pct_ms(const hist *h, double p) {
    if (h->total == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
    rank = rank < 1 ? 1 : rank;
    uint64_t seen = 0;
    for (unsigned i = 0; i < NBUCKETS; i++) {
        seen += h->n[i];
        if (seen >= rank) {
            uint64_t v = slot_top(i);
            return (double)(v < h->max ? v : h->max) / 1000.0;
        }
    }
    return (double)h->max / 1000.0;
}

/* ---- panels ---- */
enum { NONE = 0, POLL = 1, ALARM = 2 };

typedef struct {
    int fd;
    unsigned index;
    char account[16];
    uint64_t next_poll_ns;  /* when its next poll is due */
    uint64_t next_alarm;    /* the global number of its next alarm */
    int outstanding;        /* NONE, POLL or ALARM */
    uint64_t due_ns, sent_ns;
    unsigned seq;
    char rbuf[2048];
    size_t rlen;
    char wbuf[256];
    size_t wlen, woff;
} panel;

static struct {
    const char *host;
    int port, panels, report_s, warmup_s;
    double poll_s, rate, duration_s;
    unsigned long first_account;
    uint64_t timeout_ns;
} cfg = {"127.0.0.1", 7100, 10000, 60, 60, 90.0, 50.0, 600.0, 300000, 10000000000ull};

static panel *ps;
static int ep;
static uint64_t t0;
static uint64_t sent[3], acked[3], naks, bad, stale, timeouts, write_errors, closed_by_peer;
static hist alarms_all, polls_all, alarms_interval;

static uint64_t alarm_due(uint64_t g) {
    return t0 + (uint64_t)((double)g * 1e9 / cfg.rate);
}

static void want_write(panel *p, int on) {
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = p};
    epoll_ctl(ep, EPOLL_CTL_MOD, p->fd, &ev);
}

static void flush(panel *p) {
    while (p->woff < p->wlen) {
        ssize_t w = write(p->fd, p->wbuf + p->woff, p->wlen - p->woff);
        if (w < 0) {
            if (errno == EAGAIN) {
                want_write(p, 1);
                return;
            }
            write_errors++;
            break;
        }
        p->woff += (size_t)w;
    }
    p->wlen = p->woff = 0;
}

static void send_msg(panel *p, int kind, uint64_t due, uint64_t now) {
    char content[200], ts[40];
    int n;
    p->seq = p->seq % 9999 + 1;
    dc09_timestamp(ts, sizeof ts);
    if (kind == POLL) {
        n = snprintf(content, sizeof content, "\"NULL\"%04uR0L0#%s[]%s", p->seq, p->account, ts);
    } else {
        n = snprintf(content, sizeof content, "\"SIA-DCS\"%04uR0L0#%s[#%s|Nri1/BA%03u]%s", p->seq, p->account,
                     p->account, (unsigned)(p->next_alarm / (uint64_t)cfg.panels % 999) + 1, ts);
    }
    p->outstanding = kind;
    p->due_ns = due;
    p->sent_ns = now;
    p->wlen = dc09_wrap(content, (size_t)n, p->wbuf);
    p->woff = 0;
    sent[kind]++;
    flush(p);
}

/* sends the earliest message due, if any and nothing is outstanding */
static void maybe_send(panel *p, uint64_t now, uint64_t end_ns) {
    if (p->outstanding != NONE || p->fd < 0) {
        return;
    }
    uint64_t a = alarm_due(p->next_alarm);
    uint64_t q = p->next_poll_ns;
    if (a <= q && a <= now && a < end_ns) {
        p->next_alarm += (uint64_t)cfg.panels;
        send_msg(p, ALARM, a, now);
    } else if (q <= now && q < end_ns) {
        p->next_poll_ns += (uint64_t)(cfg.poll_s * 1e9);
        send_msg(p, POLL, q, now);
    }
}

/* when the panel next needs the scan: its timeout while it waits, else its next message (UINT64_MAX: none) */
static uint64_t next_due(const panel *p) {
    if (p->fd < 0) {
        return UINT64_MAX;
    }
    if (p->outstanding != NONE) {
        return p->sent_ns + cfg.timeout_ns + 1;
    }
    uint64_t a = alarm_due(p->next_alarm);
    return a < p->next_poll_ns ? a : p->next_poll_ns;
}

static void answered(panel *p, const char *content, int len, uint64_t now) {
    if (len < 0) {
        bad++;
        return;
    }
    if (p->outstanding == NONE) {
        stale++;
        return;
    }
    char want[8];
    snprintf(want, sizeof want, "%04u", p->seq);
    const char *q = memchr(content + 1, '"', (size_t)(len > 1 ? len - 1 : 0));
    if (q == NULL || q + 5 > content + len || memcmp(q + 1, want, 4) != 0) {
        stale++; /* the answer to a message we gave up on */
        return;
    }
    if (len >= 5 && memcmp(content, "\"ACK\"", 5) == 0) {
        uint64_t us = now > p->due_ns ? (now - p->due_ns) / 1000 : 0;
        acked[p->outstanding]++;
        int warm = p->due_ns < t0 + (uint64_t)cfg.warmup_s * 1000000000ull;
        if (p->outstanding == ALARM) {
            if (!warm) {
                add(&alarms_all, us);
            }
            add(&alarms_interval, us);
        } else if (!warm) {
            add(&polls_all, us);
        }
    } else {
        naks++;
    }
    p->outstanding = NONE;
}

static void on_readable(panel *p, uint64_t now) {
    for (;;) {
        ssize_t r = read(p->fd, p->rbuf + p->rlen, sizeof p->rbuf - p->rlen);
        if (r <= 0) {
            if (r == 0 || errno != EAGAIN) {
                closed_by_peer++;
                epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
                close(p->fd);
                p->fd = -1;
            }
            return;
        }
        p->rlen += (size_t)r;
        size_t off = 0;
        for (;;) {
            const char *content = NULL;
            int clen = 0;
            size_t used = dc09_next(p->rbuf + off, p->rlen - off, &content, &clen);
            if (used == 0) {
                break;
            }
            if (content != NULL || clen < 0) {
                answered(p, content, clen, now);
            }
            off += used;
        }
        memmove(p->rbuf, p->rbuf + off, p->rlen - off);
        p->rlen -= off;
    }
}

static int connect_panel(panel *p, const struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (int attempt = 0; connect(fd, (const struct sockaddr *)a, sizeof *a) != 0; attempt++) {
        if (attempt == 20) {
            close(fd);
            return -1;
        }
        usleep(100000);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    p->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = p};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void interval_line(uint64_t now) {
    printf("INTERVAL t=%.0f alarms=%lu p50=%.2f p99=%.2f p99.9=%.2f max=%.2f | total alarms sent=%lu acked=%lu "
           "polls sent=%lu acked=%lu nak=%lu timeouts=%lu closed=%lu\n",
           (double)(now - t0) / 1e9, (unsigned long)alarms_interval.total, pct_ms(&alarms_interval, 50),
           pct_ms(&alarms_interval, 99), pct_ms(&alarms_interval, 99.9), (double)alarms_interval.max / 1000.0,
           (unsigned long)sent[ALARM], (unsigned long)acked[ALARM], (unsigned long)sent[POLL],
           (unsigned long)acked[POLL], (unsigned long)naks, (unsigned long)timeouts, (unsigned long)closed_by_peer);
    fflush(stdout);
    memset(&alarms_interval, 0, sizeof alarms_interval);
}

int main(int argc, char **argv) {
    int o;
    while ((o = getopt(argc, argv, "H:p:c:P:r:d:a:i:t:w:")) != -1) {
        switch (o) {
            case 'H': cfg.host = optarg; break;
            case 'p': cfg.port = atoi(optarg); break;
            case 'c': cfg.panels = atoi(optarg); break;
            case 'P': cfg.poll_s = atof(optarg); break;
            case 'r': cfg.rate = atof(optarg); break;
            case 'd': cfg.duration_s = atof(optarg); break;
            case 'a': cfg.first_account = strtoul(optarg, NULL, 10); break;
            case 'i': cfg.report_s = atoi(optarg); break;
            case 't': cfg.timeout_ns = strtoull(optarg, NULL, 10) * 1000000ull; break;
            case 'w': cfg.warmup_s = atoi(optarg); break;
            default:
                fprintf(stderr, "usage: dc09soak [-H host] [-p port] [-c panels] [-P poll-s] [-r alarms/s] "
                                "[-d seconds] [-a first-account] [-i report-s] [-t timeout-ms] [-w warm-up-s]\n");
                return 2;
        }
    }
    if (cfg.panels < 1 || cfg.rate <= 0 || cfg.poll_s <= 0 || cfg.duration_s <= 0 || cfg.report_s < 1) {
        fprintf(stderr, "dc09soak: panels, rate, poll interval, duration and report interval must be positive\n");
        return 2;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg.port)};
    if (inet_pton(AF_INET, cfg.host, &a.sin_addr) != 1) {
        fprintf(stderr, "dc09soak: bad host %s\n", cfg.host);
        return 2;
    }
    ep = epoll_create1(0);
    ps = calloc((size_t)cfg.panels, sizeof *ps);
    for (int i = 0; i < cfg.panels; i++) {
        panel *p = &ps[i];
        p->index = (unsigned)i;
        snprintf(p->account, sizeof p->account, "%06lu", cfg.first_account + (unsigned long)i);
        if (connect_panel(p, &a) != 0) {
            fprintf(stderr, "dc09soak: panel %d could not connect: %s\n", i, strerror(errno));
            return 1;
        }
    }
    fprintf(stderr, "dc09soak: %d panels connected\n", cfg.panels);
    t0 = now_ns();
    uint64_t end_ns = t0 + (uint64_t)(cfg.duration_s * 1e9);
    uint64_t poll_ns = (uint64_t)(cfg.poll_s * 1e9);
    for (int i = 0; i < cfg.panels; i++) {
        ps[i].next_poll_ns = t0 + poll_ns / (uint64_t)cfg.panels * (uint64_t)i;
        ps[i].next_alarm = (uint64_t)i;
    }
    uint64_t next_report = t0 + (uint64_t)cfg.report_s * 1000000000ull;
    uint64_t next_scan = t0;
    int busy = 1;
    struct epoll_event evs[512];
    for (;;) {
        uint64_t now = now_ns();
        if (now >= next_scan || now >= end_ns) {
            /* only when something falls due: a scan of every panel is the driver's main cost */
            next_scan = UINT64_MAX;
            busy = 0;
            for (int i = 0; i < cfg.panels; i++) {
                panel *p = &ps[i];
                if (p->outstanding != NONE && now - p->sent_ns > cfg.timeout_ns) {
                    timeouts++;
                    p->outstanding = NONE;
                }
                maybe_send(p, now, end_ns);
                busy |= p->outstanding != NONE;
                uint64_t d = next_due(p);
                next_scan = d < next_scan ? d : next_scan;
            }
        }
        if (now >= next_report) {
            interval_line(now);
            next_report += (uint64_t)cfg.report_s * 1000000000ull;
        }
        if (now >= end_ns && !busy) {
            break;
        }
        uint64_t until = next_scan < next_report ? next_scan : next_report;
        if (now >= end_ns) {
            until = now + 1000000; /* draining: look again every millisecond */
        }
        uint64_t wait = until > now ? until - now : 0;
        struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000ull), .tv_nsec = (long)(wait % 1000000000ull)};
        int n = epoll_pwait2(ep, evs, 512, &ts, NULL);
        now = now_ns();
        for (int k = 0; k < n; k++) {
            panel *p = evs[k].data.ptr;
            if (evs[k].events & EPOLLOUT) {
                want_write(p, 0);
                flush(p);
            }
            if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                on_readable(p, now);
                maybe_send(p, now, end_ns);
                uint64_t d = next_due(p);
                next_scan = d < next_scan ? d : next_scan;
            }
        }
    }
    if (alarms_interval.total > 0) {
        interval_line(now_ns());
    }
    printf("RESULT panels=%d poll_s=%.0f rate=%.1f duration_s=%.0f warmup_s=%d alarms_sent=%lu alarms_acked=%lu "
           "polls_sent=%lu polls_acked=%lu nak=%lu bad=%lu stale=%lu timeouts=%lu write_errors=%lu closed=%lu "
           "alarm_p50_ms=%.2f alarm_p99_ms=%.2f alarm_p999_ms=%.2f alarm_max_ms=%.2f poll_p99_ms=%.2f "
           "poll_p999_ms=%.2f\n",
           cfg.panels, cfg.poll_s, cfg.rate, cfg.duration_s, cfg.warmup_s, (unsigned long)sent[ALARM], (unsigned long)acked[ALARM],
           (unsigned long)sent[POLL], (unsigned long)acked[POLL], (unsigned long)naks, (unsigned long)bad,
           (unsigned long)stale, (unsigned long)timeouts, (unsigned long)write_errors, (unsigned long)closed_by_peer,
           pct_ms(&alarms_all, 50), pct_ms(&alarms_all, 99), pct_ms(&alarms_all, 99.9),
           (double)alarms_all.max / 1000.0, pct_ms(&polls_all, 99), pct_ms(&polls_all, 99.9));
    return 0;
}
