#!/usr/bin/env bash
# The benchmark: license-batch against the set-based SQL limit, on PostgreSQL, in the same run.
#
#   bench/run.sh [--learners N] [--runs R] [--small N]
#   REUSE_TEMPLATE=1 bench/run.sh ...   (keeps the generated account of an earlier run)
#
# Generates an account of N learners (default 1,000,000) once, as a template database; then, R times
# (default 3), on fresh copies of it:
#   (a) bench/baseline.sql: the same change as one set-based SQL transaction (psql);
#   (b) license-batch's filtered reassign of the active LEARNING_PRO learners to LEARNING_HUB;
#   (c) a CSV upload of one record per learner making the same changes;
# each timed as a whole process (JVM start included), and prints the median wall time, learners per
# second, the ratio to the baseline, and the job's peak heap and RSS. Then the same reassign on an account
# of --small learners (default 100,000), to show memory stays flat as the account grows.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres; PGHOST/PGPORT/PGUSER override) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

LEARNERS=1000000
RUNS=3
SMALL=100000
while [ $# -gt 0 ]; do
    case "$1" in
        --learners) LEARNERS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --small) SMALL="$2"; shift 2 ;;
        *) echo "usage: bench/run.sh [--learners N] [--runs R] [--small N]" >&2; exit 2 ;;
    esac
done

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
# The summaries end with the JVM's peak heap only when asked (license-batch.report-heap): the benchmark asks.
export LICENSE_BATCH_REPORT_HEAP=true
JAVA="java -Xmx128m -jar target/license-batch.jar"
WORK="$(mktemp -d /tmp/license-batch-bench.XXXXXX)"
ORG="Bench Co"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$1?user=$PGUSER"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -tA -c "$2"; }
fresh() { sql postgres "drop database if exists $2 with (force)"; sql postgres "create database $2 template $1 strategy file_copy"; }

