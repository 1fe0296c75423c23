package io.sparkpoint.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.proto.Event;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event files are TFRecord-framed Events, as TensorBoard reads them. */
class EventFileWriterTest {
  @TempDir Path dir;

  @Test
  void recordsAreFramedWithMaskedChecksumsAndStartWithTheFileVersion() throws Exception {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("loss", 0.5);
    scalars.put("examples_per_second", 1200.0);
    String location;
    try (EventFileWriter writer = EventFileWriter.create(new LocalFileIO(), dir.toString(), 1700000000.25, "host1")) {
      writer.scalars(3, 1700000001.0, scalars);
      location = writer.location();
    }
    assertThat(Path.of(location).getFileName().toString()).isEqualTo("events.out.tfevents.1700000000.host1");

    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(Path.of(location))).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] length = new byte[8];
      in.get(length);
      assertThat(Crc32c.unmask(in.getInt())).isEqualTo(Crc32c.compute(length));
      byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
      in.get(data);
      assertThat(Crc32c.unmask(in.getInt())).isEqualTo(Crc32c.compute(data));
      events.add(Event.parseFrom(data));
    }
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(events.get(1).getStep()).isEqualTo(3);
    assertThat(events.get(1).getSummary().getValue(0).getTag()).isEqualTo("loss");
    assertThat(events.get(1).getSummary().getValue(0).getSimpleValue()).isEqualTo(0.5f);
    assertThat(events.get(1).getSummary().getValue(1).getSimpleValue()).isEqualTo(1200f);
  }
}
