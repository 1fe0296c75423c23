package io.sparkpoint.spark.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session a job runs in: the one spark-submit configured, or a local one. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * @param master {@code --master}, or null: spark-submit's master when there is one, else {@code local[*]}
   */
  public static SparkSession getOrCreate(String master, String appName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (master != null) {
      builder.master(master);
    } else if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    return builder.getOrCreate();
  }
}
