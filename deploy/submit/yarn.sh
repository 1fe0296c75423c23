#!/usr/bin/env bash
# Submits a sparkpoint command to YARN in cluster mode:
#   deploy/submit/yarn.sh train --meta hdfs://... --data hdfs://... --checkpoint-dir hdfs://... ...
# Environment: SPARK_HOME, HADOOP_CONF_DIR (the cluster), SPARKPOINT_SUBMIT_OPTS (extra spark-submit options,
# e.g. "--queue ml --num-executors 8 --executor-cores 4 --executor-memory 8g").
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the directory of the Hadoop configuration files of the cluster}"
# shellcheck disable=SC2086
exec "$SPARK_HOME/bin/spark-submit" --master yarn --deploy-mode cluster --class "$main" --name "$name" \
  --conf "spark.driver.extraJavaOptions=$opens" --conf "spark.executor.extraJavaOptions=$opens" \
  --conf spark.yarn.maxAppAttempts=1 ${SPARKPOINT_SUBMIT_OPTS:-} "$jar" "$@"
