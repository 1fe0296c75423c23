package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Re-adds a single-shard checkpoint's tensors to a writer in the order their bytes were written. */
final class FixtureReplay {
  private FixtureReplay() {}

  private record Step(long offset, String name, TensorSlice slice, Shape full) {}

  static void replay(BundleReader reader, BundleWriter writer) throws IOException {
    List<Step> steps = new ArrayList<>();
    for (Map.Entry<byte[], BundleEntryProto> item : reader.rawEntries().entrySet()) {
      BundleEntryProto entry = item.getValue();
      if (SliceKeys.isSliceKey(item.getKey())) {
        continue;
      }
      String name = BundleReader.printable(item.getKey());
      if (entry.getSlicesCount() == 0) {
        steps.add(new Step(entry.getOffset(), name, null, null));
        continue;
      }
      for (TensorSliceProto proto : entry.getSlicesList()) {
        TensorSlice slice = TensorSlice.fromProto(proto);
        BundleEntryProto sliceEntry = reader.rawEntries().get(SliceKeys.encode(name, slice));
        steps.add(new Step(sliceEntry.getOffset(), name, slice, Shape.fromProto(entry.getShape())));
      }
    }
    // Equal offsets (empty tensors) keep their key order; sorting is stable.
    steps.sort(Comparator.comparingLong(Step::offset));
    for (Step step : steps) {
      if (step.slice() == null) {
        writer.add(step.name(), reader.lookup(step.name()));
      } else {
        writer.addSlice(step.name(), step.full(), step.slice(), reader.lookupSlice(step.name(), step.slice()));
      }
    }
  }
}
