package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The {@code make-train-mlp <dir> <gd|momentum> <feedsOut>} command: TF Java builds a training graph
 * for a small MLP, {@code loss = Mean(SoftmaxCrossEntropyWithLogits(BiasAdd(MatMul(Relu(BiasAdd(
 * MatMul(x, W1), b1)), W2), b2), labels))}, x float32 [?,6], labels [?,3], W1 [6,8], b1 [8],
 * W2 [8,3], b2 [3] (VariableV2, deterministic values), its gradients from TensorFlow's C++ gradient
 * registry ({@code Graph.addGradients}), one ApplyGradientDescent (learning rate 0.5) or
 * ApplyMomentum (0.1, momentum 0.9, slots {@code W1_Momentum}...: TF Java allows no / in a name) per variable, each after every
 * gradient, and a NoOp {@code train} after all of them. It initialises the variables and exports a
 * SavedModel to {@code dir}; {@code feedsOut} gets the fixed batch (4 rows) as {@code run --feed}
 * specs, one per line.
 */
final class MakeTrainMlp {
  static final float[][] X = MakeMlp.matrix(4, 6, 7, 1.5f);
  static final float[][] LABELS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}};

  private MakeTrainMlp() {}

  static int command(String[] a) throws IOException {
    if (a.length != 3 || !(a[1].equals("gd") || a[1].equals("momentum"))) {
      throw new IllegalArgumentException("make-train-mlp needs <dir> <gd|momentum> <feedsOut>");
    }
    Path dir = Path.of(a[0]).toAbsolutePath();
    boolean momentum = a[1].equals("momentum");
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6)));
      Placeholder<TFloat32> labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      List<Variable<TFloat32>> vars = List.of(
          tf.withName("W1").variable(tf.constant(MakeMlp.matrix(6, 8, 11, 0.6f))),
          tf.withName("b1").variable(tf.constant(MakeMlp.matrix(1, 8, 31, 0.1f)[0])),
          tf.withName("W2").variable(tf.constant(MakeMlp.matrix(8, 3, 51, 0.6f))),
          tf.withName("b2").variable(tf.constant(MakeMlp.matrix(1, 3, 71, 0.1f)[0])));
      Operand<TFloat32> hidden = tf.withName("hidden").nn.relu(tf.withName("hidden_BiasAdd").nn.biasAdd(
          tf.withName("hidden_MatMul").linalg.matMul(x, vars.get(0)), vars.get(1)));
      Operand<TFloat32> logits = tf.withName("logits").nn.biasAdd(tf.withName("logits_MatMul").linalg.matMul(hidden, vars.get(2)),
          vars.get(3));
      Operand<TFloat32> xent = tf.withName("xent").nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
      Operand<TFloat32> loss = tf.withName("loss").math.mean(xent, tf.constant(0));
      Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] grads = g.addGradients(loss.asOutput(), xs);

      Operand<TFloat32> lr = tf.withName("learning_rate").constant(momentum ? 0.1f : 0.5f);
      Operand<TFloat32> mu = tf.withName("momentum").constant(0.9f);
      List<Operation> updates = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        Variable<TFloat32> v = vars.get(i);
        String name = v.op().name();
        GraphOperationBuilder apply;
        if (momentum) {
          Variable<TFloat32> accum = tf.withName(name + "_Momentum").variable(tf.zerosLike(v));
          apply = (GraphOperationBuilder) g.opBuilder("ApplyMomentum", "update_" + name, tf.scope())
              .addInput(v.asOutput()).addInput(accum.asOutput()).addInput(lr.asOutput()).addInput(grads[i]).addInput(mu.asOutput());
        } else {
          apply = (GraphOperationBuilder) g.opBuilder("ApplyGradientDescent", "update_" + name, tf.scope())
              .addInput(v.asOutput()).addInput(lr.asOutput()).addInput(grads[i]);
        }
        for (Output<?> grad : grads) {
          apply.addControlInput(grad.op());
        }
        updates.add(apply.build());
      }
      GraphOperationBuilder train = (GraphOperationBuilder) g.opBuilder("NoOp", "train", tf.scope());
      updates.forEach(train::addControlInput);
      train.build();
      session.initialize();

      Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).input("labels", labels).output("loss", loss)
          .build();
      SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export();
    }
    List<String> feeds = List.of(spec("x", X), spec("labels", LABELS));
    Path out = Path.of(a[2]).toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.write(out, feeds, StandardCharsets.UTF_8);
    return 1;
  }

  private static String spec(String name, float[][] m) {
    List<String> values = new ArrayList<>();
    for (float[] row : m) {
      for (float v : row) {
        values.add(Float.toString(v));
      }
    }
    return name + "=float32:" + m.length + "x" + m[0].length + ":" + String.join(",", values);
  }
}
