#!/usr/bin/env python3
"""A small HTTP load tool for the measurements in BENCHMARKS.md (issue 14), standard library only,
for machines without wrk, oha, hey or ab. Not part of the product.

    tools/load.py rate http://127.0.0.1:8080/api/v1/plants --rate 1000 --duration 60
        Open loop: requests are scheduled at a fixed rate and sent on --connections keep-alive
        connections; latency is measured from the scheduled time (so a stalled server is not
        hidden: coordinated omission corrected) and, separately, from the moment the request was
        written. Prints the achieved rate, p50/p90/p99/max of both, and errors.

    tools/load.py rate http://127.0.0.1:8080/api/v1/members/Sweden --rate 100 --duration 60 \
            --method PATCH --header 'Authorization: Bearer decarb_...' --header 'If-Match: *' \
            --header 'Content-Type: application/json' --body '{"note": "load {i}", "changes": {"notes": "n{i}"}}'
        The same for writes: --method, --header (repeat) and --body, where {i} becomes the request's
        number (so every write changes something); any 2xx counts as success.

    tools/load.py slow http://127.0.0.1:8080/api/v1/plants --clients 1000 --duration 60 --pid PID
        Holds --clients connections that send a request one byte a second (reconnecting when the
        server closes them), while one normal keep-alive client requests the URL --probe-rate
        times a second; prints the normal client's p50/p99, its failures, the slow connections
        open, and the server's open file descriptors (from /proc/PID/fd) sampled every second.

One Python process drives the load: it uses a core of its own, so on a 2-core machine the figures
are an upper bound of the server's latency, not of its capacity.
"""

import argparse
import asyncio
import os
import time
from urllib.parse import urlsplit


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    close = headers.get("connection", "").lower() == "close"
    return status, close


class Conn:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, raw):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        await self.writer.drain()
        status, close = await read_response(self.reader)
        if close:
            self.close()
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def target(url, method="GET", headers=(), body=None):
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    head = f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: decarb-load\r\n"
    for header in headers:
        head += header + "\r\n"
    if body is None:
        raw = (head + "\r\n").encode()
    else:
        data = body.encode()
        raw = (head + f"Content-Length: {len(data)}\r\n\r\n").encode() + data
    return parts.hostname, parts.port or 80, raw


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


async def rate_mode(args):
    def request(i):
        body = None if args.body is None else args.body.replace("{i}", str(i))
        return target(args.url, args.method, args.header, body)

    host, port, _ = request(0)
    queue = asyncio.Queue()
    from_schedule, from_send, errors = [], [], []

    async def worker():
        conn = Conn(host, port)
        while True:
            item = await queue.get()
            if item is None:
                conn.close()
                return
            scheduled, i = item
            raw = request(i)[2]
            sent = time.perf_counter()
            try:
                status = await conn.request(raw)
                done = time.perf_counter()
                if not 200 <= status < 300:
                    errors.append(status)
                from_schedule.append(done - scheduled)
                from_send.append(done - sent)
            except Exception as e:  # noqa: BLE001 - a load tool counts every failure
                errors.append(type(e).__name__)
                conn.close()

    workers = [asyncio.create_task(worker()) for _ in range(args.connections)]
    start = time.perf_counter()
    interval = 1.0 / args.rate
    n = int(args.rate * args.duration)
    for i in range(n):
        at = start + i * interval
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((at, i))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    ms = lambda v: f"{v * 1000:.2f} ms"  # noqa: E731
    print(f"url {args.url}: {len(from_send)} responses in {elapsed:.1f} s = {len(from_send) / elapsed:.0f} req/s "
          f"(target {args.rate}/s, {args.connections} connections), errors {len(errors)} {sorted(set(map(str, errors)))}")
    for name, values in (("from schedule", from_schedule), ("from send", from_send)):
        print(f"  latency {name}: p50 {ms(percentile(values, 50))}, p90 {ms(percentile(values, 90))}, "
              f"p99 {ms(percentile(values, 99))}, max {ms(max(values) if values else float('nan'))}")
    print(f"  load average after: {load_average()}")


