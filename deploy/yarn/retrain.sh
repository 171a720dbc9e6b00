#!/usr/bin/env bash
# Scheduled retraining on YARN: one `smwm retrain` through
#   spark-submit --master yarn --deploy-mode cluster --class io.smwm.spark.cli.Main smwm.jar retrain ...
# with the executor settings deploy/README.md explains (Java 17 flags on driver and executors, native library cache,
# ND4J's off-heap limit matched by memoryOverhead, one task per core group with OMP_NUM_THREADS = spark.task.cpus).
# Call it from cron, Oozie, Airflow (BashOperator) or by hand; every setting is an environment variable:
#
#   SMWM_REGISTRY      model registry (default /mnt/smwm/registry). A local path must be mounted (NFS) at the same
#                      path on every NodeManager (in cluster mode the driver runs on any of them) and on this host, so
#                      the outcome can be read (below); an hdfs:// registry needs no mount, but the outcome check
#                      reads local paths only and falls back to spark-submit's exit status.
#   SMWM_DATA          the training table, any Hadoop path (default hdfs:///data/smwm/tables/latest)
#   SMWM_GATE          gate YAML on this host, sent with --files (default: deploy/gate.yaml); empty: the defaults
#   SMWM_CONFIG        bundled config name or a YAML file on this host (sent with --files) (default tworoom)
#   SMWM_EPOCHS        epochs (default: the config's)        SMWM_WARM_START=1   start from the promoted model
#   SMWM_BENCHMARK_DATA  table the benchmark pairs are drawn from on the registry's first retrain (default: held-out
#                      episodes of SMWM_DATA)
#   SMWM_EXTRA_ARGS    more retrain options, split on spaces (e.g. "--lambda 0.3 --batch-size 64")
#   SMWM_JAR           the shaded jar (default smwm-spark/target/smwm.jar; an hdfs:// copy saves the 230 MB upload)
#   SMWM_JVM_FLAGS_FILE  the Java 17 flags (default smwm-spark/target/classes/smwm-jvm.flags, written by the build)
#   SMWM_DEPLOY_MODE   cluster (default) or client (driver in this process: registry on this host's disk)
#   SMWM_QUEUE (default default), SMWM_APP_NAME (default smwm-retrain)
#   SMWM_NUM_EXECUTORS (4), SMWM_EXECUTOR_CORES (4), SMWM_TASK_CPUS (4: one task per executor with 4 native threads),
#   SMWM_EXECUTOR_MEMORY (8g heap), SMWM_DRIVER_CORES (4), SMWM_DRIVER_MEMORY (8g heap),
#   SMWM_OFFHEAP (ND4J off-heap limit, 4G), SMWM_MEMORY_OVERHEAD (5g: the off-heap limit + 1g for the JVM),
#   SMWM_NATIVE_CACHE (local-disk directory ND4J unpacks its ~360 MB of native libraries into, /tmp/smwm-javacpp)
#   SPARK_SUBMIT       the spark-submit to run (default $SPARK_HOME/bin/spark-submit, else spark-submit on PATH)
#
# Exit codes (what a scheduler acts on): 0 the candidate was promoted; 3 the gate rejected it (`current` unchanged;
# REG/versions/vN/decision.json says why); 1 failure (nothing committed); 2 bad input (client mode only; in cluster
# mode YARN reports it as a failure, 1).
# Why the outcome is read from the registry: in cluster mode YARN passes on success or failure only (smwm returns
# normally on 0 and throws SparkUserAppException(code) otherwise, since YARN marks any System.exit FAILED), so
# spark-submit's exit status cannot tell rejected from failed. The script therefore compares
# the registry's versions before and after the run: a new versions/vN with decision "promoted" is 0, "rejected" is 3,
# no new version is a failure. Where the registry is not visible here (no directory at SMWM_REGISTRY: create it once
# with mkdir), it falls back to spark-submit's exit status, which is exact in client mode only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

