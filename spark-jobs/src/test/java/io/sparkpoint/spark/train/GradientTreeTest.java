package io.sparkpoint.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.replica.GradientSum;
import io.sparkpoint.replica.Replica;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Gradient sums merge in a fixed order, flat or through a tree of executor-side groups. */
class GradientTreeTest {
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SparkSession.builder().master("local[2]").appName("GradientTreeTest").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static JavaPairRDD<Integer, GradientSum> parts(int partitions) {
    List<Tuple2<Integer, GradientSum>> sums = new ArrayList<>();
    Random random = new Random(3);
    for (int p = 0; p < partitions; p++) {
      float[] values = new float[5];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
      }
      sums.add(new Tuple2<>(p, GradientSum.empty(1).add(1 + p % 3,
          new Replica.Result(List.of(Tensor.ofFloats(Shape.of(5), values)), Tensor.scalar((float) p)))));
    }
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(sums, partitions).mapToPair(t -> t);
  }

  @Test
  void aTreeOverManyPartitionsGivesTheSameBitsOnEveryRunAndTheFlatSumToRounding() {
    JavaPairRDD<Integer, GradientSum> parts = parts(40);
    GradientSum tree = GradientTree.sum(parts, 1, 0, 4);
    GradientSum again = GradientTree.sum(parts(40).repartition(7).mapToPair(t -> t).coalesce(40, true).mapToPair(t -> t), 1, 0, 4);
    GradientSum flat = GradientTree.sum(parts, 1, 0, 64);

    assertThat(tree.examples()).isEqualTo(flat.examples()).isEqualTo(79); // sum of 1 + p % 3
    assertThat(tree.mean().get(0)).isEqualTo(again.mean().get(0));
    for (int i = 0; i < 5; i++) {
      assertThat(tree.mean().get(0).doubleAt(i)).isCloseTo(flat.mean().get(0).doubleAt(i), org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(tree.meanLoss()).isCloseTo(flat.meanLoss(), org.assertj.core.data.Offset.offset(1e-12));
  }
}
