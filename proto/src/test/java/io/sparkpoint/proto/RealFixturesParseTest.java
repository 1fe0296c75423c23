package io.sparkpoint.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import io.sparkpoint.proto.TensorShapeProto.Dim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses every TensorFlow-written graph, SavedModel and checkpoint-state fixture with our own
 * messages and checks that no field is lost: each file round-trips, and no message anywhere in
 * the tree carries unknown fields or unknown enum values.
 */
class RealFixturesParseTest {

  /** Files whose re-serialized bytes differed but whose content was proven equal. */
  private static final ConcurrentLinkedQueue<String> REORDERED = new ConcurrentLinkedQueue<>();

  /** Embedded VariableDef/SaverDef/Any payloads checked across all fixtures. */
  private static final AtomicInteger EMBEDDED = new AtomicInteger();

  /** Which message a binary fixture holds. */
  enum Kind {
    META_GRAPH(MetaGraphDef.parser()),
    SAVED_MODEL(SavedModel.parser()),
    GRAPH(GraphDef.parser());

    private final Parser<? extends Message> parser;

    Kind(Parser<? extends Message> parser) {
      this.parser = parser;
    }

    Message parse(byte[] bytes) throws InvalidProtocolBufferException {
      return parser.parseFrom(bytes);
    }
  }

  static Path testdata() {
    String dir = System.getProperty("sparkpoint.testdata");
    assertThat(dir).as("Should have system property sparkpoint.testdata").isNotNull();
    Path root = Paths.get(dir).normalize();
    assertThat(root).as("Should find the fixture directory").isDirectory();
    return root;
  }

