#!/usr/bin/env bash
# Times peer tools on the same generated dataset `vigil bench` uses, for docs/performance.md.
# Usage: scripts/bench-peers.sh DATASET_DIR   (e.g. bench-data, after `vigil bench --dir bench-data`)
# Needs jq; installs duckdb and orjson from PyPI into the current Python when missing.
set -euo pipefail
dir=${1:-bench-data}
gz=$(ls -d "$dir"/cloudtrail-*-gz | head -n 1)
plain=$(ls -d "$dir"/cloudtrail-*-json | head -n 1)
flows=$(ls -d "$dir"/flows-* 2>/dev/null | head -n 1 || true)
python3 -c "import duckdb, orjson" 2>/dev/null || pip install -q duckdb orjson

t() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }

records=$(find "$plain" -name '*.json' -print0 | xargs -0 cat | jq -c '.Records | length' | paste -sd+ | bc)
echo "records: $records"

secs=$(t sh -c "find '$plain' -name '*.json' -print0 | xargs -0 cat | jq -c '.Records[] | [.eventTime,.eventSource,.eventName,.userIdentity.arn,.sourceIPAddress]'")
echo "jq (plain, 1 core): $(echo "$records / $secs" | bc) events/s"

secs=$(t python3 - "$plain" <<'PY'
import orjson, sys, pathlib
n = 0
for p in pathlib.Path(sys.argv[1]).rglob("*.json"):
    for r in orjson.loads(p.read_bytes())["Records"]:
        (r["eventTime"], r["eventSource"], r["eventName"], r.get("userIdentity", {}).get("arn"), r.get("sourceIPAddress"))
        n += 1
print(n)
PY
)
echo "python orjson (plain, 1 core): $(echo "$records / $secs" | bc) events/s"

duck() {
  # Our dataset is S3 delivery ({"Records":[…]} per file), which DuckDB reads as one large object per file.
  python3 - "$1" "$2" <<'PY'
import duckdb, sys, time
pattern, threads = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"SET threads={threads}")
t = time.time()
n = con.execute(f"""
  SELECT count(*) FROM (
    SELECT unnest(Records, recursive := false) AS r
    FROM read_json('{pattern}', columns={{'Records': 'STRUCT(eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, sourceIPAddress VARCHAR, awsRegion VARCHAR)[]'}}, maximum_object_size=1000000000)
  )""").fetchone()[0]
print(f"{n} {time.time() - t}")
PY
}
read n secs < <(duck "$gz/**/*.json.gz" 2)
echo "duckdb read_json (gz, 2 threads, 5 columns): $(echo "$n / $secs" | bc) events/s"
read n secs < <(duck "$plain/**/*.json" 2)
echo "duckdb read_json (plain, 2 threads, 5 columns): $(echo "$n / $secs" | bc) events/s"

if [ -n "$flows" ]; then
  lines=$(find "$flows" -name '*.log' -print0 | xargs -0 cat | wc -l)
  secs=$(python3 - "$flows" <<'PY'
import duckdb, sys, time
con = duckdb.connect(); con.execute("SET threads=2")
t = time.time()
con.execute(f"SELECT count(*) FROM read_csv('{sys.argv[1]}/**/*.log', delim=' ', header=true)").fetchone()
print(time.time() - t)
PY
)
  echo "duckdb read_csv (flow logs, 2 threads): $(echo "$lines / $secs" | bc) lines/s"
  # The comparable job: every column kept, as a load into a table (still no indexes, raw lines or time order).
  secs=$(python3 - "$flows" <<'PY'
import duckdb, sys, time
con = duckdb.connect(); con.execute("SET threads=2")
t = time.time()
con.execute(f"CREATE TABLE flows AS SELECT * FROM read_csv('{sys.argv[1]}/**/*.log', delim=' ', header=true)")
print(time.time() - t)
PY
)
  echo "duckdb read_csv into a table (flow logs, 2 threads): $(echo "$lines / $secs" | bc) lines/s"
fi
