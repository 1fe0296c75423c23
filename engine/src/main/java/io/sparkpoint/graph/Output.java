package io.sparkpoint.graph;

/** One output of an operation, named {@code op:index} as TensorFlow names tensors. */
public record Output(Operation op, int index) {
  public Output {
    if (index < 0) {
      throw new IllegalArgumentException("Invalid output index " + index + " of " + op.name());
    }
  }

  /** {@code op:index}. */
  public String name() {
    return op.name() + ":" + index;
  }

  /**
   * The dtype this output carries, from its op's OpDef (or, for ops the registry does not know, its
   * {@code dtype} or {@code T} attr); null when not known. A ref output's dtype is its value's dtype.
   */
  public io.sparkpoint.tensor.DType dtype() {
    return OpSignatures.outputDType(op.toNodeDef(), index);
  }

  /** How a NodeDef input refers to this output: {@code op} for index 0, else {@code op:index}. */
  String inputString() {
    return index == 0 ? op.name() : name();
  }

  @Override
  public String toString() {
    return name();
  }
}
