package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.ShardedBundleWriter;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.junit.jupiter.api.Test;

class PartitionPlannerTest {
  private final InMemoryFileIO io = TestFixtures.memory();

  /** Shard 0: a (400 bytes), b (40), c (400); shard 1: d (8). */
  private BundleReader twoShards() throws Exception {
    ShardedBundleWriter writer = ShardedBundleWriter.create(io, "/mem/m/model.ckpt-3", 2);
    writer.shard(0).add("a", Tensor.ofFloats(Shape.of(100), new float[100]));
    writer.shard(0).add("b", Tensor.ofFloats(Shape.of(10), new float[10]));
    writer.shard(0).add("c", Tensor.ofFloats(Shape.of(100), new float[100]));
    writer.shard(1).add("d", Tensor.scalar(5L));
    writer.finish();
    return BundleReader.open(io, "/mem/m/model.ckpt-3");
  }

  private static List<String> describe(List<TensorPartition> partitions) {
    return partitions.stream().map(p -> p.shard() + ":" + p.names() + ":" + p.bytes()).toList();
  }

  @Test
  void oneTaskPerDataFileWhenEverythingFitsTheSplitSize() throws Exception {
    try (BundleReader reader = twoShards()) {
      assertThat(describe(PartitionPlanner.plan(reader, ScanFilter.none(), 64 << 20)))
          .containsExactly("0:[a, b, c]:840", "1:[d]:8");
    }
  }

  @Test
  void aDataFileIsCutAtTheSplitSizeAndALargerTensorIsATaskOfItsOwn() throws Exception {
    try (BundleReader reader = twoShards()) {
      List<TensorPartition> partitions = PartitionPlanner.plan(reader, ScanFilter.none(), 440);
      assertThat(describe(partitions)).containsExactly("0:[a, b]:440", "0:[c]:400", "1:[d]:8");
      assertThat(partitions).extracting(p -> p.start() + "-" + p.end()).containsExactly("0-440", "440-840", "0-8");
      assertThat(describe(PartitionPlanner.plan(reader, ScanFilter.none(), 100)))
          .containsExactly("0:[a]:400", "0:[b]:40", "0:[c]:400", "1:[d]:8");
    }
  }

  @Test
  void filteredOutTensorsAreNotPlanned() throws Exception {
    try (BundleReader reader = twoShards()) {
      ScanFilter onlyD = ScanFilter.of(new Filter[] {new EqualTo("name", "d")});
      assertThat(describe(PartitionPlanner.plan(reader, onlyD, 64 << 20))).containsExactly("1:[d]:8");
    }
  }
}
