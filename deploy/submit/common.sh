# Shared by the spark-submit wrappers: the application jar, the main class and the JVM flags of conf/spark-defaults.conf.
# Sourced, not run. Needs SPARK_HOME (a Spark 4.0 / Scala 2.13 distribution) and a build (mvn -B -DskipTests install).
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/spark-jobs/target/sparkpoint-spark-jobs-app.jar"
if [ ! -f "$jar" ]; then
  echo "sparkpoint: the application jar is not built; run 'mvn -B -DskipTests install' in $root" >&2
  exit 2
fi
if [ -z "${SPARK_HOME:-}" ] || [ ! -x "$SPARK_HOME/bin/spark-submit" ]; then
  echo "sparkpoint: set SPARK_HOME to a Spark 4.0 (Scala 2.13) distribution" >&2
  exit 2
fi
main=io.sparkpoint.spark.cli.SparkpointCli
opens="$(sed -n 's/^spark\.driver\.extraJavaOptions[[:space:]]*//p' "$root/conf/spark-defaults.conf")"
# the application's name in the cluster manager (YARN's list, Kubernetes' pod names): the command it runs
name="sparkpoint-${1:-app}"
