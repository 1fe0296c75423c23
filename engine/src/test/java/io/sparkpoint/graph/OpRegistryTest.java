package io.sparkpoint.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.google.protobuf.ByteString;
import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.proto.OpList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OpRegistryTest {
  private static final OpRegistry REGISTRY = OpRegistry.standard();

  static List<String> knownOps() throws IOException {
    try (InputStream in = OpRegistry.class.getResourceAsStream("known-ops.txt")) {
      assertThat(in).as("known-ops.txt on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    }
  }

  static NodeDef.Builder node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs));
  }

  static AttrValue type(DataType type) {
    return AttrValue.newBuilder().setType(type).build();
  }

  static AttrValue i(long value) {
    return AttrValue.newBuilder().setI(value).build();
  }

  static AttrValue b(boolean value) {
    return AttrValue.newBuilder().setB(value).build();
  }

  static AttrValue s(String value) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
  }

  static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return AttrValue.newBuilder().setList(list).build();
  }

  static AttrValue types(DataType... values) {
    return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(List.of(values))).build();
  }

  static NodeDef matMul() {
    return node("x", "MatMul", "a", "b").putAttr("T", type(DataType.DT_FLOAT)).build();
  }

  static NodeDef conv2d() {
    return node("conv", "Conv2D", "input", "filter")
        .putAttr("T", type(DataType.DT_FLOAT))
        .putAttr("strides", ints(1, 2, 2, 1))
        .putAttr("padding", s("SAME"))
        .build();
  }

  @Test
  void everyListedOpHasAnOpDefAndNothingElseDoes() throws IOException {
    List<String> listed = knownOps();
    assertThat(listed).doesNotHaveDuplicates().hasSizeGreaterThan(100);
    for (String op : listed) {
      assertThat(REGISTRY.knows(op)).as("knows %s", op).isTrue();
      assertThat(REGISTRY.opDef(op).getName()).isEqualTo(op);
    }
    assertThat(REGISTRY.opNames()).containsExactlyInAnyOrderElementsOf(listed);
  }

  @Test
  void noOpDefCarriesTensorFlowProse() {
    for (String name : REGISTRY.opNames()) {
      OpDef op = REGISTRY.opDef(name);
      assertThat(op.getSummary()).as("%s summary", name).isEmpty();
      assertThat(op.getDescription()).as("%s description", name).isEmpty();
      assertThat(op.getDeprecation().getExplanation()).as("%s deprecation", name).isEmpty();
      Stream.concat(op.getInputArgList().stream(), op.getOutputArgList().stream())
          .forEach(arg -> assertThat(arg.getDescription()).as("%s arg %s", name, arg.getName()).isEmpty());
      op.getAttrList().forEach(attr -> assertThat(attr.getDescription()).as("%s attr %s", name, attr.getName()).isEmpty());
    }
  }

  @Test
  void unknownOpTypesHaveNoOpDef() {
    assertThat(REGISTRY.knows("FooBar")).isFalse();
    assertThat(REGISTRY.opDef("FooBar")).isNull();
  }

  @Test
  void defaultsAreAddedWhereTheNodeLacksThem() {
    NodeDef withDefaults = REGISTRY.withDefaults(matMul());
    assertThat(withDefaults.getAttrMap()).containsEntry("transpose_a", b(false)).containsEntry("transpose_b", b(false))
        .containsEntry("T", type(DataType.DT_FLOAT));

    NodeDef conv = REGISTRY.withDefaults(conv2d());
    assertThat(conv.getAttrMap())
        .containsEntry("data_format", s("NHWC"))
        .containsEntry("dilations", ints(1, 1, 1, 1))
        .containsEntry("use_cudnn_on_gpu", b(true))
        .containsEntry("strides", ints(1, 2, 2, 1));
  }

  @Test
  void defaultsNeverOverrideWhatTheNodeSets() {
    NodeDef node = matMul().toBuilder().putAttr("transpose_a", b(true)).build();
    assertThat(REGISTRY.withDefaults(node).getAttrMap()).containsEntry("transpose_a", b(true)).containsEntry("transpose_b", b(false));
  }

  @Test
  void strippingRemovesTheDefaultsAgainAndKeepsOtherValues() {
    assertThat(REGISTRY.strippedOfDefaults(REGISTRY.withDefaults(matMul()))).isEqualTo(matMul());
    assertThat(REGISTRY.strippedOfDefaults(REGISTRY.withDefaults(conv2d()))).isEqualTo(conv2d());

    NodeDef nchw = REGISTRY.withDefaults(conv2d()).toBuilder().putAttr("data_format", s("NCHW")).build();
    assertThat(REGISTRY.strippedOfDefaults(nchw).getAttrMap()).containsOnlyKeys("T", "strides", "padding", "data_format");
  }

  @Test
  void unknownOpsPassUncheckedAndUnchanged() {
    NodeDef foo = node("f", "FooBar", "a", "b", "c").putAttr("whatever", i(3)).build();
    assertThat(REGISTRY.withDefaults(foo)).isSameAs(foo);
    assertThat(REGISTRY.strippedOfDefaults(foo)).isSameAs(foo);
    assertThatNoException().isThrownBy(() -> REGISTRY.check(foo));
  }

  @Test
  void wellFormedNodesPass() {
    assertThatNoException().isThrownBy(() -> REGISTRY.check(matMul()));
    assertThatNoException().isThrownBy(() -> REGISTRY.check(REGISTRY.withDefaults(conv2d())));
    NodeDef controlled = node("add", "AddV2", "a", "b:1", "^init").putAttr("T", type(DataType.DT_FLOAT)).putAttr("_class", s("loc:@a")).build();
    assertThatNoException().isThrownBy(() -> REGISTRY.check(controlled));
  }

  @Test
  void checkNamesAMissingRequiredAttr() {
    NodeDef node = node("x", "MatMul", "a", "b").build();
    assertThatThrownBy(() -> REGISTRY.check(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Node 'x' (op MatMul) is missing attr 'T'");
  }

  @Test
  void checkRefusesAnUnknownAttrButNotAnUnderscoreOne() {
    NodeDef node = matMul().toBuilder().putAttr("_output_shapes", ints()).putAttr("transpose_c", b(true)).build();
    assertThatThrownBy(() -> REGISTRY.check(node)).hasMessage("Node 'x' (op MatMul) has unknown attr 'transpose_c'");
  }

  @Test
  void checkRefusesAValueOfTheWrongKind() {
    NodeDef node = matMul().toBuilder().putAttr("transpose_a", i(1)).build();
    assertThatThrownBy(() -> REGISTRY.check(node)).hasMessage("Node 'x' (op MatMul) attr 'transpose_a' has kind int, expected bool");

    NodeDef strides = conv2d().toBuilder().putAttr("strides", types(DataType.DT_INT32)).build();
    assertThatThrownBy(() -> REGISTRY.check(strides)).hasMessage("Node 'conv' (op Conv2D) attr 'strides' has kind list(type), expected list(int)");

    NodeDef emptyList = conv2d().toBuilder().putAttr("explicit_paddings", AttrValue.newBuilder().setList(AttrValue.ListValue.getDefaultInstance()).build()).build();
    assertThatNoException().isThrownBy(() -> REGISTRY.check(emptyList));
  }

  @Test
  void checkRefusesATypeOutsideTheAllowedValues() {
    NodeDef node = node("x", "MatMul", "a", "b").putAttr("T", type(DataType.DT_STRING)).build();
    assertThatThrownBy(() -> REGISTRY.check(node))
        .hasMessageStartingWith("Node 'x' (op MatMul) attr 'T' is DT_STRING, not one of the allowed values DT_")
        .hasMessageContaining("DT_FLOAT");
  }

  @Test
  void checkRefusesAStringOutsideTheAllowedValues() {
    NodeDef node = conv2d().toBuilder().putAttr("padding", s("FULL")).build();
    assertThatThrownBy(() -> REGISTRY.check(node))
        .hasMessage("Node 'conv' (op Conv2D) attr 'padding' is \"FULL\", not one of the allowed values \"SAME\", \"VALID\", \"EXPLICIT\"");
  }

  @Test
  void checkRefusesAValueBelowTheMinimum() {
    NodeDef node = node("p", "Pack").putAttr("T", type(DataType.DT_FLOAT)).putAttr("N", i(0)).build();
    assertThatThrownBy(() -> REGISTRY.check(node)).hasMessage("Node 'p' (op Pack) attr 'N' is 0, below its minimum 1");
  }

  @Test
  void checkCountsDataInputsButNotControlInputs() {
    NodeDef one = node("x", "AddV2", "a", "^b").putAttr("T", type(DataType.DT_FLOAT)).build();
    assertThatThrownBy(() -> REGISTRY.check(one)).hasMessage("Node 'x' (op AddV2) expects 2 inputs, has 1");
    NodeDef none = node("r", "Relu").putAttr("T", type(DataType.DT_FLOAT)).build();
    assertThatThrownBy(() -> REGISTRY.check(none)).hasMessage("Node 'r' (op Relu) expects 1 input, has 0");
  }

  @Test
  void checkCountsInputsOfNumberAttrAndTypeListArgs() {
    NodeDef pack = node("p", "Pack", "a", "b").putAttr("T", type(DataType.DT_FLOAT)).putAttr("N", i(3)).build();
    assertThatThrownBy(() -> REGISTRY.check(pack)).hasMessage("Node 'p' (op Pack) expects 3 inputs, has 2");
    assertThatNoException().isThrownBy(() -> REGISTRY.check(pack.toBuilder().addInput("c").build()));

    NodeDef concat = node("c", "ConcatV2", "a", "b").putAttr("T", type(DataType.DT_FLOAT)).putAttr("N", i(2)).build();
    assertThatThrownBy(() -> REGISTRY.check(REGISTRY.withDefaults(concat))).hasMessage("Node 'c' (op ConcatV2) expects 3 inputs, has 2");
    assertThatNoException().isThrownBy(() -> REGISTRY.check(REGISTRY.withDefaults(concat.toBuilder().addInput("axis").build())));

    NodeDef identityN = node("i", "IdentityN", "a", "b").putAttr("T", types(DataType.DT_FLOAT, DataType.DT_INT32, DataType.DT_BOOL)).build();
    assertThatThrownBy(() -> REGISTRY.check(identityN)).hasMessage("Node 'i' (op IdentityN) expects 3 inputs, has 2");
  }

  @Test
  void strippedOpListHoldsTheKnownOpsUsedSortedByName() {
    OpList list = REGISTRY.strippedOpList(List.of("MatMul", "Const", "FooBar", "MatMul"));
    assertThat(list.getOpList()).extracting(OpDef::getName).containsExactly("Const", "MatMul");
    assertThat(list.getOp(1)).isEqualTo(REGISTRY.opDef("MatMul"));
  }

  @Test
  void aRegistryRefusesAnOpDefinedTwice() {
    OpDef op = OpDef.newBuilder().setName("Twice").build();
    assertThatThrownBy(() -> OpRegistry.of(OpList.newBuilder().addOp(op).addOp(op).build()))
        .hasMessage("Invalid op list: op Twice is defined twice");
  }

  /**
   * Every node of every TF-written .meta fixture whose op we know passes check() once defaults are
   * added (graphs exported with strip_default_attrs are left out: their stripped attrs may have had
   * other defaults in the TF that wrote them).
   */
  @Test
  void everyKnownNodeOfTheRealMetaGraphsPassesCheck() throws IOException {
    List<Path> metas;
    try (Stream<Path> files = Files.walk(TestFixtures.tfReal())) {
      metas = files.filter(p -> p.getFileName().toString().endsWith(".meta")).sorted().toList();
    }
    assertThat(metas).isNotEmpty();
    int checked = 0;
    int strippedGraphs = 0;
    TreeMap<String, Integer> skipped = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Path file : metas) {
      MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
      GraphIO.read(new LocalFileIO(), file.toString(), meta);
      if (meta.getMetaInfoDef().getStrippedDefaultAttrs()) {
        strippedGraphs++;
        continue;
      }
      for (NodeDef node : meta.getGraphDef().getNodeList()) {
        if (!REGISTRY.knows(node.getOp())) {
          skipped.merge(node.getOp(), 1, Integer::sum);
          continue;
        }
        checked++;
        try {
          REGISTRY.check(REGISTRY.withDefaults(node));
        } catch (IllegalArgumentException e) {
          failures.add(TestFixtures.tfReal().relativize(file) + ": " + e.getMessage());
        }
      }
    }
    int skippedNodes = skipped.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("OpRegistryTest: %d .meta files (%d with stripped default attrs, left out), %d nodes checked,"
        + " %d skipped (unknown ops %s)%n", metas.size(), strippedGraphs, checked, skippedNodes, skipped);
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void theVariableAndSaverOpsAreKnown() {
    assertThat(Set.of("VariableV2", "VarHandleOp", "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ApplyAdam", "ResourceApplyAdam"))
        .allSatisfy(op -> assertThat(REGISTRY.knows(op)).as(op).isTrue());
  }
}