async def slow_mode(args):
    host, port, raw = target(args.url)
    stop = time.perf_counter() + args.duration
    open_slow = [0]
    closed_by_server = [0]
    waiting = [0]
    most_open = [0]

    async def slow_client(i):
        await asyncio.sleep(i * 0.001)
        while time.perf_counter() < stop:
            try:
                # Connections beyond the server's cap wait in the listen backlog (or retry SYNs):
                # give up at the end of the run.
                left = max(0.1, stop - time.perf_counter())
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), left)
            except Exception:  # noqa: BLE001
                waiting[0] += 1
                await asyncio.sleep(1)
                continue
            open_slow[0] += 1
            most_open[0] = max(most_open[0], open_slow[0])
            try:
                for byte in raw:
                    if time.perf_counter() >= stop:
                        break
                    writer.write(bytes([byte]))
                    await writer.drain()
                    # Wait a second, or less if the server closed the connection.
                    try:
                        data = await asyncio.wait_for(reader.read(1), 1.0)
                        if data == b"":
                            closed_by_server[0] += 1
                            break
                    except asyncio.TimeoutError:
                        pass
            except Exception:  # noqa: BLE001
                closed_by_server[0] += 1
            finally:
                open_slow[0] -= 1
                writer.close()

    latencies, failures = [], []

    async def probe():
        conn = Conn(host, port)
        # By default the slow clients connect first, so the normal client's first connection
        # may wait in the listen backlog for a free slot (up to the header-read timeout).
        await asyncio.sleep(args.probe_delay)
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            try:
                status = await asyncio.wait_for(conn.request(raw), 5)
                latencies.append(time.perf_counter() - sent)
                if status != 200:
                    failures.append(status)
            except Exception as e:  # noqa: BLE001
                failures.append(type(e).__name__)
                conn.close()
            await asyncio.sleep(max(0.0, 1.0 / args.probe_rate - (time.perf_counter() - sent)))
        conn.close()

    fds = []

    async def sample():
        while time.perf_counter() < stop:
            if args.pid:
                try:
                    fds.append(len(os.listdir(f"/proc/{args.pid}/fd")))
                except OSError:
                    pass
            await asyncio.sleep(1)

    tasks = [asyncio.create_task(slow_client(i)) for i in range(args.clients)]
    await asyncio.gather(probe(), sample(), *tasks)
    ms = lambda v: f"{v * 1000:.2f} ms"  # noqa: E731
    print(f"{args.clients} slow clients for {args.duration} s against {args.url}: "
          f"connections closed by the server {closed_by_server[0]}, most open at once {most_open[0]}, "
          f"connects that timed out or failed {waiting[0]}")
    print(f"  normal client: {len(latencies)} requests, p50 {ms(percentile(latencies, 50))}, "
          f"p99 {ms(percentile(latencies, 99))}, max {ms(max(latencies) if latencies else float('nan'))}, "
          f"failures {len(failures)} {sorted(set(map(str, failures)))}")
    if fds:
        print(f"  server open fds: max {max(fds)}, median {percentile(fds, 50)} (limit {args.fd_limit})")
    print(f"  load average after: {load_average()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("rate")
    r.add_argument("url")
    r.add_argument("--rate", type=float, default=1000)
    r.add_argument("--duration", type=float, default=30)
    r.add_argument("--connections", type=int, default=32)
    r.add_argument("--method", default="GET")
    r.add_argument("--header", action="append", default=[])
    r.add_argument("--body")
    s = sub.add_parser("slow")
    s.add_argument("url")
    s.add_argument("--clients", type=int, default=1000)
    s.add_argument("--duration", type=float, default=60)
    s.add_argument("--probe-rate", type=float, default=20)
    s.add_argument("--probe-delay", type=float, default=2.0)
    s.add_argument("--pid", type=int)
    s.add_argument("--fd-limit", default="1024")
    args = parser.parse_args()
    asyncio.run(rate_mode(args) if args.mode == "rate" else slow_mode(args))


if __name__ == "__main__":
    main()
