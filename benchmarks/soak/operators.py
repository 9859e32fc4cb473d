#!/usr/bin/env python3
"""Operators for the soak test: they handle the centre's alarm cases over its REST API, as a console would.

One dispatcher polls GET /api/cases for new cases; each of N operator threads takes one, confirms it displayed
(POST /api/cases/{id}/displayed), takes it and closes it (POST .../actions); an archivist archives each closed case
some seconds later, except a share that is left closed for good (as cases an operator never archives), so that
closed cases pile up in a centre that keeps them. Operators are users with the role "operator" that the script
creates through the API as the administrator, each changing its first password as the centre requires.

Python standard library only. Prints one "OPERATORS" line per report interval and a "RESULT" line at the end.
"""
import argparse
import heapq
import http.client
import json
import random
import sys
import threading
import time
import queue


class Api:
    """One keep-alive HTTP connection to the centre, with a bearer token."""

    def __init__(self, host, port, token=None):
        self.host, self.port, self.token = host, port, token
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                headers = {"Content-Type": "application/json"}
                if self.token:
                    headers["Authorization"] = "Bearer " + self.token
                self.conn.request(method, path, None if body is None else json.dumps(body), headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, (json.loads(data) if data else None)
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.2)


def login(host, port, user, password):
    status, body = Api(host, port).call("POST", "/api/login", {"username": user, "password": password})
    if status != 200:
        raise SystemExit(f"operators: login of {user} failed: {status} {body}")
    return body["token"]


def make_operator(host, port, admin_token, name, password):
    """Creates an operator (or keeps the one a previous run made) and gives it its own password."""
    admin = Api(host, port, admin_token)
    first = password + "-first"
    status, body = admin.call("POST", "/api/users", {"username": name, "password": first, "role": "operator"})
    if status in (200, 201):
        api = Api(host, port, login(host, port, name, first))
        status, body = api.call("PUT", f"/api/users/{name}/password", {"current": first, "password": password})
        if status not in (200, 204):
            raise SystemExit(f"operators: {name} could not set its password: {status} {body}")
    elif status != 409:
        raise SystemExit(f"operators: could not create {name}: {status} {body}")
    return login(host, port, name, password)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok, self.failed, self.times = {}, {}, {}

    def record(self, action, status, seconds):
        with self.lock:
            good = 200 <= status < 300
            (self.ok if good else self.failed)[action] = (self.ok if good else self.failed).get(action, 0) + 1
            self.times.setdefault(action, []).append(seconds)

    def line(self, reset):
        with self.lock:
            parts = []
            for a in sorted(set(self.ok) | set(self.failed)):
                ts = sorted(self.times.get(a, [0]))
                p99 = ts[min(len(ts) - 1, int(len(ts) * 0.99))] * 1000
                parts.append(f"{a}={self.ok.get(a, 0)}/{self.failed.get(a, 0)}fail p99={p99:.0f}ms")
            if reset:
                self.times = {}
            return " ".join(parts)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--http", default="127.0.0.1:8080", help="the centre's HTTP address host:port")
    p.add_argument("--admin-password", required=True)
    p.add_argument("--operators", type=int, default=6)
    p.add_argument("--duration", type=float, default=600, help="seconds")
    p.add_argument("--archive-after", type=float, default=30, help="seconds between closing and archiving")
    p.add_argument("--leave-closed", type=float, default=0.1, help="share of cases closed but never archived")
    p.add_argument("--report", type=float, default=60, help="seconds between report lines")
    a = p.parse_args()
    host, port = a.http.rsplit(":", 1)
    port = int(port)
    admin_token = login(host, port, "admin", a.admin_password)
    tokens = [make_operator(host, port, admin_token, f"soakop{i}", f"Soak-Operator-{i}-Kx7q!Zp3w")
              for i in range(a.operators)]

    stats = Stats()
    todo = queue.Queue()
    archive_heap, heap_lock = [], threading.Lock()
    seen = set()
    end = time.monotonic() + a.duration
    rnd = random.Random(15)

    def timed(api, action, method, path, body=None):
        t = time.monotonic()
        status, _ = api.call(method, path, body)
        stats.record(action, status, time.monotonic() - t)
        return status

    def dispatcher():
        api = Api(host, port, tokens[0])
        while time.monotonic() < end:
            t = time.monotonic()
            status, body = api.call("GET", "/api/cases")
            stats.record("list", status, time.monotonic() - t)
            if status == 200:
                for c in body["cases"]:
                    if c["state"] == "RECEIVED" and c["id"] not in seen:
                        seen.add(c["id"])
                        todo.put(c["id"])
            time.sleep(0.5)

    def operator(token):
        api = Api(host, port, token)
        while time.monotonic() < end:
            try:
                cid = todo.get(timeout=0.5)
            except queue.Empty:
                continue
            timed(api, "displayed", "POST", f"/api/cases/{cid}/displayed")
            if timed(api, "take", "POST", f"/api/cases/{cid}/actions", {"action": "take"}) != 200:
                continue
            if timed(api, "close", "POST", f"/api/cases/{cid}/actions",
                     {"action": "close", "result": "soak: nothing found"}) == 200:
                with heap_lock:
                    if rnd.random() >= a.leave_closed:
                        heapq.heappush(archive_heap, (time.monotonic() + a.archive_after, cid))
                    else:
                        stats.record("left-closed", 200, 0)

    def archivist():
        api = Api(host, port, tokens[-1])
        while time.monotonic() < end:
            with heap_lock:
                due = archive_heap[0][1] if archive_heap and archive_heap[0][0] <= time.monotonic() else None
                if due:
                    heapq.heappop(archive_heap)
            if due is None:
                time.sleep(0.1)
            else:
                timed(api, "archive", "POST", f"/api/cases/{due}/actions", {"action": "archive"})

    threads = [threading.Thread(target=dispatcher, daemon=True), threading.Thread(target=archivist, daemon=True)]
    threads += [threading.Thread(target=operator, args=(t,), daemon=True) for t in tokens]
    for t in threads:
        t.start()
    start = time.monotonic()
    next_report = start + a.report
    while time.monotonic() < end:
        time.sleep(max(0.0, min(next_report, end) - time.monotonic()))
        if time.monotonic() >= next_report:
            print(f"OPERATORS t={time.monotonic() - start:.0f} queued={todo.qsize()} {stats.line(True)}", flush=True)
            next_report += a.report
    for t in threads:
        t.join(timeout=35)
    print(f"RESULT operators={a.operators} cases_seen={len(seen)} {stats.line(False)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
