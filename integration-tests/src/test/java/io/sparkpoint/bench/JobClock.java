package io.sparkpoint.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Spark's own timestamps of the jobs it ran: when each was submitted and ended (the scheduler's
 * clock, in ms), its description, and its longest task. Lets a benchmark split an operation into
 * what ran before a job, the job itself, and what followed it, without touching the code it times.
 */
final class JobClock extends SparkListener {
  /**
   * One finished job. Task figures are the largest over its tasks, in ms: launch to finish, the
   * task's deserialization, its run, its result's serialization, and GC during it.
   */
  record Job(String description, long startMs, long endMs, long longestTaskMs, long deserializeMs, long runMs, long resultMs, long gcMs) {
    long wallMs() {
      return endMs - startMs;
    }
  }

  private record Started(String description, long startMs, List<Object> stages) {}

  private final Map<Integer, Started> running = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> longest = new ConcurrentHashMap<>();
  private final List<Job> done = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String description = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
    List<Object> stages = scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds());
    stages.forEach(s -> jobOfStage.put((Integer) s, start.jobId()));
    running.put(start.jobId(), new Started(description == null ? "" : description, start.time(), stages));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Integer job = jobOfStage.get(end.stageId());
    if (job == null || end.taskInfo() == null) {
      return;
    }
    var metrics = end.taskMetrics();
    long[] task = metrics == null ? new long[] {end.taskInfo().duration(), 0, 0, 0, 0}
        : new long[] {end.taskInfo().duration(), metrics.executorDeserializeTime(), metrics.executorRunTime(), metrics.resultSerializationTime(),
            metrics.jvmGCTime()};
    longest.merge(job, task, (a, b) -> {
      long[] max = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        max[i] = Math.max(a[i], b[i]);
      }
      return max;
    });
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    Started started = running.remove(end.jobId());
    if (started == null) {
      return;
    }
    started.stages().forEach(jobOfStage::remove);
    long[] task = longest.remove(end.jobId());
    synchronized (done) {
      long[] t = task == null ? new long[5] : task;
      done.add(new Job(started.description(), started.startMs(), end.time(), t[0], t[1], t[2], t[3], t[4]));
      done.notifyAll();
    }
  }

  /** Forgets the jobs seen so far. */
  void clear() {
    synchronized (done) {
      done.clear();
    }
  }

  /** The finished jobs whose description starts with {@code prefix}, once at least {@code count} of them have been reported. */
  List<Job> await(String prefix, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (done) {
      while (true) {
        List<Job> matching = done.stream().filter(j -> j.description().startsWith(prefix)).toList();
        if (matching.size() >= count) {
          return matching;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("Spark reported " + matching.size() + " jobs '" + prefix + "...', expected " + count);
        }
        done.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }
}
