package io.sparkpoint.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.tensor.DType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** A block answers which of its examples a step takes, also after Spark spilled it to disk and read it back. */
class ExampleBlockTest {
  private static final List<FeedSpec> FEEDS = List.of(new FeedSpec("x:0", DType.FLOAT, new long[0], List.of("v")));

  private static ExampleBlock block() {
    List<Row> rows = List.of(RowFactory.create(10f), RowFactory.create(11f), RowFactory.create(12f));
    return ExampleBlock.of(FEEDS, rows, new long[] {4, 0, 2});
  }

  private static ExampleBlock roundTrip(ExampleBlock block) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(block);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ExampleBlock) in.readObject();
    }
  }

  @Test
  void aSliceListsTheLocalExamplesAtTheStepsPositionsInPermutationOrder() {
    int[] inverse = {5, 0, 1, 2, 3, 4}; // example i sits at position inverse[i]
    assertThat(block().slice(0, inverse, 0, 4)).containsExactly(2, 0); // example 2 at position 1, example 4 at 3
    assertThat(block().slice(0, inverse, 4, 6)).containsExactly(1); // example 0 at position 5
  }

  @Test
  void aDeserializedBlockSlicesItsFirstEpochAsTheOriginalDoes() throws Exception {
    int[] inverse = {5, 0, 1, 2, 3, 4};
    ExampleBlock read = roundTrip(block());

    assertThat(read.slice(0, inverse, 0, 4)).containsExactly(2, 0);
    assertThat(read.feeds(FEEDS, new int[] {2, 0}).get("x:0").doubleAt(1)).isEqualTo(10f);
  }
}
