package io.sparkpoint.kernels.random;

import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * How a random op turns a Philox stream into a tensor, as TensorFlow's CPU kernels do (their
 * FillPhiloxRandom): the output is cut into groups of {@link #groupSize} elements in row-major
 * order. A fixed distribution makes each group from exactly one block, so group g uses block g of
 * the run's stretch. A variable one (rejection sampling) may need many blocks per group, so group g
 * starts its own generator {@code g * groupSize * 256 / 4} blocks into the stretch and reads it one
 * word at a time. Either way the result does not depend on how the work is split.
 */
final class Distribution {
  /** Writes the first {@code count} elements of one group, reading words from {@code words}. */
  @FunctionalInterface
  interface Group {
    void write(Words words, ByteBuffer out, int count);
  }

  private final DType dtype;
  private final int groupSize;
  private final boolean variableSamples;
  private final Group group;

  private Distribution(DType dtype, int groupSize, boolean variableSamples, Group group) {
    this.dtype = dtype;
    this.groupSize = groupSize;
    this.variableSamples = variableSamples;
    this.group = group;
  }

  /** Groups of one block each: four elements of 32 bits or two of 64. */
  static Distribution fixed(DType dtype, Group group) {
    return new Distribution(dtype, groupSize(dtype), false, group);
  }

  /** Groups that take as many words as they need (within their reserved blocks). */
  static Distribution variable(DType dtype, Group group) {
    return new Distribution(dtype, groupSize(dtype), true, group);
  }

  private static int groupSize(DType dtype) {
    return dtype == DType.DOUBLE || dtype == DType.INT64 ? 2 : 4;
  }

  /** The elements per group: what one 128-bit block makes. */
  int groupSize() {
    return groupSize;
  }

  /** A tensor of {@code shape} sampled from the stretch of the stream that starts at {@code start}. */
  Tensor sample(Philox4x32 start, Shape shape) {
    long n = shape.numElements();
    ByteBuffer out = Numbers.allocate(dtype, n);
    long groups = (n + groupSize - 1) / groupSize;
    long blocksPerGroup = (long) groupSize * GuardedPhilox.RESERVED_BLOCKS_PER_OUTPUT / Philox4x32.BLOCK_WORDS;
    Words sequential = new Words(start.copy());
    for (long g = 0; g < groups; g++) {
      Words words = sequential;
      if (variableSamples) {
        Philox4x32 generator = start.copy();
        generator.skip(g * blocksPerGroup);
        words = new Words(generator);
      }
      group.write(words, out, (int) Math.min(groupSize, n - g * groupSize));
    }
    return Numbers.tensor(dtype, shape, out);
  }

  /** Writes a float-valued element to a float, float16 or bfloat16 tensor, rounding to nearest even. */
  static void putFloat(ByteBuffer out, DType dtype, float value) {
    switch (dtype) {
      case FLOAT -> out.putFloat(value);
      case HALF -> out.putShort(HalfFloats.floatToHalf(value));
      case BFLOAT16 -> out.putShort(HalfFloats.floatToBfloat16(value));
      default -> throw new IllegalArgumentException("Cannot write a float to a " + dtype.pythonName() + " tensor");
    }
  }

  /** One word at a time from a generator's blocks (TF's SingleSampleAdapter). Not thread-safe. */
  static final class Words {
    private final Philox4x32 generator;
    private final int[] block = new int[Philox4x32.BLOCK_WORDS];
    private int used = Philox4x32.BLOCK_WORDS;

    Words(Philox4x32 generator) {
      this.generator = generator;
    }

    int next() {
      if (used == block.length) {
        generator.next(block);
        used = 0;
      }
      return block[used++];
    }
  }
}
