#!/usr/bin/env bash
# Gathers the Docker build context in target/docker: the application jar, its runtime jars and conf/.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/target/docker"
rm -rf "$out" && mkdir -p "$out/jars" "$out/conf"
cp "$root/spark-jobs/target/sparkpoint-spark-jobs.jar" "$out/"
tr ',' '\n' < "$root/spark-jobs/target/submit.jars" | while read -r jar; do cp "$jar" "$out/jars/"; done
cp "$root/conf/"* "$out/conf/"
echo "$out"
