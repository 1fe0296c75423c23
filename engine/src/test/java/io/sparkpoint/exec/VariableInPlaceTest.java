package io.sparkpoint.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the in-memory store hands a value's memory over for an update in place (readForUpdate,
 * claimForOverwrite, assignOwned): only memory no one else can see, never a value anyone has read;
 * and reads wait while a value is being overwritten.
 */
class VariableInPlaceTest {
  private final InMemoryVariableStore store = new InMemoryVariableStore();

  /** An update as an Apply op does it: read for update, overwrite in place when allowed, else new memory; assign owned. */
  private ByteBuffer update(String name, float value) {
    Tensor current = store.readForUpdate(name);
    ByteBuffer own = store.claimForOverwrite(name);
    ByteBuffer target = own != null ? own : ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    target.putFloat(0, value);
    store.assignOwned(name, own != null ? current : Tensor.wrap(DType.FLOAT, Shape.scalar(), target), target);
    return own;
  }

  @Test
  void anOwnedValueNoOneReadIsOverwrittenInPlace() {
    store.assign("m", Tensor.scalar(0f));

    assertThat(update("m", 1f)).as("a value assigned from outside").isNull();
    assertThat(update("m", 2f)).isNotNull();
    assertThat(update("m", 3f)).isNotNull();
    assertThat(store.read("m")).isEqualTo(Tensor.scalar(3f));
  }

  @Test
  void aValueSomeoneReadIsNeverWrittenAgain() {
    store.assign("w", Tensor.scalar(0f));
    update("w", 1f);
    Tensor seen = store.read("w");
    assertThat(update("w", 2f)).isNull();
    update("w", 3f);
    Tensor snapshot = store.snapshot().get("w");
    assertThat(update("w", 4f)).isNull();
    update("w", 5f);

    assertThat(seen).isEqualTo(Tensor.scalar(1f));
    assertThat(snapshot).isEqualTo(Tensor.scalar(3f));
    assertThat(store.read("w")).isEqualTo(Tensor.scalar(5f));
  }

  @Test
  void aValueAnotherUpdateIsReadingIsNotOverwritten() {
    store.assign("m", Tensor.scalar(0f));
    update("m", 1f);
    Tensor heldByASlowUpdate = store.readForUpdate("m");

    assertThat(update("m", 2f)).as("a faster, concurrent update").isNull();
    update("m", 3f);
    assertThat(heldByASlowUpdate).isEqualTo(Tensor.scalar(1f));
    store.release("m");
    assertThat(update("m", 4f)).isNotNull();
  }

  @Test
  void valuesAssignedWithoutTheirMemoryAreNeverOverwritten() {
    store.assign("v", Tensor.scalar(7f));
    store.readForUpdate("v");
    store.assignOwned("v", Tensor.scalar(8f), null);

    assertThat(update("v", 9f)).isNull();
  }

  @Test
  void aReadWaitsWhileTheValueIsOverwritten() throws Exception {
    store.assign("m", Tensor.scalar(0f));
    update("m", 1f);
    Tensor current = store.readForUpdate("m");
    ByteBuffer own = store.claimForOverwrite("m");
    CompletableFuture<Tensor> reader = CompletableFuture.supplyAsync(() -> store.read("m"));

    Thread.sleep(50);
    assertThat(reader).isNotDone();
    own.putFloat(0, 2f);
    store.assignOwned("m", current, own);

    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(Tensor.scalar(2f));
    assertThat(update("m", 3f)).as("it was read").isNull();
  }
}
