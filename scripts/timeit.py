#!/usr/bin/python3
"""Whole-process timing: runs a command N times (after one warm-up) and prints the
median and min-max wall time, the median CPU time (user + system, from os.wait4:
meaningful when other processes share the cores) and the peak RSS of the child,
as JSON.
Usage: timeit.py N -- CMD ARGS...
"""
import json, os, statistics, subprocess, sys, time


def run_once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_maxrss / 1024.0, code, ru.ru_utime + ru.ru_stime


def main():
    n = int(sys.argv[1])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    run_once(cmd)  # warm-up: page cache, dynamic loader
    walls, rss, codes, cpus = [], [], [], []
    for _ in range(n):
        w, r, c, u = run_once(cmd)
        walls.append(w); rss.append(r); codes.append(c); cpus.append(u)
    print(json.dumps({"cmd": " ".join(cmd), "runs": n, "median_s": statistics.median(walls),
                      "min_s": min(walls), "max_s": max(walls),
                      "cpu_median_s": statistics.median(cpus), "cpu_min_s": min(cpus), "peak_rss_mib": max(rss),
                      "exit_codes": sorted(set(codes))}))


if __name__ == "__main__":
    main()
