package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.HalfTensors;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** AddN: the sum of N same-shape tensors, in TensorFlow's order. */
class AddNTest {
  private static final Shape S3 = Shape.of(3);

  private static Tensor addN(Tensor... inputs) {
    return run(node("AddN").putAttr("N", integer(inputs.length)), inputs);
  }

  @Test
  void sumsTwoOrThreeTensors() {
    Tensor a = Tensor.ofFloats(S3, 1, 2, 3);
    Tensor b = Tensor.ofFloats(S3, 10, 20, 30);
    assertClose(addN(a, b), Tensor.ofFloats(S3, 11, 22, 33));
    assertClose(addN(a, b, a), Tensor.ofFloats(S3, 12, 24, 36));
    Tensor d = Tensor.ofDoubles(Shape.of(1), 0.1);
    assertClose(addN(d, d, d, d), Tensor.ofDoubles(Shape.of(1), 0.1 + 0.1 + 0.1 + 0.1));
  }

  @Test
  void oneInputIsReturnedAsItIs() {
    Tensor a = Tensor.ofInts(S3, 1, 2, 3);
    assertThat(addN(a)).isSameAs(a);
  }

  @Test
  void groupsOfEightAfterTheFirstInputsAreSummedBeforeTheyAreAdded() {
    // ten inputs: (1e8 + 0) + (1 + 1 + ... + 1); one at a time, each 1 would be lost in rounding
    Tensor[] inputs = new Tensor[10];
    inputs[0] = Tensor.ofFloats(Shape.of(1), 1e8f);
    inputs[1] = Tensor.ofFloats(Shape.of(1), 0);
    Arrays.fill(inputs, 2, 10, Tensor.ofFloats(Shape.of(1), 1));
    assertThat(addN(inputs)).isEqualTo(Tensor.ofFloats(Shape.of(1), 100_000_008f));
    // nine inputs are summed one at a time
    assertThat(addN(Arrays.copyOf(inputs, 9))).isEqualTo(Tensor.ofFloats(Shape.of(1), 1e8f));
    // seventeen: nine, then a group of eight
    Tensor[] seventeen = new Tensor[17];
    Arrays.fill(seventeen, Tensor.ofFloats(Shape.of(1), 1));
    seventeen[0] = inputs[0];
    assertThat(addN(seventeen)).isEqualTo(Tensor.ofFloats(Shape.of(1), 100_000_008f));
  }

  @Test
  void integersWrapAndHalfFloatsRoundAfterEveryAddition() {
    assertClose(addN(Tensor.ofInts(Shape.of(1), 2_000_000_000), Tensor.ofInts(Shape.of(1), 2_000_000_000)),
        Tensor.ofInts(Shape.of(1), (int) 4_000_000_000L));
    Tensor int8 = Tensor.of(DType.INT8, Shape.of(1), new byte[] {100});
    assertThat(addN(int8, int8).bytes()).containsExactly(new byte[] {-56});
    Tensor uint16 = Tensor.of(DType.UINT16, Shape.of(1), new byte[] {(byte) 0xff, (byte) 0xff});
    assertThat(addN(uint16, uint16, uint16).longAt(0)).isEqualTo(0xfffd);
    Tensor one = HalfTensors.of(DType.HALF, 1);
    assertThat(addN(HalfTensors.of(DType.HALF, 2048), one, one)).isEqualTo(HalfTensors.of(DType.HALF, 2048));
  }

  @Test
  void theInputsMustShareTheirShape() {
    assertThatThrownBy(() -> addN(Tensor.ofFloats(Shape.of(2), 1, 2), Tensor.ofFloats(Shape.of(2), 1, 2),
        Tensor.ofFloats(S3, 1, 2, 3)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Inputs to operation addn of type AddN must have the same size and shape.  Input 0: [2] != input 2: [3]");
  }

  @Test
  void theInputsMustShareTheirDtype() {
    assertThatThrownBy(() -> addN(Tensor.ofFloats(Shape.of(1), 1), Tensor.ofDoubles(Shape.of(1), 1)))
        .hasMessage("Input 'inputs' of 'AddN' Op has type float64 that does not match type float32 of argument 'inputs'.");
  }

  @Test
  void emptyTensorsSumToAnEmptyTensor() {
    Tensor empty = Tensor.ofFloats(Shape.of(0));
    assertThat(addN(empty, empty)).isEqualTo(empty);
  }
}
