package io.sparkpoint.tensor;

import io.sparkpoint.proto.TensorShapeProto;
import java.io.Serializable;
import java.util.Arrays;

/** A fully known tensor shape. The empty shape is a scalar. Immutable; serializable to ship to Spark tasks. */
public final class Shape implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Shape SCALAR = new Shape(new long[0]);

  private final long[] dims;
  private final long numElements;

  private Shape(long[] dims) {
    long count = 1;
    for (long dim : dims) {
      if (dim < 0) {
        throw new IllegalArgumentException("Invalid shape " + Arrays.toString(dims) + ": negative dimension " + dim);
      }
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("Invalid shape " + Arrays.toString(dims) + ": element count overflows", e);
      }
    }
    this.dims = dims;
    this.numElements = count;
  }

  public static Shape scalar() {
    return SCALAR;
  }

  public static Shape of(long... dims) {
    return dims.length == 0 ? SCALAR : new Shape(dims.clone());
  }

  /**
   * @throws IllegalArgumentException for unknown rank or dimensions, or an element count that overflows
   */
  public static Shape fromProto(TensorShapeProto proto) {
    if (proto.getUnknownRank()) {
      throw new IllegalArgumentException("Invalid shape: unknown rank");
    }
    long[] dims = new long[proto.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = proto.getDim(i).getSize();
    }
    return of(dims);
  }

  public TensorShapeProto toProto() {
    TensorShapeProto.Builder builder = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      builder.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return builder.build();
  }

  public int rank() {
    return dims.length;
  }

  public long dim(int index) {
    return dims[index];
  }

  public long[] dims() {
    return dims.clone();
  }

  public long numElements() {
    return numElements;
  }

  public boolean isScalar() {
    return dims.length == 0;
  }

  /** Whether this shape's first dimensions are {@code prefix}'s (TF's TensorShapeUtils::StartsWith). */
  public boolean startsWith(Shape prefix) {
    return prefix.dims.length <= dims.length
        && Arrays.equals(dims, 0, prefix.dims.length, prefix.dims, 0, prefix.dims.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Shape shape && Arrays.equals(dims, shape.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** TensorFlow's rendering: {@code [2,3]}, {@code []} for a scalar. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      text.append(i == 0 ? "" : ",").append(dims[i]);
    }
    return text.append(']').toString();
  }
}
