package io.sparkpoint.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** Broadcast variables decode to the chief's values, in the driver's JVM and through either of Spark's serializers. */
class VariableValuesTest {
  private static final ClassTag<VariableValues> TAG = ClassTag$.MODULE$.apply(VariableValues.class);

  private static Map<String, Tensor> values() {
    Map<String, Tensor> values = new LinkedHashMap<>();
    values.put("dense/kernel", Tensor.ofFloats(Shape.of(2, 3), 1f, -2f, 3.5f, Float.NaN, 0f, -0f));
    values.put("dense/kernel/Adam", Tensor.ofDoubles(Shape.of(2), 1e-300, -7));
    values.put("global_step", Tensor.ofLongs(Shape.scalar(), 42));
    values.put("empty", Tensor.ofFloats(Shape.of(0, 4)));
    values.put("flags", Tensor.ofBooleans(Shape.of(3), true, false, true));
    values.put("vocabulary", Tensor.ofStrings(Shape.of(2), "a", "bc"));
    return values;
  }

  private static VariableValues roundTrip(VariableValues values, Serializer serializer) {
    SerializerInstance instance = serializer.newInstance();
    return instance.deserialize(instance.serialize(values, TAG), TAG);
  }

  @Test
  void decodedValuesEqualTheChiefsInOrderAndKeepTheirVersion() {
    VariableValues values = new VariableValues(7, values());

    assertThat(values.version()).isEqualTo(7);
    assertThat(values.values()).containsExactlyEntriesOf(values());
    assertThat(values.values()).isSameAs(values.values());
  }

  @Test
  void valuesCrossJavaSerializationUnchanged() {
    assertCrosses(new JavaSerializer(new SparkConf()));
  }

  /** Spark's Kryo needs java.nio opened to it (conf/spark-defaults.conf's JVM flags). */
  @Test
  void valuesCrossKryoSerializationUnchanged() {
    assumeTrue(ByteBuffer.class.getModule().isOpen("java.nio", VariableValuesTest.class.getModule()), "JVM flags without --add-opens java.nio");
    assertCrosses(new KryoSerializer(new SparkConf()));
  }

  private static void assertCrosses(Serializer serializer) {
    VariableValues received = roundTrip(new VariableValues(3, values()), serializer);

    assertThat(received.version()).isEqualTo(3);
    assertThat(received.values()).containsExactlyEntriesOf(values());
    assertThat(received.values().get("dense/kernel").dtype()).isEqualTo(DType.FLOAT);
  }
}
