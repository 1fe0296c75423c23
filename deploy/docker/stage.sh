#!/usr/bin/env bash
# Gathers the Docker build context in target/docker: the application jar and conf/.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/target/docker"
rm -rf "$out" && mkdir -p "$out/conf"
cp "$root/spark-jobs/target/sparkpoint-spark-jobs-app.jar" "$out/"
cp -R "$root/conf/." "$out/conf/"
echo "$out"
