#!/usr/bin/env bash
# Trains SMWM's toy world model with DL4J's own Spark parameter averaging (dl4j-spark 1.0.0-M2) on an SMWM trajectory
# table and prints examples/s and losses. Usage (from anywhere):
#   bench/dl4j-spark/run.sh TABLE [EPOCHS=1] [LAMBDA=1.0] [more options of Dl4jSparkBench, e.g. --fix-adam-step]
# Defaults match `./smwm train ... --master local[2] --workers 2 --batch-size 64 --averaging-frequency 10`.
# Environment: JAVA_OPTS (default -Xmx8g, as ./smwm), OMP_NUM_THREADS (default: all cores, as ./smwm),
# BENCH_REBUILD=1 (force a rebuild; otherwise it builds only when target/ is missing or older than the sources).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CPF="$HERE/target/classpath.txt"
MARK="$HERE/target/.run-sh-built"
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
TABLE="$1"; EPOCHS="${2:-1}"; LAMBDA="${3:-1.0}"; shift $(( $# < 3 ? $# : 3 ))
stale() {
  [ "${BENCH_REBUILD:-0}" = "1" ] && return 0
  [ -f "$CPF" ] && [ -f "$MARK" ] && [ -d "$HERE/target/classes/io" ] || return 0
  [ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$MARK" -type f -print -quit)" ]
}
if stale; then
  echo "run.sh: building bench/dl4j-spark (first use or sources changed) ..." >&2
  (cd "$ROOT" && ./mvnw -f bench/dl4j-spark/pom.xml -B -ntp -q package -DskipTests) >&2
  touch "$MARK"
fi
# what Spark 3.5 needs on Java 17 (the root pom's spark.jvm.flags)
SPARK_FLAGS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
-Dio.netty.tryReflectionSetAccessible=true"
# ND4J's off-heap limits as ./smwm sets them; dl4j-spark's stats clock without NTP
ND4J_FLAGS="-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G \
-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc 2>/dev/null || echo 2)}"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx8g} $SPARK_FLAGS $ND4J_FLAGS -cp "$HERE/target/classes:$(cat "$CPF")" \
  io.smwm.bench.dl4j.Dl4jSparkBench --data "$TABLE" --epochs "$EPOCHS" --lambda "$LAMBDA" "$@"
