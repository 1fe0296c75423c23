package io.sparkpoint.graph;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.PositionOutputStream;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.SupportsRename;
import io.sparkpoint.proto.GraphDef;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Reads and writes GraphDefs (and other graph protos) as binary {@code .pb} or text {@code .pbtxt}. */
public final class GraphIO {
  /** Protobuf refuses messages of 2 GiB and more. */
  private static final long MAX_MESSAGE_BYTES = Integer.MAX_VALUE;
  /** Protobuf's encoder buffer when streaming a message to a file. */
  private static final int WRITE_BUFFER_BYTES = 1 << 16;

  private GraphIO() {}

  /** True for names TensorFlow tools write as text: {@code .pbtxt}, {@code .txt}, {@code .prototxt}. */
  public static boolean isTextName(String location) {
    return location.endsWith(".pbtxt") || location.endsWith(".txt") || location.endsWith(".prototxt");
  }

  /**
   * Reads a GraphDef; text when the name says so ({@link #isTextName}), else binary.
   *
   * @throws IllegalArgumentException naming the file, with line and column for text
   */
  public static GraphDef readGraphDef(FileIO io, String location) throws IOException {
    GraphDef.Builder builder = GraphDef.newBuilder();
    read(io, location, builder);
    return builder.build();
  }

  /** Reads any graph proto into {@code builder} from binary or text. */
  public static void read(FileIO io, String location, Message.Builder builder) throws IOException {
    byte[] bytes;
    try (RandomAccessInput input = io.newInputFile(location).open()) {
      if (input.length() >= MAX_MESSAGE_BYTES) {
        throw new IllegalArgumentException("Cannot read " + location + ": " + input.length() + " bytes exceeds protobuf's 2 GiB limit");
      }
      bytes = input.readFully(0, (int) input.length());
    }
    if (isTextName(location)) {
      parseText(new String(bytes, StandardCharsets.UTF_8), location, builder);
      return;
    }
    try {
      builder.mergeFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "Cannot parse " + location + " as a binary " + builder.getDescriptorForType().getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses protobuf text format.
   *
   * @throws IllegalArgumentException "Cannot parse SOURCE: line L, column C: reason"
   */
  public static void parseText(String text, String source, Message.Builder builder) {
    try {
      TextFormat.getParser().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(
          "Cannot parse " + source + " as a text " + builder.getDescriptorForType().getName() + ": line " + e.getLine()
              + ", column " + e.getColumn() + ": " + e.getMessage().replaceFirst("^\\d+:\\d+: ", ""),
          e);
    }
  }

  public static String toText(Message message) {
    return TextFormat.printer().printToString(message);
  }

  /**
   * tf.train.write_graph: writes {@code logdir/name} as text or binary, creating {@code logdir},
   * atomically where the filesystem can rename. Returns the file's location.
   */
  public static String writeGraph(FileIO io, Message graph, String logdir, String name, boolean asText) throws IOException {
    String location = Locations.join(logdir, name);
    write(io, graph, location, asText);
    return location;
  }

  /**
   * Writes one proto file, text or binary, streamed through a temporary file and a rename (where the
   * FileIO can rename), creating the parent directory. Returns the file's size in bytes.
   */
  public static long write(FileIO io, Message message, String location, boolean asText) throws IOException {
    return writeAtomically(io, location, out -> writeTo(out, message, asText));
  }

  private interface Body {
    void writeTo(PositionOutputStream out) throws IOException;
  }

  private static long writeAtomically(FileIO io, String location, Body body) throws IOException {
    String parent = Locations.parent(location);
    if (!parent.isEmpty() && io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(parent);
    }
    if (!(io instanceof SupportsRename renamer)) {
      try (PositionOutputStream out = io.newOutputFile(location).createOrOverwrite()) {
        body.writeTo(out);
        out.flush();
        return out.position();
      }
    }
    String temp = location + ".tmp" + UUID.randomUUID().toString().replace("-", "");
    try {
      long bytes;
      try (PositionOutputStream out = io.newOutputFile(temp).create()) {
        body.writeTo(out);
        out.flush();
        bytes = out.position();
      }
      renamer.renameReplacing(temp, location);
      return bytes;
    } catch (IOException | RuntimeException e) {
      io.deleteFile(temp);
      throw e;
    }
  }

  /** Produces a binary message's fields onto a stream. */
  @FunctionalInterface
  public interface FieldWriter {
    void writeTo(CodedOutputStream out) throws IOException;
  }

  /**
   * Writes a binary proto whose fields {@code fields} produces one by one, so the message is never
   * held whole; atomic like {@link #write}. Returns the file's size in bytes.
   */
  public static long writeStreamed(FileIO io, String location, FieldWriter fields) throws IOException {
    return writeAtomically(io, location, out -> {
      CodedOutputStream coded = CodedOutputStream.newInstance(out, WRITE_BUFFER_BYTES);
      fields.writeTo(coded);
      coded.flush();
    });
  }

  private static void writeTo(PositionOutputStream out, Message message, boolean asText) throws IOException {
    if (asText) {
      Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      TextFormat.printer().print(message, writer);
      writer.flush();
    } else {
      CodedOutputStream coded = CodedOutputStream.newInstance(out, WRITE_BUFFER_BYTES);
      message.writeTo(coded);
      coded.flush();
    }
  }
}