REGISTRY="${SMWM_REGISTRY:-/mnt/smwm/registry}"
DATA="${SMWM_DATA:-hdfs:///data/smwm/tables/latest}"
GATE="${SMWM_GATE-$ROOT/deploy/gate.yaml}"
CONFIG="${SMWM_CONFIG:-tworoom}"
EPOCHS="${SMWM_EPOCHS:-}"
WARM_START="${SMWM_WARM_START:-0}"
BENCHMARK_DATA="${SMWM_BENCHMARK_DATA:-}"
JAR="${SMWM_JAR:-$ROOT/smwm-spark/target/smwm.jar}"
FLAGS_FILE="${SMWM_JVM_FLAGS_FILE:-$ROOT/smwm-spark/target/classes/smwm-jvm.flags}"
DEPLOY_MODE="${SMWM_DEPLOY_MODE:-cluster}"
QUEUE="${SMWM_QUEUE:-default}"
APP_NAME="${SMWM_APP_NAME:-smwm-retrain}"
NUM_EXECUTORS="${SMWM_NUM_EXECUTORS:-4}"
EXECUTOR_CORES="${SMWM_EXECUTOR_CORES:-4}"
TASK_CPUS="${SMWM_TASK_CPUS:-4}"
EXECUTOR_MEMORY="${SMWM_EXECUTOR_MEMORY:-8g}"
DRIVER_CORES="${SMWM_DRIVER_CORES:-4}"
DRIVER_MEMORY="${SMWM_DRIVER_MEMORY:-8g}"
OFFHEAP="${SMWM_OFFHEAP:-4G}"
MEMORY_OVERHEAD="${SMWM_MEMORY_OVERHEAD:-5g}"
NATIVE_CACHE="${SMWM_NATIVE_CACHE:-/tmp/smwm-javacpp}"
if [ -n "${SPARK_SUBMIT:-}" ]; then :
elif [ -n "${SPARK_HOME:-}" ]; then SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"
else SPARK_SUBMIT=spark-submit; fi

