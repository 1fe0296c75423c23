"""Airflow DAG: train a model with Sparkpoint on Spark, wait for its checkpoint manifest, then
validate, freeze and apply retention, each as a spark-submit of the sparkpoint application.

The command lines come from sparkpoint_jobs.json next to this file; the project's integration test
runs exactly those lines, so the DAG and the tests cannot drift apart.

Set the Airflow Variable SPARKPOINT_HOME to where the built jars are (the repository root, or the
unpacked distribution), and the connections spark_default (the cluster) and webhdfs_default.
"""
import json
import os
from datetime import datetime

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.hdfs.sensors.web_hdfs import WebHdfsSensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with open(os.path.join(os.path.dirname(__file__), "sparkpoint_jobs.json")) as f:
    JOBS = json.load(f)

SPARKPOINT_HOME = Variable.get("SPARKPOINT_HOME", default_var="/opt/sparkpoint")


def _spark_conf():
    """The JVM flags of conf/spark-defaults.conf, for the driver and the executors."""
    conf = {}
    with open(os.path.join(SPARKPOINT_HOME, "conf", "spark-defaults.conf")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition(" ")
                conf[key] = value.strip()
    return conf


with DAG(
    dag_id="sparkpoint_train",
    start_date=datetime(2026, 1, 1),
    schedule=None,
    catchup=False,
    params={
        "hdfs_uri": "hdfs://namenode:8020",
        "meta": "hdfs://namenode:8020/models/mlp/model.ckpt-0.meta",
        "data": "hdfs://namenode:8020/data/train.parquet",
        # the checkpoint directory's path on hdfs_uri; the sensor polls its manifest through WebHDFS
        "checkpoint_path": "/models/mlp/run",
        "frozen": "hdfs://namenode:8020/models/mlp/frozen.pb",
        "batch_size": 256,
        "steps": 1000,
        "save_every_steps": 100,
        "shards": 4,
    },
    tags=["sparkpoint"],
) as dag:
    tasks = {}
    for job in JOBS["tasks"]:
        tasks[job["task_id"]] = SparkSubmitOperator(
            task_id=job["task_id"],
            conn_id="spark_default",
            application=os.path.join(SPARKPOINT_HOME, "spark-jobs", "target", "sparkpoint-spark-jobs-app.jar"),
            java_class="io.sparkpoint.spark.cli.SparkpointCli",
            conf=_spark_conf(),
            application_args=job["args"],
            name="sparkpoint-" + job["task_id"],
        )

    manifest = WebHdfsSensor(
        task_id="wait_for_manifest",
        webhdfs_conn_id="webhdfs_default",
        filepath=JOBS["manifest"],
        poke_interval=30,
        timeout=6 * 3600,
    )

    tasks["train"] >> manifest >> tasks["validate"] >> tasks["freeze"] >> tasks["retain"]
