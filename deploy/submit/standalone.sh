#!/usr/bin/env bash
# Submits a sparkpoint command to a Spark standalone cluster (client mode: progress lines and the JSON summary
# print here):
#   SPARKPOINT_MASTER=spark://master:7077 deploy/submit/standalone.sh train --meta ... ...
# Environment: SPARK_HOME, SPARKPOINT_MASTER, SPARKPOINT_SUBMIT_OPTS (e.g. "--total-executor-cores 16").
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${SPARKPOINT_MASTER:?set SPARKPOINT_MASTER to spark://HOST:7077}"
# shellcheck disable=SC2086
exec "$SPARK_HOME/bin/spark-submit" --master "$SPARKPOINT_MASTER" --deploy-mode client --class "$main" --name "$name" \
  --conf "spark.driver.extraJavaOptions=$opens" --conf "spark.executor.extraJavaOptions=$opens" \
  ${SPARKPOINT_SUBMIT_OPTS:-} "$jar" "$@"
