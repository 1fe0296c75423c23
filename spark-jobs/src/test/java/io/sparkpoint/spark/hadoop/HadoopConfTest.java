package io.sparkpoint.spark.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopConfTest {
  @Test
  void everySettingTravelsThroughJavaSerialization() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.defaultFS", "hdfs://nn:8020");
    conf.set("fs.s3a.endpoint", "http://minio:9000");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HadoopConf(conf));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Configuration copy = ((HadoopConf) in.readObject()).value();
      assertThat(copy.get("fs.defaultFS")).isEqualTo("hdfs://nn:8020");
      assertThat(copy.get("fs.s3a.endpoint")).isEqualTo("http://minio:9000");
    }
  }
}
