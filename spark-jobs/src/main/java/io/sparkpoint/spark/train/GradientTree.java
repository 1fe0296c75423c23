package io.sparkpoint.spark.train;

import io.sparkpoint.replica.GradientSum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Sums the partitions' gradient sums in a fixed order, so that a rerun (a resumed run, a retried
 * task) gives the same bits. Up to {@code fanIn} partitions go straight to the driver, merged in
 * partition order. Beyond that, executors first merge groups of {@code fanIn} consecutive
 * partitions (each group in partition order), and the driver merges the groups in order: the driver
 * then holds about sqrt(partitions) sums instead of one per partition. Spark's treeAggregate
 * would merge in the order shuffle blocks arrive, which changes the floating-point result from run
 * to run.
 */
final class GradientTree {
  /** Partitions merged on the driver without a tree. */
  static final int DIRECT = 32;

  private GradientTree() {}

  static GradientSum sum(JavaPairRDD<Integer, GradientSum> parts, int gradients, int state, int direct) {
    int partitions = parts.getNumPartitions();
    List<Tuple2<Integer, GradientSum>> collected;
    if (partitions <= direct) {
      collected = new ArrayList<>(parts.collect());
    } else {
      int fanIn = (int) Math.ceil(Math.sqrt(partitions));
      int groups = (partitions + fanIn - 1) / fanIn;
      collected = new ArrayList<>(parts.mapToPair(p -> new Tuple2<>(p._1() / fanIn, p)).groupByKey(groups).mapToPair(group -> {
        List<Tuple2<Integer, GradientSum>> members = new ArrayList<>();
        group._2().forEach(members::add);
        members.sort(Comparator.comparing(Tuple2::_1));
        GradientSum sum = GradientSum.empty(gradients, state);
        members.forEach(m -> sum.merge(m._2()));
        return new Tuple2<>(group._1(), sum);
      }).collect());
    }
    collected.sort(Comparator.comparing(Tuple2::_1));
    GradientSum total = GradientSum.empty(gradients, state);
    collected.forEach(p -> total.merge(p._2()));
    return total;
  }
}
