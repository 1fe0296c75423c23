#!/usr/bin/env bash
# Submits a sparkpoint command to Kubernetes in cluster mode, with the image of deploy/docker/Dockerfile:
#   SPARKPOINT_K8S_MASTER=k8s://https://api.example:6443 SPARKPOINT_IMAGE=registry/sparkpoint:0.1.0 \
#     deploy/submit/kubernetes.sh train --meta hdfs://... --checkpoint-dir hdfs://... ...
# The image holds the application jar, so nothing is uploaded.
# Environment: SPARK_HOME, SPARKPOINT_K8S_MASTER, SPARKPOINT_IMAGE, SPARKPOINT_K8S_NAMESPACE (default: default),
# SPARKPOINT_SUBMIT_OPTS (e.g. "--conf spark.executor.instances=4").
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
: "${SPARKPOINT_K8S_MASTER:?set SPARKPOINT_K8S_MASTER to k8s://https://HOST:PORT}"
: "${SPARKPOINT_IMAGE:?set SPARKPOINT_IMAGE to the image built from deploy/docker/Dockerfile}"
# shellcheck disable=SC2086
exec "$SPARK_HOME/bin/spark-submit" --master "$SPARKPOINT_K8S_MASTER" --deploy-mode cluster --class "$main" --name "$name" \
  --conf "spark.kubernetes.container.image=$SPARKPOINT_IMAGE" \
  --conf "spark.kubernetes.namespace=${SPARKPOINT_K8S_NAMESPACE:-default}" \
  --conf "spark.driver.extraJavaOptions=$opens" --conf "spark.executor.extraJavaOptions=$opens" \
  ${SPARKPOINT_SUBMIT_OPTS:-} "local:///opt/sparkpoint/sparkpoint-spark-jobs-app.jar" "$@"
