package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The {@code make-mlp <dir> <valuesOut>} command: TF Java builds (in graph mode) a small MLP,
 * {@code probs = Softmax(BiasAdd(MatMul(Relu(BiasAdd(MatMul(x, W1), b1)), W2), b2))} with input
 * Placeholder {@code x} float32 [?,4] and variables W1 [4,8], b1 [8], W2 [8,3], b2 [3] (VariableV2,
 * fixed deterministic initial values), initialises them and exports a SavedModel to {@code dir}
 * (saved_model.pb, variables/variables.{index,data-*}, all written by TensorFlow). It then runs
 * {@code probs} on a fixed 2-row input and writes {@code valuesOut}: a {@code # feed ...} comment
 * holding that input as a {@code run --feed} spec, then the {@code run} line of {@code probs:0}.
 * Prints {@code output: probs} on stdout.
 */
final class MakeMlp {
  static final String INPUT = "x";
  static final String OUTPUT = "probs";
  /** The fixed input, 2 rows of 4. */
  static final float[][] X = {{1f, -2f, 0.5f, 3f}, {0.25f, 0.75f, -1.5f, 2f}};

  private MakeMlp() {}

  /** A deterministic [rows, cols] matrix: StrictMath.sin of a running index, scaled and rounded to 1/1024. */
  static float[][] matrix(int rows, int cols, int seed, float scale) {
    float[][] m = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = (float) (Math.rint(StrictMath.sin(seed + i * cols + j) * scale * 1024) / 1024);
      }
    }
    return m;
  }

  static int command(String[] a) throws IOException {
    if (a.length != 2) {
      throw new IllegalArgumentException("make-mlp needs <dir> <valuesOut>");
    }
    Path dir = Path.of(a[0]).toAbsolutePath();
    Path valuesOut = Path.of(a[1]).toAbsolutePath();
    if (Files.exists(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException(dir + " already holds a SavedModel");
    }
    List<String> lines = new ArrayList<>();
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
      Operand<TFloat32> w1 = tf.withName("W1").variable(tf.constant(matrix(4, 8, 1, 0.8f)));
      Operand<TFloat32> b1 = tf.withName("b1").variable(tf.constant(matrix(1, 8, 40, 0.1f)[0]));
      Operand<TFloat32> w2 = tf.withName("W2").variable(tf.constant(matrix(8, 3, 50, 0.8f)));
      Operand<TFloat32> b2 = tf.withName("b2").variable(tf.constant(matrix(1, 3, 80, 0.1f)[0]));
      Operand<TFloat32> hidden = tf.withName("hidden").nn.relu(
          tf.withName("hidden_BiasAdd").nn.biasAdd(tf.withName("hidden_MatMul").linalg.matMul(x, w1), b1));
      Operand<TFloat32> logits = tf.withName("logits").nn.biasAdd(
          tf.withName("logits_MatMul").linalg.matMul(hidden, w2), b2);
      Operand<TFloat32> probs = tf.withName(OUTPUT).nn.softmax(logits);
      session.initialize();

      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
          .input(INPUT, x).output(OUTPUT, probs).build();
      SavedModelBundle.exporter(dir.toString())
          .withFunction(SessionFunction.create(signature, session))
          .export();

      GraphRun.Feed feed = new GraphRun.Feed(INPUT, DType.FLOAT32, new long[] {X.length, X[0].length}, flat(X));
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(X.length, X[0].length));
           Result result = session.runner().feed(x, input(input)).fetch(probs).run()) {
        lines.add("# feed " + feed.spec());
        lines.add("# written by io.sparkpoint.oracle.Oracle make-mlp, TensorFlow " + TensorFlow.version());
        lines.add(GraphRun.format(OUTPUT + ":0", result.get(0)));
      }
    }
    Files.createDirectories(valuesOut.getParent());
    Files.write(valuesOut, lines, StandardCharsets.UTF_8);
    System.out.println("output: " + OUTPUT);
    lines.forEach(System.out::println);
    return 1;
  }

  private static TFloat32 input(TFloat32 t) {
    for (int i = 0; i < X.length; i++) {
      for (int j = 0; j < X[i].length; j++) {
        t.setFloat(X[i][j], i, j);
      }
    }
    return t;
  }

  private static List<String> flat(float[][] m) {
    List<String> values = new ArrayList<>();
    for (float[] row : m) {
      for (float v : row) {
        values.add(String.format(Locale.ROOT, "%s", v));
      }
    }
    return values;
  }
}