die() { echo "retrain.sh: $*" >&2; exit 2; }
case "$DEPLOY_MODE" in cluster|client) ;; *) die "SMWM_DEPLOY_MODE=$DEPLOY_MODE: expected cluster or client" ;; esac
[ -f "$FLAGS_FILE" ] || die "no JVM flags at $FLAGS_FILE: build the jar (./mvnw -B -DskipTests package) or set SMWM_JVM_FLAGS_FILE"
if [[ "$JAR" != *://* ]] && [ ! -f "$JAR" ]; then
  die "no jar at $JAR: build it (./mvnw -B -DskipTests package) or set SMWM_JAR (e.g. hdfs:///apps/smwm/smwm.jar)"
fi
for n in "$NUM_EXECUTORS" "$EXECUTOR_CORES" "$TASK_CPUS" "$DRIVER_CORES"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "executor and core counts must be positive integers, got '$n'"
done
for m in "$EXECUTOR_MEMORY" "$DRIVER_MEMORY" "$OFFHEAP"; do
  [[ "$m" =~ ^[1-9][0-9]*[gG]$ ]] || die "memory sizes must be whole gigabytes such as 8g, got '$m'"
done
[ $((EXECUTOR_CORES % TASK_CPUS)) -eq 0 ] || die "SMWM_EXECUTOR_CORES ($EXECUTOR_CORES) must be a multiple of SMWM_TASK_CPUS ($TASK_CPUS)"
# one partition per task slot: --workers = executors x tasks per executor
WORKERS=$((NUM_EXECUTORS * EXECUTOR_CORES / TASK_CPUS))

# Files the driver reads (gate, config YAML): in cluster mode shipped with --files into the driver container's
# working directory and named there by their base name; in client mode read where they are.
FILES=()
ship() {
  if [ "$DEPLOY_MODE" = cluster ] && [ -f "$1" ]; then FILES+=("$1"); SHIPPED="$(basename "$1")"; else SHIPPED="$1"; fi
}

ARGS=(retrain --registry "$REGISTRY" --data "$DATA")
ship "$CONFIG"; ARGS+=(--config "$SHIPPED")
if [ -n "$GATE" ]; then
  [ -f "$GATE" ] || die "SMWM_GATE=$GATE: no such file (empty SMWM_GATE: the default gate)"
  ship "$GATE"; ARGS+=(--gate "$SHIPPED")
fi
ARGS+=(--workers "$WORKERS")
if [ -n "$EPOCHS" ]; then ARGS+=(--epochs "$EPOCHS"); fi
if [ "$WARM_START" = 1 ]; then ARGS+=(--warm-start); fi
if [ -n "$BENCHMARK_DATA" ]; then ARGS+=(--benchmark-data "$BENCHMARK_DATA"); fi
if [ -n "${SMWM_EXTRA_ARGS:-}" ]; then read -r -a extra <<<"$SMWM_EXTRA_ARGS"; ARGS+=("${extra[@]}"); fi

JVM_FLAGS="$(cat "$FLAGS_FILE")"
# later -D settings override the flags file's: the native cache and ND4J's off-heap limit sized to this job
# (maxphysicalbytes = heap + off-heap; the container is heap + memoryOverhead = that + 1g for the JVM itself)
NATIVE="-Dorg.bytedeco.javacpp.cachedir=$NATIVE_CACHE -Dorg.bytedeco.javacpp.maxbytes=$OFFHEAP"
NATIVE_EXECUTOR="$NATIVE -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( ${EXECUTOR_MEMORY%[gG]} + ${OFFHEAP%[gG]} ))G"
NATIVE_DRIVER="$NATIVE -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( ${DRIVER_MEMORY%[gG]} + ${OFFHEAP%[gG]} ))G"

SUBMIT=(
  "$SPARK_SUBMIT"
  --master yarn --deploy-mode "$DEPLOY_MODE" --queue "$QUEUE" --name "$APP_NAME"
  --class io.smwm.spark.cli.Main
  --num-executors "$NUM_EXECUTORS" --executor-cores "$EXECUTOR_CORES" --executor-memory "$EXECUTOR_MEMORY"
  --driver-cores "$DRIVER_CORES" --driver-memory "$DRIVER_MEMORY"
  # parameter averaging wants a fixed set of workers, one task per TASK_CPUS cores
  --conf spark.dynamicAllocation.enabled=false
  --conf "spark.task.cpus=$TASK_CPUS"
  --conf "spark.executorEnv.OMP_NUM_THREADS=$TASK_CPUS"
  # cluster mode: the driver runs in the ApplicationMaster's container and plans the benchmark there
  --conf "spark.yarn.appMasterEnv.OMP_NUM_THREADS=$DRIVER_CORES"
  --conf "spark.executor.memoryOverhead=$MEMORY_OVERHEAD"
  --conf "spark.driver.memoryOverhead=$MEMORY_OVERHEAD"
  # a second attempt would train (and maybe promote) a second candidate: never retry the application
  --conf spark.yarn.maxAppAttempts=1
  # in cluster mode --driver-java-options does not reach the driver: both as extraJavaOptions
  --conf "spark.driver.extraJavaOptions=$JVM_FLAGS $NATIVE_DRIVER"
  --conf "spark.executor.extraJavaOptions=$JVM_FLAGS $NATIVE_EXECUTOR"
)
if [ ${#FILES[@]} -gt 0 ]; then SUBMIT+=(--files "$(IFS=,; echo "${FILES[*]}")"); fi
SUBMIT+=("$JAR" "${ARGS[@]}")

# the registry as this host sees it (a file: URI is a local path)
reg_local="${REGISTRY#file:}"
latest_version() { # the highest N of REG/versions/vN, 0 if none
  local n=0 d v
  for d in "$reg_local"/versions/v*; do
    v="${d##*/v}"
    if [ -d "$d" ] && [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -gt "$n" ]; then n="$v"; fi
  done
  echo "$n"
}
visible=0
if [ -d "$reg_local" ]; then visible=1; before="$(latest_version)"; fi
if [ "$DEPLOY_MODE" = client ]; then export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$DRIVER_CORES}"; fi

echo "retrain.sh: ${SUBMIT[*]}" >&2
rc=0
"${SUBMIT[@]}" || rc=$?

if [ "$visible" = 1 ]; then
  after="$(latest_version)"
  if [ "$after" -gt "$before" ]; then
    d="$reg_local/versions/v$after/decision.json"
    decision="$(sed -n 's/.*"decision"[[:space:]]*:[[:space:]]*"\([a-z]*\)".*/\1/p' "$d" 2>/dev/null | head -n 1)"
    case "$decision" in
      promoted) echo "retrain.sh: v$after promoted ($d)" >&2; exit 0 ;;
      rejected) echo "retrain.sh: v$after rejected by the gate ($d)" >&2; exit 3 ;;
    esac
    echo "retrain.sh: v$after has no readable decision in $d (spark-submit exit $rc)" >&2; exit 1
  fi
  if [ "$rc" = 2 ]; then echo "retrain.sh: bad input (exit 2); nothing committed" >&2; exit 2; fi
  echo "retrain.sh: no new version in $REGISTRY: the retrain failed (spark-submit exit $rc); see the driver log" \
    "(yarn logs -applicationId ...)" >&2
  exit 1
fi
if [ "$DEPLOY_MODE" = cluster ]; then
  echo "retrain.sh: $REGISTRY is not visible on this host, so the outcome is spark-submit's exit status ($rc), which" \
    "in cluster mode does not carry the driver's exit code; read the decision with: smwm registry list --registry REG" >&2
  [ "$rc" = 0 ] && exit 0 || exit 1
fi
exit "$rc"
