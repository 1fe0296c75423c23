package io.sparkpoint.oracle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Thin wrappers around TensorFlow's own SaveV2, RestoreV2, ShardedFilename and
 * MergeV2Checkpoints kernels, each run in a fresh graph + session.
 */
final class TfCheckpointOps {
  private TfCheckpointOps() {}

  /**
   * A session without graph rewriting (grappler and the classic optimizer only slow down our
   * one-shot graphs with thousands of feeds; the kernels that run are the same).
   */
  static Session newSession(Graph g) {
    if (Boolean.getBoolean("oracle.optimize")) {
      return new Session(g);
    }
    ConfigProto config = ConfigProto.newBuilder()
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
            .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
        .build();
    return new Session(g, config);
  }

  /** What RestoreV2 returned for one tensor: its shape and canonical sha256. */
  record Restored(long[] shape, String sha256) {}

  /** Builds ops with unique names in one graph. */
  static final class Builder {
    final Graph g;
    private int counter;

    Builder(Graph g) {
      this.g = g;
    }

    GraphOperationBuilder op(String type) {
      return g.opBuilder(type, type + "_" + (counter++), g.baseScope());
    }

    Output<?> constant(Tensor value) {
      try (value) {
        return op("Const").setAttr("dtype", value.dataType()).setAttr("value", value)
            .build().output(0);
      }
    }

    Output<?> strings(List<String> values) {
      byte[][] arr = values.stream().map(s -> s.getBytes(StandardCharsets.UTF_8))
          .toArray(byte[][]::new);
      return constant(TString.tensorOfBytes(Shape.of(arr.length), DataBuffers.of(arr, true, false)));
    }

    Output<?> string(String value) {
      return constant(TString.scalarOf(value));
    }

    Output<?> placeholder(DataType dt) {
      return op("Placeholder").setAttr("dtype", dt).build().output(0);
    }

    Output<?> bitcast(Output<?> in, DataType to) {
      return op("Bitcast").addInput(in).setAttr("type", to).build().output(0);
    }

    Output<?> reshape(Output<?> in, long[] shape) {
      Output<?> dims = constant(TInt64.vectorOf(shape));
      return op("Reshape").addInput(in).addInput(dims).build().output(0);
    }
  }

  /** One SaveV2 call writing all {@code data} (in list order) to {@code prefix}. */
  static void save(String prefix, List<TensorData> data) {
    try (Graph g = new Graph(); Session s = newSession(g)) {
      Builder b = new Builder(g);
      List<Output<?>> placeholders = new ArrayList<>();
      Output<?>[] inputs = new Output<?>[data.size()];
      DataType[] dtypes = new DataType[data.size()];
      List<String> names = new ArrayList<>();
      List<String> specs = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        TensorData td = data.get(i);
        Output<?> ph = b.placeholder(td.dtype.viaBitcast() ? DataType.DT_UINT8 : td.dtype.tf);
        placeholders.add(ph);
        inputs[i] = td.dtype.viaBitcast() ? b.reshape(b.bitcast(ph, td.dtype.tf), td.shape) : ph;
        dtypes[i] = td.dtype.tf;
        names.add(td.name);
        specs.add(td.saveSpec);
      }
      GraphOperation save = b.op("SaveV2")
          .addInput(b.string(prefix)).addInput(b.strings(names)).addInput(b.strings(specs))
          .addInputList(inputs).setAttr("dtypes", dtypes).build();
      List<Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner r = s.runner();
        for (int i = 0; i < data.size(); i++) {
          Tensor t = data.get(i).newFeedTensor();
          feeds.add(t);
          r.feed(placeholders.get(i), t);
        }
        r.addTarget(save);
        r.run().close(); // nothing fetched
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
  }

  /**
   * One RestoreV2 call for all entries (name, dtype, slice spec). Throws TF's exception if the
   * kernel fails for any of them.
   */
  static List<Restored> restore(String prefix, List<Manifest.Entry> entries) {
    try (Graph g = new Graph(); Session s = newSession(g)) {
      Builder b = new Builder(g);
      DataType[] dtypes = entries.stream().map(e -> e.dtype().tf).toArray(DataType[]::new);
      GraphOperation op = b.op("RestoreV2")
          .addInput(b.string(prefix))
          .addInput(b.strings(entries.stream().map(Manifest.Entry::name).toList()))
          .addInput(b.strings(entries.stream().map(Manifest.Entry::sliceSpec).toList()))
          .setAttr("dtypes", dtypes).build();
      Session.Runner r = s.runner();
      for (int i = 0; i < entries.size(); i++) {
        DType dt = entries.get(i).dtype();
        Output<?> out = op.output(i);
        r.fetch(dt.viaBitcast() ? b.bitcast(out, DataType.DT_UINT8) : out);
      }
      List<Restored> results = new ArrayList<>();
      try (Result res = r.run()) {
        for (int i = 0; i < entries.size(); i++) {
          results.add(describe(entries.get(i).dtype(), res.get(i)));
        }
      }
      return results;
    }
  }

  /** Shape and canonical sha256 of a fetched tensor (bitcast ones come as uint8 [..., size]). */
  static Restored describe(DType dt, Tensor t) {
    long[] shape = t.shape().asArray();
    if (dt.isString()) {
      NdArray<byte[]> elems = ((TString) t).asBytes();
      long n = t.shape().size();
      List<byte[]> list = new ArrayList<>();
      if (n > 0) {
        DataBuffer<byte[]> buf = DataBuffers.ofObjects(byte[].class, n);
        elems.copyTo(buf);
        for (long i = 0; i < n; i++) {
          list.add(buf.getObject(i));
        }
      }
      return new Restored(shape, Canonical.ofStrings(list));
    }
    if (dt.viaBitcast() && dt.size > 1) {
      shape = Arrays.copyOf(shape, shape.length - 1);
    }
    return new Restored(shape, Canonical.ofBuffer(t.asRawTensor().data(), t.numBytes()));
  }

  /** TF's ShardedFilename op: "%s-%05d-of-%05d". */
  static String shardedFilename(String basename, int shard, int numShards) {
    try (Graph g = new Graph(); Session s = newSession(g)) {
      Builder b = new Builder(g);
      Output<?> out = b.op("ShardedFilename").addInput(b.string(basename))
          .addInput(b.constant(TInt32.scalarOf(shard)))
          .addInput(b.constant(TInt32.scalarOf(numShards))).build().output(0);
      try (Result res = s.runner().fetch(out).run()) {
        return ((TString) res.get(0)).getObject();
      }
    }
  }

  /** TF's MergeV2Checkpoints op, as used by Saver(sharded=True). */
  static void merge(List<String> shardPrefixes, String destination, boolean deleteOldDirs) {
    try (Graph g = new Graph(); Session s = newSession(g)) {
      Builder b = new Builder(g);
      GraphOperation op = b.op("MergeV2Checkpoints").addInput(b.strings(shardPrefixes))
          .addInput(b.string(destination)).setAttr("delete_old_dirs", deleteOldDirs).build();
      s.runner().addTarget(op).run().close(); // nothing fetched
    }
  }
}
