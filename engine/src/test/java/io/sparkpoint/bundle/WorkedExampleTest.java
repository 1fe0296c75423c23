package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The one-tensor checkpoint that TensorFlow 2.18 wrote, byte for byte (format facts §1.9). */
class WorkedExampleTest {
  private static final String TF_INDEX =
      "000006" + "08011a020801"
          + "00010f" + "76" + "080112041202080228083559" + "3ce535"
          + "0000000001000000"
          + "0030559358"
          + "0000000001000000" + "00c0f2a1b0"
          + "000102770024" + "0000000001000000" + "009460b2cd"
          + "2908360e" + "00".repeat(36) + "57fb808b247547db";

  @Test
  void singleFloatTensorMatchesTensorFlowByteForByte() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    try (BundleWriter writer = BundleWriter.create(io, "/mem/v")) {
      writer.add("v", Tensor.ofFloats(Shape.of(2), 1.0f, 2.0f));
      writer.finish();
    }
    assertThat(UnsignedBytes.hex(io.contents("/mem/v.data-00000-of-00001"))).isEqualTo("0000803f00000040");
    assertThat(UnsignedBytes.hex(io.contents("/mem/v.index"))).isEqualTo(TF_INDEX);
    assertThat(io.allFiles()).containsExactlyInAnyOrder("/mem/v.data-00000-of-00001", "/mem/v.index");
  }
}
