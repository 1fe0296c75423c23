package io.sparkpoint.spark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.EntryCheck;
import io.sparkpoint.bundle.ShardedBundleWriter;
import io.sparkpoint.bundle.ValidationPlan;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How a validation's checks become Spark tasks. */
class ValidationTasksTest {
  private final InMemoryFileIO io = TestFixtures.memory();

  @Test
  void eachTaskChecksUpToTheSplitOfOneDataFileInFileOrder() throws IOException {
    String prefix = "/mem/two/ckpt";
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, prefix, 2)) {
      for (int i = 0; i < 6; i++) {
        writer.shard(i % 2).add("t" + i, TestFixtures.randomTensor(DType.FLOAT, Shape.of(100), new Random(i))); // 400 bytes each
      }
      writer.finish();
    }
    List<ValidationTasks.Task> tasks = ValidationTasks.group(ValidationPlan.of(io, prefix, 1000), 1000);
    assertThat(tasks).extracting(ValidationTasks.Task::shard).containsExactly(0, 0, 1, 1);
    assertThat(tasks).extracting(task -> task.checks().stream().map(EntryCheck::tensor).toList())
        .containsExactly(List.of("t0", "t2"), List.of("t4"), List.of("t1", "t3"), List.of("t5"));
    assertThat(tasks.get(0)).extracting(ValidationTasks.Task::start, ValidationTasks.Task::end).containsExactly(0L, 800L);
    assertThat(tasks.get(1)).extracting(ValidationTasks.Task::start, ValidationTasks.Task::end).containsExactly(800L, 1200L);
  }

  @Test
  void aTensorLargerThanTheSplitIsSpreadOverTasksOneRangeEach() throws IOException {
    String prefix = "/mem/one/ckpt";
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, prefix, 1)) {
      writer.shard(0).add("large", TestFixtures.randomTensor(DType.DOUBLE, Shape.of(1000), new Random(1))); // 8000 bytes
      writer.shard(0).add("small", Tensor.ofFloats(Shape.of(1), 1));
      writer.finish();
    }
    List<ValidationTasks.Task> tasks = ValidationTasks.group(ValidationPlan.of(io, prefix, 3000), 3000);
    assertThat(tasks).extracting(task -> task.checks().stream().map(check -> check.tensor() + (check.whole() ? "" : "@" + check.from())).toList())
        .containsExactly(List.of("large@0"), List.of("large@3000"), List.of("large@6000", "small"));
    assertThat(tasks).extracting(ValidationTasks.Task::start).containsExactly(0L, 3000L, 6000L);
    assertThat(tasks).extracting(ValidationTasks.Task::end).containsExactly(3000L, 6000L, 8004L);
  }

  @Test
  void withoutMasterOrLocalSparkRunsOnlyLargeWorkOfSeveralTasks() {
    assertThat(Placement.AUTO.usesSpark(Placement.AUTO_SPARK_BYTES - 1, 100)).isFalse();
    assertThat(Placement.AUTO.usesSpark(Placement.AUTO_SPARK_BYTES, 1)).isFalse();
    assertThat(Placement.AUTO.usesSpark(Placement.AUTO_SPARK_BYTES, 2)).isTrue();
    assertThat(Placement.spark("local[2]").usesSpark(1, 1)).isTrue();
    assertThat(Placement.spark(null).usesSpark(0, 0)).isFalse(); // nothing to run
    assertThat(Placement.LOCAL.usesSpark(Long.MAX_VALUE, 100)).isFalse();
  }
}
