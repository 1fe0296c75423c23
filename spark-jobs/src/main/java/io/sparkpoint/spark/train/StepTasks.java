package io.sparkpoint.spark.train;

import io.sparkpoint.replica.GradientSum;
import io.sparkpoint.replica.Replica;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/** What executors run in a training step: the functions of each step's Spark job. */
final class StepTasks {
  private StepTasks() {}

  /** Sync mode: the partition's share of step {@code step}'s batch, as a gradient (and state value) sum weighted by example count. */
  static Iterator<Tuple2<Integer, GradientSum>> gradients(Broadcast<TrainContext> contextBroadcast, Broadcast<VariableValues> variables, long step,
      int partition, Iterator<ExampleBlock> blocks) {
    TrainContext context = contextBroadcast.value();
    GradientSum sum = GradientSum.empty(context.split().gradients().size(), context.split().stateVariables().size());
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      int[] slice = BatchOrder.slice(context, block, step);
      if (slice.length == 0) {
        continue;
      }
      Replica replica = context.borrow();
      try {
        VariableValues values = variables.value();
        replica.load(values.version(), values.values());
        sum.add(slice.length, replica.gradients(block.feeds(context.feeds(), slice)));
      } finally {
        context.release(replica);
      }
    }
    return List.of(new Tuple2<>(partition, sum)).iterator();
  }

  /** Model averaging: steps [first, first + count) on the partition's share of each batch, from the broadcast variables. */
  static Iterator<Tuple2<Integer, LocalRound>> localSteps(Broadcast<TrainContext> contextBroadcast, Broadcast<VariableValues> variables, long first,
      int count, int partition, Iterator<ExampleBlock> blocks) {
    TrainContext context = contextBroadcast.value();
    List<ExampleBlock> all = new ArrayList<>();
    blocks.forEachRemaining(all::add);
    Replica replica = context.borrow();
    try {
      VariableValues values = variables.value();
      replica.load(values.version(), values.values());
      long examples = 0;
      double lossSum = 0;
      for (long step = first; step < first + count; step++) {
        for (ExampleBlock block : all) {
          int[] slice = BatchOrder.slice(context, block, step);
          if (slice.length > 0) {
            lossSum += slice.length * replica.step(block.feeds(context.feeds(), slice)).doubleAt(0);
            examples += slice.length;
          }
        }
      }
      if (examples == 0) {
        return List.of(new Tuple2<>(partition, LocalRound.EMPTY)).iterator();
      }
      Map<String, double[]> weights = new LinkedHashMap<>();
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (String name : values.values().keySet()) {
        Tensor value = replica.read(name);
        if (value.dtype() == DType.FLOAT || value.dtype() == DType.DOUBLE) {
          weights.put(name, weighted(value, examples));
          shapes.put(name, value.shape().dims());
        }
      }
      return List.of(new Tuple2<>(partition, new LocalRound(examples, lossSum, weights, shapes))).iterator();
    } finally {
      context.release(replica);
    }
  }

  private static double[] weighted(Tensor value, long weight) {
    double[] out = new double[Math.toIntExact(value.numElements())];
    ByteBuffer data = value.data().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < out.length; i++) {
      out[i] = weight * (value.dtype() == DType.FLOAT ? data.getFloat(i * 4) : data.getDouble(i * 8));
    }
    return out;
  }

  /** One partition's round of local steps: its examples, loss sum, and its float variables multiplied by its example count. */
  record LocalRound(long examples, double lossSum, Map<String, double[]> weighted, Map<String, long[]> shapes) implements Serializable {
    static final LocalRound EMPTY = new LocalRound(0, 0, Map.of(), Map.of());

    /** Adds another round's sums into this one's arrays (this must not be EMPTY). */
    LocalRound plus(LocalRound other) {
      if (other.examples == 0) {
        return this;
      }
      if (examples == 0) {
        return other;
      }
      Map<String, double[]> sum = new LinkedHashMap<>();
      weighted.forEach((name, values) -> {
        double[] more = other.weighted.get(name);
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
          out[i] += more[i];
        }
        sum.put(name, out);
      });
      return new LocalRound(examples + other.examples, lossSum + other.lossSum, sum, shapes);
    }

    /** The averages, as tensors of the variables' dtypes. */
    Map<String, Tensor> average(Map<String, Tensor> like) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      weighted.forEach((name, values) -> {
        Shape shape = Shape.of(shapes.get(name));
        if (like.get(name).dtype() == DType.FLOAT) {
          float[] mean = new float[values.length];
          for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (values[i] / examples);
          }
          out.put(name, Tensor.ofFloats(shape, mean));
        } else {
          double[] mean = new double[values.length];
          for (int i = 0; i < mean.length; i++) {
            mean[i] = values[i] / examples;
          }
          out.put(name, Tensor.ofDoubles(shape, mean));
        }
      });
      return out;
    }
  }
}
