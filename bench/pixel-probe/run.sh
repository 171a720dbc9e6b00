#!/usr/bin/env bash
# A pixel probe: can the encoder read a task-state factor from the frames when the objective asks for it?
# Copies a table with its actions replaced by that state (RelabelActions), so the inverse model becomes a supervised
# probe; then train and diagnose it with ./smwm as usual (see README.md). Usage, from the repository root after
# ./mvnw install -DskipTests (or the README's build command):
#   bench/pixel-probe/run.sh SRC DST EPISODES --angle I | --columns I,J,...
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [ $# -ne 5 ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
JAR="$ROOT/smwm-spark/target/smwm.jar"
CPF="$ROOT/smwm-spark/target/spark-classpath.txt"
FLAGS="$ROOT/smwm-spark/target/classes/smwm-jvm.flags"
for f in "$JAR" "$CPF" "$FLAGS"; do
  [ -f "$f" ] || { echo "run.sh: $f is missing; build the project first (./mvnw -B install -DskipTests)" >&2; exit 1; }
done
CP="$JAR:$(cat "$CPF")"
OUT="$HERE/target/classes"
if [ ! -f "$OUT/RelabelActions.class" ] || [ "$HERE/src/RelabelActions.java" -nt "$OUT/RelabelActions.class" ]; then
  mkdir -p "$OUT"
  javac -d "$OUT" -cp "$CP" "$HERE/src/RelabelActions.java"
fi
# shellcheck disable=SC2046
exec java ${JAVA_OPTS:--Xmx4g} $(cat "$FLAGS") -cp "$OUT:$CP" RelabelActions "$@"
