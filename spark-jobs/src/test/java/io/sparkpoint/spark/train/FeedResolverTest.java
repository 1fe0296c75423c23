package io.sparkpoint.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.tensor.DType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * --feed flags are checked against the graph and the dataset's schema before any training starts,
 * each refusal naming the flag, the placeholder or column, and what was expected. The graph is a
 * generated MLP (x: float32 [?,6], labels: int64 [?]) plus placeholders that training cannot feed.
 */
class FeedResolverTest {
  private static final StructType SCHEMA = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType))
      .add("label", DataTypes.LongType).add("extra", DataTypes.DoubleType).add("name", DataTypes.StringType)
      .add("flag", DataTypes.BooleanType).add("words", DataTypes.createArrayType(DataTypes.StringType));
  private static SparkSession spark;
  private static MetaGraphDef meta;
  private static TrainOpSplit split;
  private static Dataset<Row> empty;

  @BeforeAll
  static void setUp() {
    spark = SparkSession.builder().master("local[1]").appName("FeedResolverTest").config("spark.ui.enabled", "false").getOrCreate();
    Graph graph = ModelGenerator.build(new ModelSpec(ModelSpec.Kind.MLP, List.of(6L), 3, List.of(4L), ModelSpec.Optimizer.SGD, 0.1, 1));
    placeholder(graph, "fixed", DType.FLOAT, 16, 6);
    placeholder(graph, "scalar", DType.FLOAT);
    placeholder(graph, "matrix", DType.FLOAT, -1, -1);
    for (DType dtype : List.of(DType.BOOL, DType.STRING, DType.HALF)) {
      placeholder(graph, "p_" + dtype.pythonName(), dtype, -1);
    }
    meta = MetaGraphDef.newBuilder().setGraphDef(graph.toGraphDef()).build();
    split = TrainOpSplit.of(meta, ModelGenerator.TRAIN, ModelGenerator.LOSS);
    empty = spark.createDataFrame(List.of(), SCHEMA);
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static void placeholder(Graph graph, String name, DType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    Arrays.stream(dims).forEach(d -> shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d)));
    graph.opBuilder("Placeholder", name).setAttr("dtype", dtype).setAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build();
  }

  /** The flag under test first, then the feeds the loss needs. */
  private static List<FeedSpec> resolve(String placeholder, Dataset<Row> data, String... columns) {
    Map<String, List<String>> flags = new LinkedHashMap<>();
    flags.put(placeholder, List.of(columns));
    flags.putIfAbsent("x", List.of("features"));
    flags.putIfAbsent("labels", List.of("label"));
    return FeedResolver.resolve(meta, split, flags, data);
  }

  @Test
  void aFeedOfANodeThatIsNotAPlaceholderIsRefusedNamingItsOp() {
    assertThatThrownBy(() -> resolve("loss", empty, "extra"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--feed loss: node 'loss' (Mean) is not a placeholder; training feeds placeholders only");
    assertThatThrownBy(() -> resolve("logits:0", empty, "extra"))
        .hasMessage("--feed logits:0: node 'logits' (Identity) is not a placeholder; training feeds placeholders only");
  }

  @Test
  void aFeedOfANameNotInTheGraphIsRefused() {
    assertThatThrownBy(() -> resolve("image", empty, "features"))
        .hasMessage("--feed image: the graph has no placeholder named 'image'");
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"BOOL", "STRING", "HALF"})
  void aPlaceholderOfADtypeTrainingCannotFeedIsRefusedNamingTheDtype(DType dtype) {
    String name = "p_" + dtype.pythonName();
    assertThatThrownBy(() -> resolve(name, empty, "extra"))
        .hasMessage("--feed " + name + ": placeholder " + name + " takes " + dtype.pythonName()
            + "; training feeds float32, float64, int32 or int64");
  }

  @Test
  void aFixedBatchDimensionIsRefusedEvenWhenItEqualsTheBatchSize() {
    assertThatThrownBy(() -> resolve("fixed", empty, "features"))
        .hasMessage("--feed fixed: placeholder fixed has a fixed batch dimension 16; replicas feed slices of the batch, so its first dimension "
            + "must be None");
  }

  @Test
  void aScalarPlaceholderIsRefused() {
    assertThatThrownBy(() -> resolve("scalar", empty, "extra"))
        .hasMessage("--feed scalar: placeholder scalar is a scalar; training feeds a batch, so it needs a first dimension of None");
  }

  @Test
  void aColumnOfTheWrongTypeIsRefusedBeforeTrainingEvenWhenThePlaceholderShapeIsKnown() {
    assertThatThrownBy(() -> resolve("x", empty, "name"))
        .hasMessage("--feed x: column 'name' is string; expected a numeric column, an array of numbers or an ML vector");
    assertThatThrownBy(() -> resolve("x", empty, "words"))
        .hasMessage("--feed x: column 'words' is array<string>; expected a numeric column, an array of numbers or an ML vector");
    assertThatThrownBy(() -> resolve("labels", empty, "flag"))
        .hasMessage("--feed labels: column 'flag' is boolean; expected a numeric column, an array of numbers or an ML vector");
  }

  @Test
  void eachOfSeveralColumnsMustBeNumeric() {
    assertThatThrownBy(() -> resolve("x", empty, "extra", "features", "label"))
        .hasMessage("--feed x: column 'features' is array<float>; several columns feed one number each, so each must be numeric");
  }

  @Test
  void anArrayColumnsLengthCannotBeInferredFromAnEmptyDatasetOrANullFirstValue() {
    assertThatThrownBy(() -> resolve("matrix", empty, "features"))
        .hasMessage("--feed matrix: placeholder matrix's example shape must be read from the first row of column 'features', "
            + "but the dataset is empty");
    Dataset<Row> nullFirst = spark.createDataFrame(List.of(RowFactory.create(null, 1L, 0.5, "a", true, null)), SCHEMA);
    assertThatThrownBy(() -> resolve("matrix", nullFirst, "features"))
        .hasMessage("--feed matrix: placeholder matrix's example shape must be read from the first row of column 'features', "
            + "but it is null there");
  }

  @Test
  void aPlaceholderOfUnknownExampleShapeTakesItsLengthFromTheFirstRow() {
    Dataset<Row> one = spark.createDataFrame(List.of(RowFactory.create(List.of(1f, 2f, 3f), 1L, 0.5, "a", true, null)), SCHEMA);
    List<FeedSpec> feeds = resolve("matrix", one, "features");

    assertThat(feeds.get(0).placeholder()).isEqualTo("matrix:0");
    assertThat(feeds.get(0).elementShape()).containsExactly(3);
    assertThat(feeds.get(1).elementShape()).containsExactly(6);
  }
}
