#!/usr/bin/env bash
# The platform benchmark: a platform-wide migration of many small orgs and a few large ones, with local threads,
# 1 worker and 2 workers, each beside the set-based SQL of the same change on a copy of the same data, in the same
# run; then a model of 10 and 100 workers from the measured costs.
#
#   bench/platform.sh [--orgs N] [--learners M] [--big K] [--big-learners B] [--runs R]
#
# Generates once, as a template database: N orgs of M learners (default 2,000 of 100) and K orgs of B learners
# (default 2 of 100,000). Then, R times (default 3), each on a fresh copy of the template:
#   baseline   bench/migrate-baseline.sql (psql): the change as one set-based transaction
#   local      license-batch migrate --from LEARNING_PRO --to LEARNING_HUB --all-orgs --transfer-seats --yes
#   1 worker   the same with --workers remote, one `license-batch worker` (2 threads) started before the run
#   2 workers  the same with two workers (2 threads each)
# Each is timed as a whole process (JVM start included; the workers' start is not: they are services that wait
# for work). Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and RabbitMQ on 127.0.0.1:5672 (guest).
#
# The model: the CPU the JVMs (manager + workers) and PostgreSQL (every backend, from /proc) spent per learner
# in the remote runs, and from those, what W workers could do against a database with C cores.
set -euo pipefail
cd "$(dirname "$0")/.."

ORGS=2000
LEARNERS=100
BIG=2
BIG_LEARNERS=100000
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --orgs) ORGS="$2"; shift 2 ;;
        --learners) LEARNERS="$2"; shift 2 ;;
        --big) BIG="$2"; shift 2 ;;
        --big-learners) BIG_LEARNERS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        *) echo "usage: bench/platform.sh [--orgs N] [--learners M] [--big K] [--big-learners B] [--runs R]" >&2
           exit 2 ;;
    esac
done

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
JAVA="java -Xmx256m -jar target/license-batch.jar"
WORK="$(mktemp -d /tmp/license-batch-platform.XXXXXX)"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
export LICENSE_BATCH_REMOTE_QUEUE="license-batch.bench.$$"
TEMPLATE=lb_platform_template
COPY=lb_platform_run
WORKERS=()

