/*
 * nullrcv: a null DC-09 receiver that does nothing but answer, to measure a load driver's own overhead.
 * Every well-formed frame is answered at once with an ACK carrying the frame's sequence, receiver, line and
 * account (SIA DC-09 section 5.5: "ACK" then the header fields as received, then empty brackets). One thread,
 * epoll. A line "frames N acks N bad N" goes to stderr when it exits (SIGTERM or SIGINT).
 *
 * Usage: nullrcv [-p port]   (port 0 picks one; the chosen port is printed as "port N" on stdout)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dc09common.h"

typedef struct {
    int fd;
    char buf[8192];
    size_t len;
} peer;

static volatile sig_atomic_t stop;
static unsigned long frames, acks, bad;

static void on_signal(int s) {
    (void)s;
    stop = 1;
}

static void answer(peer *p, const char *content, int clen) {
    /* the header runs from the token's closing quote to the '[' that opens the data */
    const char *q = memchr(content + 1, '"', (size_t)clen - 1);
    const char *b = q == NULL ? NULL : memchr(q, '[', (size_t)(content + clen - q));
    if (q == NULL || b == NULL) {
        bad++;
        return;
    }
    char ack[128], out[160];
    size_t hl = (size_t)(b - (q + 1));
    if (hl > 100) {
        bad++;
        return;
    }
    memcpy(ack, "\"ACK\"", 5);
    memcpy(ack + 5, q + 1, hl);
    memcpy(ack + 5 + hl, "[]", 2);
    size_t n = dc09_wrap(ack, 5 + hl + 2, out);
    /* a 40-odd-byte answer into an empty socket buffer: a short write would mean the peer stopped reading */
    if (write(p->fd, out, n) == (ssize_t)n) {
        acks++;
    }
}

int main(int argc, char **argv) {
    int port = 0, opt;
    while ((opt = getopt(argc, argv, "p:")) != -1) {
        if (opt == 'p') {
            port = atoi(optarg);
        } else {
            fprintf(stderr, "usage: %s [-p port]\n", argv[0]);
            return 2;
        }
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 4096) != 0) {
        perror("bind/listen");
        return 2;
    }
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    int ep = epoll_create1(0);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &lev);
    struct epoll_event evs[256];
    while (!stop) {
        int n = epoll_wait(ep, evs, 256, 200);
        for (int i = 0; i < n; i++) {
            peer *p = evs[i].data.ptr;
            if (p == NULL) {
                int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0) {
                    continue;
                }
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                peer *np = calloc(1, sizeof *np);
                np->fd = fd;
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = np};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                continue;
            }
            ssize_t r = read(p->fd, p->buf + p->len, sizeof p->buf - p->len);
            if (r <= 0) {
                if (r == 0 || errno != EAGAIN) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
                    close(p->fd);
                    free(p);
                }
                continue;
            }
            p->len += (size_t)r;
            size_t off = 0;
            for (;;) {
                const char *content = NULL;
                int clen = 0;
                size_t used = dc09_next(p->buf + off, p->len - off, &content, &clen);
                if (used == 0) {
                    break;
                }
                off += used;
                if (clen <= 0 || content == NULL) {
                    bad++;
                    continue;
                }
                frames++;
                answer(p, content, clen);
            }
            memmove(p->buf, p->buf + off, p->len - off);
            p->len -= off;
            if (p->len == sizeof p->buf) {
                p->len = 0;
                bad++;
            }
        }
    }
    fprintf(stderr, "frames %lu acks %lu bad %lu\n", frames, acks, bad);
    return 0;
}
