package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Copies tensors between checkpoints as they are stored: the bytes are streamed from the source's
 * data file into the writer's, verified against their checksum on the way, and the entry keeps its
 * checksum. Memory use does not grow with the tensor, except for string tensors, which are decoded
 * once to be verified.
 */
public final class TensorCopy {
  private TensorCopy() {}

  /**
   * Copies tensor {@code name} of {@code source} into {@code target} as {@code newName} with shape
   * {@code shape}. When {@code shape} differs from the stored shape (with the same number of
   * elements), only the recorded shape changes: the bytes are the same in row-major order. A
   * partitioned tensor keeps its slices (renamed); reshaping one reassembles it first.
   *
   * @throws KeyNotFoundException when the source has no tensor {@code name}
   * @throws IllegalArgumentException when {@code shape} holds another number of elements
   * @throws CorruptBundleException when the source bytes do not match their checksum
   */
  public static void copy(BundleReader source, String name, BundleWriter target, String newName, Shape shape) throws IOException {
    BundleEntryProto entry = source.entry(name);
    Shape stored = Shape.fromProto(entry.getShape());
    if (stored.numElements() != shape.numElements()) {
      throw new IllegalArgumentException("Cannot copy " + name + " " + stored + " as " + newName + " " + shape
          + ": " + stored.numElements() + " elements do not fit " + shape.numElements());
    }
    byte[] newKey = newName.getBytes(StandardCharsets.UTF_8);
    if (entry.getSlicesCount() == 0) {
      copyStored(source, name.getBytes(StandardCharsets.UTF_8), entry, target, newKey, shape);
      return;
    }
    if (!stored.equals(shape)) {
      target.add(newName, reshape(source.lookup(name), shape)); // slices of one shape do not tile another
      return;
    }
    for (TensorSliceProto slice : entry.getSlicesList()) {
      TensorSlice parsed = TensorSlice.fromProto(slice);
      byte[] key = SliceKeys.encode(name, parsed);
      BundleEntryProto sliceEntry = source.rawEntries().get(key);
      if (sliceEntry == null) {
        throw new CorruptBundleException(
            "Missing slice " + parsed + " of partitioned tensor " + name + " in " + BundleNaming.indexFile(source.prefix()));
      }
      copyStored(source, key, sliceEntry, target, SliceKeys.encode(newName, parsed), null);
    }
    target.addPartitionedEntry(newName, entry.toBuilder().setShardId(0).build());
  }

  /** Copies one stored (not partitioned) entry under its own key. */
  static void copyStored(BundleReader reader, byte[] key, BundleEntryProto entry, BundleWriter target) throws IOException {
    copyStored(reader, key, entry, target, key, null);
  }

  /** Copies one stored (not partitioned) entry under {@code newKey}, recording {@code shape} (null: the stored one). */
  private static void copyStored(BundleReader reader, byte[] key, BundleEntryProto entry, BundleWriter target, byte[] newKey, Shape shape)
      throws IOException {
    String name = BundleReader.printable(key);
    BundleReader.Location location = reader.locate(name, entry);
    BundleEntryProto copied = shape == null || location.shape().equals(shape) ? entry : entry.toBuilder().setShape(shape.toProto()).build();
    if (location.dtype() == DType.STRING) {
      reader.verifyEntry(name, entry); // strings are checked through their layout, then copied
      target.addVerbatim(newKey, copied, (position, buffer, length) -> reader.readRaw(name, entry, position, buffer, length));
      return;
    }
    CRC32C crc = new CRC32C();
    target.addVerbatim(newKey, copied, (position, buffer, length) -> {
      reader.readRaw(name, entry, position, buffer, length);
      crc.update(buffer, 0, length);
    });
    if ((int) crc.getValue() != location.storedCrc()) {
      throw BundleReader.checksumMismatch(name, location.file(), location.size(), location.storedCrc(), (int) crc.getValue());
    }
  }

  /** The same elements in row-major order under another shape of the same element count. */
  public static Tensor reshape(Tensor tensor, Shape shape) {
    if (tensor.shape().equals(shape)) {
      return tensor;
    }
    if (tensor.dtype() != DType.STRING) {
      return Tensor.wrap(tensor.dtype(), shape, tensor.data());
    }
    List<byte[]> elements = new ArrayList<>();
    for (int i = 0; i < tensor.numElements(); i++) {
      elements.add(tensor.string(i));
    }
    return Tensor.ofStrings(shape, elements);
  }
}
