package io.sparkpoint.events;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.proto.Event;
import io.sparkpoint.proto.Summary;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes TensorBoard scalars to {@code DIR/events.out.tfevents.SECONDS.HOST}: TFRecord framing
 * (length, masked CRC32C of the length, the Event bytes, masked CRC32C of the bytes), a first record
 * holding the file version, then one Event per {@link #scalars} call. Each record is flushed as it
 * is written.
 */
public final class EventFileWriter implements Closeable {
  private final String location;
  private final OutputStream out;

  private EventFileWriter(String location, OutputStream out) {
    this.location = location;
    this.out = out;
  }

  /** Creates a new event file in {@code directory}. */
  public static EventFileWriter create(FileIO io, String directory, double wallTime, String host) throws IOException {
    String name = "events.out.tfevents." + (long) wallTime + "." + host;
    String location = Locations.join(directory, name);
    EventFileWriter writer = new EventFileWriter(location, io.newOutputFile(location).createOrOverwrite());
    writer.write(Event.newBuilder().setWallTime(wallTime).setFileVersion("brain.Event:2").build());
    return writer;
  }

  public String location() {
    return location;
  }

  /** Records scalar values (tag → value) at a step. */
  public void scalars(long step, double wallTime, Map<String, Double> values) throws IOException {
    Summary.Builder summary = Summary.newBuilder();
    values.forEach((tag, value) -> summary.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(value.floatValue())));
    write(Event.newBuilder().setWallTime(wallTime).setStep(step).setSummary(summary).build());
  }

  private void write(Event event) throws IOException {
    byte[] data = event.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(Crc32c.mask(Crc32c.compute(header.array(), 0, 8)));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(Crc32c.mask(Crc32c.compute(data, 0, data.length)));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