# Runs a command, records "name seconds rss_kb peak_heap_mb" and returns its exit code.
measure() {
    local name="$1"; shift
    local log="$WORK/$name.log"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > "$log" 2>&1 || { echo "$name failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
    local heap
    heap=$(grep -o 'peak heap [0-9]* MB used' "$log" | tail -1 | awk '{print $3}' || true)
    echo "$name $(cat "$WORK/time") ${heap:--}" >> "$RESULTS"
}

template() { # database learners seed
    sql postgres "drop database if exists $1 with (force)"
    sql postgres "create database $1"
    echo "generating $2 learners into $1 ..."
    /usr/bin/time -f "%e" -o "$WORK/gen.time" $JAVA generate --db "$(url "$1")" --org "$ORG" --learners "$2" --seed "$3" \
        > "$WORK/generate-$1.log" 2>&1
    echo "  $(tail -1 "$WORK/generate-$1.log") (process: $(cat "$WORK/gen.time") s)"
    sql "$1" "vacuum analyze"
}

echo "== building"
./mvnw -q -B -ntp package -DskipTests
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(psql -X -tA -d postgres -c 'select version()' | cut -d, -f1)"

if [ "${REUSE_TEMPLATE:-}" = 1 ] && sql postgres "select 1 from pg_database where datname = 'lb_bench_template'" | grep -q 1; then
    echo "reusing the template database lb_bench_template (REUSE_TEMPLATE=1)"
else
    template lb_bench_template "$LEARNERS" 1
fi
ORG_ID=$(sql lb_bench_template "select id from organization where name = '$ORG'")
SELECTED=$(sql lb_bench_template "select count(*) from license_assignment a join learner l on l.id = a.learner_id
    where a.org_id = $ORG_ID and a.license_type = 'LEARNING_PRO' and a.ended_at is null and l.status = 'ACTIVE'")
UPLOAD="$WORK/upload.csv"
psql -X -d lb_bench_template -c "copy (select l.email, case when a.license_type = 'LEARNING_PRO' and l.status = 'ACTIVE'
    then 'LEARNING_HUB' else coalesce(a.license_type, 'REVOKE') end as license_type, 'benchmark' as reason
    from learner l left join license_assignment a on a.learner_id = l.id and a.ended_at is null
    where l.org_id = $ORG_ID order by l.id) to stdout with (format csv, header)" > "$UPLOAD"
RECORDS=$(($(wc -l < "$UPLOAD") - 1))
echo "== $SELECTED active LEARNING_PRO learners to move; upload of $RECORDS records"

for run in $(seq 1 "$RUNS"); do
    echo "== run $run of $RUNS"
    fresh lb_bench_template lb_bench_a
    measure baseline psql -X -q -d lb_bench_a -v org_id="$ORG_ID" -f bench/baseline.sql
    fresh lb_bench_template lb_bench_b
    measure reassign $JAVA reassign --confirm-large-change --db "$(url lb_bench_b)" --org "$ORG" --to LEARNING_HUB \
        --license-type LEARNING_PRO --status ACTIVE
    fresh lb_bench_template lb_bench_c
    measure upload $JAVA reassign --confirm-large-change --db "$(url lb_bench_c)" --org "$ORG" --csv "$UPLOAD"
    tail -3 "$RESULTS" | sed 's/^/   /'
    if [ "$run" = 1 ]; then
        changed=$(sql lb_bench_b "select count(*) from license_change_outcome where status = 'REASSIGNED'")
        uploaded=$(sql lb_bench_c "select count(*) from license_change_outcome where status = 'REASSIGNED'")
        [ "$changed" = "$SELECTED" ] && [ "$uploaded" = "$SELECTED" ] \
            || { echo "the runs did not make the baseline's $SELECTED changes ($changed, $uploaded)" >&2; exit 1; }
        for db in lb_bench_b lb_bench_c; do
            $JAVA verify --db "$(url $db)" > "$WORK/verify-$db.log" || { cat "$WORK/verify-$db.log"; exit 1; }
        done
    fi
done

echo "== memory as the account grows: $SMALL learners"
template lb_bench_small "$SMALL" 1
measure "reassign-${SMALL}" $JAVA reassign --confirm-large-change --db "$(url lb_bench_small)" --org "$ORG" --to LEARNING_HUB \
    --license-type LEARNING_PRO --status ACTIVE

echo
echo "== results (medians of $RUNS runs: wall time of the whole process, java -Xmx128m -jar; the ratio is the"
echo "   median of each run's wall time over the baseline's of the same round)"
python3 - "$RESULTS" "$SELECTED" "$RECORDS" "$LEARNERS" "$SMALL" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1])]
selected, records, learners, small = (int(x) for x in sys.argv[2:6])
def median(name, col):
    values = [float(r[col]) for r in rows if r[0] == name and r[col] != '-']
    return statistics.median(values) if values else None
base = median('baseline', 1)
# A run's ratio compares it with the baseline of the same round (the machine is shared and noisy).
baselines = [float(r[1]) for r in rows if r[0] == 'baseline']
def ratio(name):
    walls = [float(r[1]) for r in rows if r[0] == name]
    return statistics.median(w / b for w, b in zip(walls, baselines)) if walls else 1.0
print(f"{'':34} {'wall s':>8} {'items/s':>9} {'ratio':>6} {'peak heap':>10} {'RSS':>8}")
def line(label, name, items):
    wall = median(name, 1)
    rss = median(name, 2)
    heap = median(name, 3)
    print(f"{label:34} {wall:8.2f} {items / wall:9,.0f} {ratio(name):6.2f} "
          f"{(f'{heap:.0f} MB' if heap else '-'):>10} {rss / 1024:6.0f} MB")
line(f"(a) set-based SQL ({selected:,})", 'baseline', selected)
line(f"(b) filtered reassign ({selected:,})", 'reassign', selected)
line(f"(c) CSV upload ({records:,} records)", 'upload', records)
small_rows = [r for r in rows if r[0].startswith('reassign-')]
if small_rows:
    r = small_rows[0]
    print(f"memory, {small:,} vs {learners:,} learners: peak heap {r[3]} MB vs {median('reassign', 3):.0f} MB, "
          f"RSS {float(r[2]) / 1024:.0f} MB vs {median('reassign', 2) / 1024:.0f} MB")
PY
echo "(all timings: $RESULTS; logs: $WORK)"
sql postgres "drop database if exists lb_bench_a with (force)"
sql postgres "drop database if exists lb_bench_b with (force)"
sql postgres "drop database if exists lb_bench_c with (force)"
sql postgres "drop database if exists lb_bench_small with (force)"
