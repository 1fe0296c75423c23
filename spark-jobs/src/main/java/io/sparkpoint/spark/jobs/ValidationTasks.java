package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.EntryCheck;
import io.sparkpoint.bundle.ValidationPlan;
import io.sparkpoint.spark.hadoop.BlockHosts;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A {@link ValidationPlan}'s checks as Spark tasks: each task holds checks of one data file, in
 * file order, up to {@code splitBytes} bytes (a check is never larger: the plan split larger
 * entries into ranges of that size), and prefers the hosts that store those bytes. A task opens
 * the checkpoint once and runs its checks; the driver puts the outcomes together.
 */
final class ValidationTasks {
  private ValidationTasks() {}

  /**
   * One task's checks: bytes {@code [start, end)} of data file {@code shard}, or less. A shard the
   * header does not have gets a task of its own, whose checks fail without reading.
   */
  record Task(int shard, List<EntryCheck> checks, long start, long end) implements Serializable {
    private static final long serialVersionUID = 1L;

    Task {
      checks = List.copyOf(checks);
    }

    static Task of(int shard, List<EntryCheck> checks) {
      long start = Long.MAX_VALUE;
      long end = 0;
      for (EntryCheck check : checks) {
        start = Math.min(start, check.fileOffset());
        end = Math.max(end, check.fileOffset() + check.length());
      }
      return new Task(shard, checks, Math.min(start, end), end);
    }
  }

  /** Groups the plan's checks by data file, sorted by offset, into runs of at most {@code splitBytes} (at least one check each). */
  static List<Task> group(ValidationPlan plan, long splitBytes) {
    Map<Integer, List<EntryCheck>> byShard = new TreeMap<>();
    for (EntryCheck check : plan.checks()) {
      byShard.computeIfAbsent(check.shard(), shard -> new ArrayList<>()).add(check);
    }
    List<Task> tasks = new ArrayList<>();
    for (Map.Entry<Integer, List<EntryCheck>> shard : byShard.entrySet()) {
      List<EntryCheck> checks = shard.getValue();
      checks.sort(Comparator.comparingLong(EntryCheck::fileOffset));
      List<EntryCheck> run = new ArrayList<>();
      long bytes = 0;
      for (EntryCheck check : checks) {
        if (!run.isEmpty() && bytes + check.length() > splitBytes) {
          tasks.add(Task.of(shard.getKey(), run));
          run = new ArrayList<>();
          bytes = 0;
        }
        run.add(check);
        bytes += check.length();
      }
      tasks.add(Task.of(shard.getKey(), run));
    }
    return tasks;
  }

  /** Runs the tasks on Spark and returns every check's outcome. */
  static List<EntryCheck.Outcome> run(SparkSession spark, ValidationPlan plan, List<Task> tasks) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    HadoopConf hadoop = new HadoopConf(conf);
    String shown = plan.prefix();
    String read = HadoopPaths.absolute(shown, conf);
    BlockHosts blockHosts = new BlockHosts(conf);
    List<Tuple2<Task, Seq<String>>> located = new ArrayList<>();
    for (Task task : tasks) {
      boolean inHeader = task.shard() >= 0 && task.shard() < plan.numShards();
      List<String> hosts = inHeader ? blockHosts.hosts(BundleNaming.dataFile(read, task.shard(), plan.numShards()), task.start(), task.end()) : List.of();
      located.add(new Tuple2<>(task, CollectionConverters.asScala(hosts).toSeq()));
    }
    ClassTag<Task> taskTag = ClassTag$.MODULE$.apply(Task.class);
    spark.sparkContext().setJobDescription("sparkpoint validate " + shown);
    RDD<Task> rdd = spark.sparkContext().makeRDD(CollectionConverters.asScala(located).toSeq(), taskTag);
    return rdd.toJavaRDD().flatMap(task -> runTask(hadoop, read, shown, task).iterator()).collect();
  }

  /**
   * Runs one task's checks with one reader of the checkpoint at {@code read}. Problems name the
   * checkpoint as the user gave it ({@code shown}), as the single-JVM validator names it.
   */
  static List<EntryCheck.Outcome> runTask(HadoopConf hadoop, String read, String shown, Task task) throws IOException {
    List<EntryCheck.Outcome> outcomes = new ArrayList<>();
    try (BundleReader reader = BundleReader.open(hadoop.fileIO(), read)) {
      for (EntryCheck check : task.checks()) {
        EntryCheck.Outcome outcome = check.run(reader);
        if (outcome.problem() != null && !read.equals(shown)) {
          outcome = new EntryCheck.Outcome(outcome.id(), outcome.problem().replace(read, shown), outcome.crc());
        }
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }
}
