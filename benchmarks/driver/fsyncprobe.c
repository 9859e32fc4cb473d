/*
 * fsyncprobe: the disk's own durability floor, as a journal with group commit pays it. Appends a block to a file
 * and calls fdatasync, N times, and prints the percentiles of write + fdatasync. No durable ACK can be faster than
 * this on the same disk, so a centre's ACK latency is judged beside it. Shares no code with arc4j.
 *
 * Usage: fsyncprobe [-d directory] [-n forces] [-s bytes per write] [-r forces per second, 0 = back to back]
 *                   [-l label]
 * The file is created in the directory (default: the current one) and removed at the end; put it on the disk
 * the journal uses. Prints one machine-readable line starting with "RESULT".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dc09common.h"
#include "histogram.h"

static histogram hist;

static void sleep_until(uint64_t t) {
    uint64_t now = now_ns();
    if (t > now) {
        struct timespec ts = {.tv_sec = (time_t)((t - now) / 1000000000ull), .tv_nsec = (long)((t - now) % 1000000000ull)};
        nanosleep(&ts, NULL);
    }
}

int main(int argc, char **argv) {
    const char *dir = ".", *label = "fsyncprobe";
    long n = 5000, size = 1024;
    double rate = 0;
    int opt;
    while ((opt = getopt(argc, argv, "d:n:s:r:l:")) != -1) {
        switch (opt) {
        case 'd': dir = optarg; break;
        case 'n': n = atol(optarg); break;
        case 's': size = atol(optarg); break;
        case 'r': rate = atof(optarg); break;
        case 'l': label = optarg; break;
        default:
            fprintf(stderr, "usage: %s [-d dir] [-n forces] [-s bytes] [-r forces/s] [-l label]\n", argv[0]);
            return 2;
        }
    }
    if (n < 1 || size < 1 || size > (1 << 20) || rate < 0) {
        fprintf(stderr, "need forces >= 1, 1 <= bytes <= 1 MiB, rate >= 0\n");
        return 2;
    }
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/fsyncprobe.%d.tmp", dir, (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (fd < 0) {
        perror(path);
        return 2;
    }
    char *block = malloc((size_t)size);
    memset(block, 'j', (size_t)size);
    uint64_t t0 = now_ns(), worst_write = 0;
    for (long i = 0; i < n; i++) {
        if (rate > 0) {
            sleep_until(t0 + (uint64_t)((double)i * 1e9 / rate));
        }
        uint64_t s = now_ns();
        if (write(fd, block, (size_t)size) != (ssize_t)size) {
            perror("write");
            unlink(path);
            return 2;
        }
        uint64_t w = now_ns();
        if (fdatasync(fd) != 0) {
            perror("fdatasync");
            unlink(path);
            return 2;
        }
        uint64_t e = now_ns();
        if (w - s > worst_write) {
            worst_write = w - s;
        }
        record(&hist, (e - s) / 1000);
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_us = ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) * 1e6 + (double)ru.ru_utime.tv_usec +
                    (double)ru.ru_stime.tv_usec;
    close(fd);
    unlink(path);
    printf("%s: %ld x (write %ld B + fdatasync) in %s, %.0f forces/s%s\n", label, n, size, dir, (double)n / secs,
           rate > 0 ? " (paced)" : " (back to back)");
    printf("  CPU of this process per write + fdatasync: %.1f us (the kernel's journal threads not counted)\n",
           cpu_us / (double)n);
    printf("  latency (us): p50 %lu  p90 %lu  p99 %lu  p99.9 %lu  max %lu  (slowest write alone %lu)\n",
           (unsigned long)percentile(&hist, 50), (unsigned long)percentile(&hist, 90),
           (unsigned long)percentile(&hist, 99), (unsigned long)percentile(&hist, 99.9), (unsigned long)hist.max,
           (unsigned long)(worst_write / 1000));
    printf("RESULT label=%s forces=%ld bytes=%ld rate=%.0f p50_us=%lu p90_us=%lu p99_us=%lu p999_us=%lu max_us=%lu cpu_us_per_force=%.1f\n",
           label, n, size, (double)n / secs, (unsigned long)percentile(&hist, 50),
           (unsigned long)percentile(&hist, 90), (unsigned long)percentile(&hist, 99),
           (unsigned long)percentile(&hist, 99.9), (unsigned long)hist.max, cpu_us / (double)n);
    return 0;
}