  static Kind kindOf(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".meta")) {
      return Kind.META_GRAPH;
    }
    if (name.equals("saved_model.pb")) {
      return Kind.SAVED_MODEL;
    }
    if (name.equals("fingerprint.pb") || name.equals("keras_metadata.pb")) {
      return null;
    }
    if (name.endsWith(".pb") || name.equals("expected_graph")) {
      return Kind.GRAPH;
    }
    return null;
  }

  static Stream<String> binaryFixtures() throws IOException {
    Path root = testdata();
    List<String> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> kindOf(p) != null)
          .forEach(p -> found.add(root.relativize(p).toString()));
    }
    found.sort(null);
    assertThat(found).as("Should find binary graph fixtures").isNotEmpty();
    return found.stream();
  }

  static Stream<String> checkpointStateFiles() throws IOException {
    Path root = testdata();
    List<String> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().equals("checkpoint"))
          .forEach(p -> found.add(root.relativize(p).toString()));
    }
    found.sort(null);
    assertThat(found).as("Should find checkpoint state files").isNotEmpty();
    return found.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryFixtures")
  void binaryFixtureParsesAndRoundTrips(String relative) throws IOException {
    Path file = testdata().resolve(relative);
    Kind kind = kindOf(file);
    byte[] original = Files.readAllBytes(file);

    Message parsed = kind.parse(original);
    assertThat(unknownFields(parsed))
        .as("Should have no unknown fields or enum values in %s", relative)
        .isEmpty();
    for (Message payload : embeddedPayloads(parsed)) {
      assertThat(unknownFields(payload))
          .as("Should have no unknown fields in an embedded %s of %s",
              payload.getDescriptorForType().getName(), relative)
          .isEmpty();
      EMBEDDED.incrementAndGet();
    }

    byte[] reserialized = parsed.toByteArray();
    if (Arrays.equals(original, reserialized)) {
      return;
    }
    // TF may order map entries or fields differently; then prove nothing was lost.
    Message reparsed = kind.parse(reserialized);
    assertThat(reparsed).as("Should re-parse %s to an equal message", relative).isEqualTo(parsed);
    assertThat(parsed.getUnknownFields().asMap())
        .as("Should keep no unknown fields in %s", relative)
        .isEmpty();
    String note =
        String.format(
            "%s: bytes differ after re-serialization (%d -> %d bytes), messages equal",
            relative, original.length, reserialized.length);
    REORDERED.add(note);
    System.out.println("NOTE " + note);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpointStateFiles")
  void checkpointStateFileParses(String relative) throws IOException {
    String text = Files.readString(testdata().resolve(relative), StandardCharsets.UTF_8);
    CheckpointState.Builder builder = CheckpointState.newBuilder();
    TextFormat.getParser().merge(text, builder);
    CheckpointState state = builder.build();

    assertThat(state.getModelCheckpointPath()).as("Should name the newest checkpoint").isNotEmpty();
    assertThat(state.getAllModelCheckpointPathsList())
        .as("Should list the newest checkpoint last")
        .last()
        .isEqualTo(state.getModelCheckpointPath());
  }

  @Test
  void textSavedModelParses() throws IOException {
    Path file = testdata().resolve("text-savedmodel-tf1.2/saved_model.pbtxt");
    SavedModel model = parseText(file, SavedModel.newBuilder());

    assertThat(model.getSavedModelSchemaVersion()).as("Should have schema version 1").isEqualTo(1L);
    assertThat(model.getMetaGraphsList()).as("Should hold a meta graph").isNotEmpty();
    assertThat(model.getMetaGraphs(0).getGraphDef().getNodeCount())
        .as("Should hold graph nodes")
        .isPositive();
    assertThat(unknownFields(model)).as("Should have no unknown enum values").isEmpty();
  }

  @Test
  void textGraphEqualsBinaryGraph() throws IOException {
    Path dir = testdata().resolve("tfcr-write-graph");
    GraphDef fromText = parseText(dir.resolve("graph.pbtxt"), GraphDef.newBuilder());
    GraphDef fromBinary = GraphDef.parseFrom(Files.readAllBytes(dir.resolve("graph.pb")));

    assertThat(fromText.getNodeCount()).as("Should hold graph nodes").isPositive();
    assertThat(fromText).as("Should parse graph.pbtxt equal to graph.pb").isEqualTo(fromBinary);
  }

  @Test
  void largeTextGraphParses() throws IOException {
    Path file = testdata().resolve("ipo-estimator/data_model/graph.pbtxt");
    assumeTrue(Files.exists(file), "fixture not present");
    GraphDef graph = parseText(file, GraphDef.newBuilder());

    assertThat(graph.getNodeCount()).as("Should hold graph nodes").isPositive();
    assertThat(graph.getLibrary().getFunctionCount()).as("Should hold its function").isPositive();
    assertThat(unknownFields(graph)).as("Should have no unknown enum values").isEmpty();
  }

  @Test
  void walkerFindsUnknownFieldsAndEnumValuesDeepInTheTree() throws InvalidProtocolBufferException {
    UnknownFieldSet extra =
        UnknownFieldSet.newBuilder()
            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    TensorShapeProto shape = TensorShapeProto.newBuilder().setUnknownFields(extra).build();
    AttrValue shapeAttr = AttrValue.newBuilder().setShape(shape).build();
    AttrValue typeAttr = AttrValue.newBuilder().setTypeValue(250).build();
    GraphDef graph =
        GraphDef.newBuilder()
            .addNode(NodeDef.newBuilder().setName("n").putAttr("shape", shapeAttr))
            .addNode(NodeDef.newBuilder().setName("m").putAttr("T", typeAttr))
            .build();

    List<String> problems = unknownFields(GraphDef.parseFrom(graph.toByteString()));

    assertThat(problems).as("Should report both problems").hasSize(2);
    assertThat(problems.get(0))
        .as("Should name the nested message and field number")
        .contains("GraphDef.node[0].attr[0].value.shape")
        .contains("[99]");
    assertThat(problems.get(1))
        .as("Should name the unknown DataType number")
        .contains("GraphDef.node[1].attr[0].value.type")
        .contains("250");
  }

  @Test
  void bundleHeaderMatchesTensorFlowBytes() {
    BundleHeaderProto header =
        BundleHeaderProto.newBuilder()
            .setNumShards(1)
            .setVersion(VersionDef.newBuilder().setProducer(1))
            .build();

    assertThat(hex(header.toByteString()))
        .as("Should encode like TF's writer")
        .isEqualTo("08011a020801");
  }

  @Test
  void bundleEntryMatchesTensorFlowBytes() throws InvalidProtocolBufferException {
    BundleEntryProto entry =
        BundleEntryProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setShape(TensorShapeProto.newBuilder().addDim(Dim.newBuilder().setSize(2)))
            .setSize(8)
            .setCrc32C(0x35e53c59)
            .build();
    String expected = "0801120412020802280835593ce535";

    assertThat(hex(entry.toByteString())).as("Should encode like TF's writer").isEqualTo(expected);
    assertThat(BundleEntryProto.parseFrom(HexFormat.of().parseHex(expected)))
        .as("Should decode TF's bytes to the same entry")
        .isEqualTo(entry);
  }

  /** Collections whose bytes_list values are serialized VariableDefs in TF1 graphs. */
  private static final Set<String> VARIABLE_COLLECTIONS =
      Set.of(
          "variables",
          "trainable_variables",
          "model_variables",
          "local_variables",
          "global_step",
          "moving_average_variables",
          "metric_variables");

  /** Our messages that TF packs into google.protobuf.Any inside collections. */
  private static final List<Message> ANY_PAYLOAD_TYPES =
      List.of(
          AssetFileDef.getDefaultInstance(),
          GraphDef.getDefaultInstance(),
          MetaGraphDef.getDefaultInstance(),
          SaverDef.getDefaultInstance(),
          VariableDef.getDefaultInstance());

  /**
   * Serialized messages of our types that a graph file carries as bytes or Any (variable and
   * saver collections, Any lists), parsed so their fields can be checked too.
   */
  static List<Message> embeddedPayloads(Message parsed) throws InvalidProtocolBufferException {
    List<MetaGraphDef> metaGraphs = new ArrayList<>();
    if (parsed instanceof MetaGraphDef metaGraph) {
      metaGraphs.add(metaGraph);
    } else if (parsed instanceof SavedModel savedModel) {
      metaGraphs.addAll(savedModel.getMetaGraphsList());
    }
    List<Message> payloads = new ArrayList<>();
    for (MetaGraphDef metaGraph : metaGraphs) {
      Map<String, CollectionDef> collections = metaGraph.getCollectionDefMap();
      for (Map.Entry<String, CollectionDef> collection : collections.entrySet()) {
        CollectionDef def = collection.getValue();
        if (def.hasBytesList() && VARIABLE_COLLECTIONS.contains(collection.getKey())) {
          for (ByteString bytes : def.getBytesList().getValueList()) {
            payloads.add(VariableDef.parseFrom(bytes));
          }
        } else if (def.hasBytesList() && collection.getKey().equals("savers")) {
          for (ByteString bytes : def.getBytesList().getValueList()) {
            payloads.add(SaverDef.parseFrom(bytes));
          }
        } else if (def.hasAnyList()) {
          for (Any any : def.getAnyList().getValueList()) {
            for (Message type : ANY_PAYLOAD_TYPES) {
              String typeName = type.getDescriptorForType().getFullName();
              if (any.getTypeUrl().endsWith("/" + typeName)) {
                payloads.add(type.getParserForType().parseFrom(any.getValue()));
              }
            }
          }
        }
      }
    }
    return payloads;
  }

  @AfterAll
  static void reportReorderedFiles() {
    System.out.println("NOTE checked " + EMBEDDED.get() + " embedded payloads for unknown fields");
    if (REORDERED.isEmpty()) {
      System.out.println("NOTE every binary fixture re-serialized to identical bytes");
    } else {
      System.out.println("NOTE fixtures proven by message equality instead of identical bytes:");
      REORDERED.forEach(note -> System.out.println("NOTE   " + note));
    }
  }

  private static <T extends Message> T parseText(Path file, Message.Builder builder)
      throws IOException {
    TextFormat.getParser().merge(Files.readString(file, StandardCharsets.UTF_8), builder);
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return message;
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  /**
   * Lists every place in the message tree holding unknown fields (field numbers our .proto files
   * lack) or enum numbers our enums do not define. Empty means our schema covers the data.
   */
  static List<String> unknownFields(Message root) {
    List<String> problems = new ArrayList<>();
    walk(root, root.getDescriptorForType().getName(), problems);
    return problems;
  }

  private static void walk(Message message, String path, List<String> problems) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      problems.add(
          path
              + " ("
              + message.getDescriptorForType().getFullName()
              + ") unknown field numbers "
              + message.getUnknownFields().asMap().keySet());
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      String fieldPath = path + "." + descriptor.getName();
      if (descriptor.isRepeated()) {
        List<?> values = (List<?>) field.getValue();
        for (int i = 0; i < values.size(); i++) {
          visitValue(descriptor, values.get(i), fieldPath + "[" + i + "]", problems);
        }
      } else {
        visitValue(descriptor, field.getValue(), fieldPath, problems);
      }
    }
  }

  private static void visitValue(
      FieldDescriptor descriptor, Object value, String path, List<String> problems) {
    if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      walk((Message) value, path, problems);
    } else if (descriptor.getJavaType() == FieldDescriptor.JavaType.ENUM) {
      EnumValueDescriptor enumValue = (EnumValueDescriptor) value;
      if (enumValue.getType().findValueByNumber(enumValue.getNumber()) == null) {
        problems.add(
            path
                + " unknown "
                + enumValue.getType().getFullName()
                + " value "
                + enumValue.getNumber());
      }
    }
  }
}
