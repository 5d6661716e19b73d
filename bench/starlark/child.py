# Runs one benchmark program under CPython (twice: warmMs times the second run) and prints
# one JSON line: {ms, cpuMs, warmMs, output, maxRssKb}.
# The programs call json.encode/json.decode (Starlark's json module); this shim provides them.
import io, json as _j, resource, sys, time, contextlib

class _Json:
    encode = staticmethod(lambda x: _j.dumps(x, separators=(",", ":"), sort_keys=True))
    decode = staticmethod(_j.loads)

src = open(sys.argv[1]).read()
buf = io.StringIO()
start = time.perf_counter()
cpu0 = time.process_time()
with contextlib.redirect_stdout(buf):
    exec(compile(src, sys.argv[1], "exec"), {"json": _Json()})
ms = (time.perf_counter() - start) * 1000
cpu_ms = (time.process_time() - cpu0) * 1000
warm_start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    exec(compile(src, sys.argv[1], "exec"), {"json": _Json()})
warm_ms = (time.perf_counter() - warm_start) * 1000
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(_j.dumps({"ms": ms, "cpuMs": cpu_ms, "warmMs": warm_ms, "output": buf.getvalue().rstrip("\n"), "maxRssKb": rss}))
