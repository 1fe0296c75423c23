package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tensors large enough to be written with a parallel checksum and read as two halves at once. */
class LargeTensorReadTest {
  private static final int BYTES = 12 << 20;

  private static Tensor large() {
    byte[] bytes = new byte[BYTES];
    new Random(3).nextBytes(bytes);
    return Tensor.of(DType.FLOAT, Shape.of(BYTES / 4), bytes);
  }

  @Test
  void aLargeTensorReadsBackIdenticallyBothWays() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    Tensor tensor = large();
    try (BundleWriter writer = BundleWriter.create(io, "/mem/big")) {
      writer.add("big", tensor);
      writer.finish();
    }
    try (BundleReader reader = BundleReader.open(io, "/mem/big")) {
      assertThat(reader.lookup("big")).isEqualTo(tensor);
      ByteBuffer buffer = ByteBuffer.allocate(BYTES + 8);
      buffer.position(8);
      reader.readInto("big", buffer);
      assertThat(buffer.position()).isEqualTo(BYTES + 8);
      assertThat(buffer.flip().position(8).slice()).isEqualTo(tensor.data());
    }
  }

  @Test
  void aFlippedByteInEitherHalfIsCaught() throws Exception {
    for (int offset : new int[] {10, BYTES - 10}) {
      InMemoryFileIO io = TestFixtures.memory();
      try (BundleWriter writer = BundleWriter.create(io, "/mem/big")) {
        writer.add("big", large());
        writer.finish();
      }
      byte[] data = io.contents("/mem/big.data-00000-of-00001");
      data[offset] ^= 0x10;
      io.put("/mem/big.data-00000-of-00001", data);
      try (BundleReader reader = BundleReader.open(io, "/mem/big")) {
        assertThatThrownBy(() -> reader.lookup("big"))
            .isInstanceOf(CorruptBundleException.class)
            .hasMessageStartingWith("Checksum does not match for tensor big in /mem/big.data-00000-of-00001");
        assertThatThrownBy(() -> reader.readInto("big", ByteBuffer.allocate(BYTES)))
            .isInstanceOf(CorruptBundleException.class);
      }
    }
  }
}