url() { echo "jdbc:postgresql://$PGHOST:$PGPORT/$1?user=$PGUSER"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -tA -c "$2"; }
fresh() { sql postgres "drop database if exists $COPY with (force)"; sql postgres "create database $COPY template $TEMPLATE strategy file_copy"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL's CPU in clock ticks: the postmaster's own and reaped children's, plus every live backend's.
pg_ticks() {
    local master total=0
    master=$(head -1 "$(sql postgres 'show data_directory')/postmaster.pid")
    total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat")
    for child in $(pgrep -P "$master"); do
        total=$((total + $(ticks "$child" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
stop_workers() {
    for pid in "${WORKERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${WORKERS[@]}"; do wait "$pid" 2>/dev/null || true; done
    WORKERS=()
}
# The run's own queue goes with it (rabbitmqctl, where the broker runs on this machine).
drop_queue() {
    command -v rabbitmqctl > /dev/null || return 0
    rabbitmqctl -q list_queues name 2> /dev/null | grep -qxF "$LICENSE_BATCH_REMOTE_QUEUE" || return 0
    rabbitmqctl -q delete_queue "$LICENSE_BATCH_REMOTE_QUEUE" > /dev/null 2>&1 \
        || echo "could not delete the queue $LICENSE_BATCH_REMOTE_QUEUE: rabbitmqctl delete_queue $LICENSE_BATCH_REMOTE_QUEUE" >&2
}
trap 'stop_workers; drop_queue; sql postgres "drop database if exists $COPY with (force)" || true' EXIT

start_workers() { # count
    for i in $(seq 1 "$1"); do
        $JAVA worker --concurrency 2 --db "$(url $COPY)" > "$WORK/worker-$i.log" 2>&1 &
        WORKERS+=("$!")
    done
    for i in $(seq 1 "$1"); do
        until grep -q "consumes" "$WORK/worker-$i.log"; do
            kill -0 "${WORKERS[$((i - 1))]}" 2>/dev/null || { echo "worker $i failed:" >&2; cat "$WORK/worker-$i.log" >&2; exit 1; }
            sleep 0.2
        done
    done
}

# Runs one variant on a fresh copy; records "variant seconds jvm_ticks pg_ticks learners".
measure() { # variant workers command...
    local variant="$1" workers="$2"; shift 2
    fresh
    [ "$workers" -gt 0 ] && start_workers "$workers"
    local pg_before worker_before=0 worker_after=0
    for pid in "${WORKERS[@]}"; do worker_before=$((worker_before + $(ticks "$pid"))); done
    pg_before=$(pg_ticks)
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" > "$WORK/$variant.log" 2>&1 \
        || { echo "$variant failed, see $WORK/$variant.log" >&2; tail -20 "$WORK/$variant.log" >&2; exit 1; }
    local pg_after
    # A backend's CPU reaches the postmaster's count once it has exited and been reaped, a moment after its
    # client is gone: without the wait, the last backends of a run (all of the baseline's) would be missed.
    sleep 0.5
    pg_after=$(pg_ticks)
    for pid in "${WORKERS[@]}"; do worker_after=$((worker_after + $(ticks "$pid"))); done
    stop_workers
    local hz seconds manager_cpu learners
    hz=$(getconf CLK_TCK)
    read -r seconds user system < "$WORK/time"
    manager_cpu=$(awk -v u="$user" -v s="$system" 'BEGIN {print u + s}')
    learners=$(sql "$COPY" "select count(*) from license_change_outcome")
    echo "$variant $seconds $(awk -v m="$manager_cpu" -v w="$((worker_after - worker_before))" -v hz="$hz" \
        'BEGIN {print m + w / hz}') $(awk -v p="$((pg_after - pg_before))" -v hz="$hz" 'BEGIN {print p / hz}') \
        $learners" >> "$RESULTS"
}

echo "== building"
./mvnw -q -B -ntp package -DskipTests
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(psql -X -tA -d postgres -c 'select version()' | cut -d, -f1)"
rabbitmq-diagnostics -q ping > /dev/null || { echo "RabbitMQ is not running (rabbitmq-server -detached)" >&2; exit 1; }

sql postgres "drop database if exists $TEMPLATE with (force)"
sql postgres "create database $TEMPLATE"
echo "generating $ORGS orgs of $LEARNERS learners and $BIG of $BIG_LEARNERS ..."
$JAVA generate --db "$(url $TEMPLATE)" --org Org --orgs "$ORGS" --learners "$LEARNERS" | tail -1
for i in $(seq 1 "$BIG"); do
    $JAVA generate --db "$(url $TEMPLATE)" --org "Big $i" --learners "$BIG_LEARNERS" --seed "$((i + 1))" | tail -1
done
sql "$TEMPLATE" "vacuum analyze"
# A JVM's fixed CPU (start, context, end), left out of the per-learner cost of the model: a command with no work.
/usr/bin/time -f "%U %S" -o "$WORK/startup" $JAVA status --limit 1 --db "$(url $TEMPLATE)" > /dev/null
STARTUP_CPU=$(awk '{print $1 + $2}' "$WORK/startup")
echo "a JVM's start and end: $STARTUP_CPU s of CPU (left out of the model's per-learner JVM cost)"
SELECTED=$(sql "$TEMPLATE" "select count(*) from license_assignment where license_type = 'LEARNING_PRO' and ended_at is null")
echo "$SELECTED LEARNING_PRO holders in $((ORGS + BIG)) orgs"

MIGRATE=(migrate --from LEARNING_PRO --to LEARNING_HUB --all-orgs --transfer-seats --yes --db "$(url $COPY)")
for run in $(seq 1 "$RUNS"); do
    echo "== run $run of $RUNS"
    measure baseline 0 psql -X -q -v ON_ERROR_STOP=1 -d "$COPY" -f bench/migrate-baseline.sql
    measure local 0 $JAVA "${MIGRATE[@]}"
    measure worker1 1 $JAVA "${MIGRATE[@]}" --workers remote
    measure worker2 2 $JAVA "${MIGRATE[@]}" --workers remote
    grep -v "^$" "$RESULTS" | tail -4 | awk '{printf "  %-9s %6.2f s  (JVM CPU %5.1f s, PostgreSQL CPU %5.1f s)\n", $1, $2, $3, $4}'
done

echo
echo "== medians of $RUNS runs ($SELECTED learners; ratio: to the set-based SQL of the same run's median)"
python3 - "$RESULTS" "$SELECTED" "$STARTUP_CPU" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
selected = int(sys.argv[2])
startup = float(sys.argv[3])
by = {}
for variant, seconds, jvm, pg, learners in rows:
    by.setdefault(variant, []).append((float(seconds), float(jvm), float(pg), int(learners)))
base = statistics.median(s for s, _, _, _ in by["baseline"])
labels = {"baseline": "set-based SQL", "local": "local threads", "worker1": "1 worker", "worker2": "2 workers"}
print(f"  {'':15} {'wall':>8} {'learners/s':>11} {'ratio':>6} {'JVM CPU/learner':>16} {'DB CPU/learner':>15}")
for variant in ["baseline", "local", "worker1", "worker2"]:
    runs = by[variant]
    wall = statistics.median(s for s, _, _, _ in runs)
    jvm = statistics.median(j for _, j, _, _ in runs) / selected * 1e6
    pg = statistics.median(p for _, _, p, _ in runs) / selected * 1e6
    assert all(l == selected for _, _, _, l in runs), f"{variant}: an outcome per learner expected"
    print(f"  {labels[variant]:15} {wall:7.2f}s {selected / wall:11,.0f} {wall / base:5.2f}x {jvm:13.1f} us {pg:12.1f} us")

# The model. Per learner: the JVMs' CPU (manager + workers) and PostgreSQL's CPU, from the 2-worker runs. Workers
# run on machines of their own, so their CPU scales out; the database does not: its cores cap the rate.
runs = by["worker2"]
jvm_us = max(0.0, statistics.median(j for _, j, _, _ in runs) - startup) / selected * 1e6
pg_us = statistics.median(p for _, _, p, _ in runs) / selected * 1e6
threads_per_worker = 2
# One partition thread's rate: a learner costs it its JVM CPU and the database's work (a thread waits for it).
per_thread = 1e6 / (jvm_us + pg_us)
print()
print(f"== model: {jvm_us:.1f} us of JVM CPU (the manager's start left out) and {pg_us:.1f} us of PostgreSQL CPU per")
print("   learner (2-worker runs);")
print(f"   one partition thread at most {per_thread:,.0f} learners/s; {threads_per_worker} threads per worker;")
print("   the database caps the rate at cores / DB CPU per learner (lock waits and WAL make the real cap lower)")
print(f"  {'workers':>8} " + " ".join(f"{f'DB {c} cores':>13}" for c in (2, 8, 32, 64)))
for workers in (1, 2, 10, 100):
    cells = []
    for cores in (2, 8, 32, 64):
        rate = min(workers * threads_per_worker * per_thread, cores * 1e6 / pg_us)
        cells.append(f"{rate:11,.0f}/s")
    print(f"  {workers:>8} " + " ".join(f"{c:>13}" for c in cells))
for cores in (2, 8, 32, 64):
    print(f"  DB of {cores:2} cores: more workers stop helping beyond ~{cores * 1e6 / pg_us / (threads_per_worker * per_thread):.0f} workers")
EOF
echo "logs: $WORK"
