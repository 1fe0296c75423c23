package io.sparkpoint.tensor;

/**
 * The {@code shape_and_slice} string of SaveV2 and RestoreV2: the full shape, then the slice, as in
 * {@code "4 2 0,2:-"}.
 */
public record ShapeAndSlice(Shape fullShape, TensorSlice slice) {
  public ShapeAndSlice {
    slice.sliceShape(fullShape); // validates rank and bounds
  }

  /**
   * @throws IllegalArgumentException with TensorFlow's wording for malformed specs
   */
  public static ShapeAndSlice parse(String spec) {
    String[] tokens = spec.split(" ", -1);
    if (tokens.length < 2) {
      throw new IllegalArgumentException("Need least two elements in shape_and_slice specification: " + spec);
    }
    long[] dims = new long[tokens.length - 1];
    for (int i = 0; i < dims.length; i++) {
      try {
        dims[i] = Long.parseLong(tokens[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Non numerical dimension in shape_and_slice: " + spec);
      }
    }
    Shape shape = Shape.of(dims);
    TensorSlice slice = TensorSlice.parse(tokens[tokens.length - 1]);
    if (slice.rank() != shape.rank()) {
      throw new IllegalArgumentException("Invalid shape_and_slice " + spec + ": slice rank " + slice.rank() + " vs shape rank " + shape.rank());
    }
    return new ShapeAndSlice(shape, slice);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int d = 0; d < fullShape.rank(); d++) {
      text.append(fullShape.dim(d)).append(' ');
    }
    return text.append(slice).toString();
  }
}
