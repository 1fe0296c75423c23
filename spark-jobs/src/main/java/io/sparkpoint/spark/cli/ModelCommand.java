package io.sparkpoint.spark.cli;

import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
        "Generate a ready-to-train model: a .meta with placeholders x and labels, a loss, a 'train' op, a global_step and a Saver, "
            + "plus its initial checkpoint, written under --out.",
        "Train it at once with: sparkpoint run --meta OUT/model.ckpt-0.meta --checkpoint OUT --feed x:0=X.npy --feed labels:0=Y.npy "
            + "--target train --repeat N --save OUT/model.ckpt"})
final class ModelCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "mlp|cnn|logreg", description = "The architecture.")
  String kind;

  @Option(names = "--input-shape", required = true, split = ",", paramLabel = "DIM",
      description = "The shape of one example, without the batch: 784, or 28,28,1 for a cnn (height, width, channels).")
  List<Long> inputShape;

  @Option(names = "--classes", required = true, paramLabel = "N", description = "The number of classes; labels are int64 ids in [0, N).")
  int classes;

  @Option(names = "--hidden", split = ",", paramLabel = "SIZE",
      description = "mlp: hidden layer sizes (default 512,256); cnn: filters per 5x5 conv + 2x2 max-pool layer (default 32,64).")
  List<Long> hidden;

  @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "sgd|momentum|adam", description = "Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the initial weights. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory for the checkpoint, .meta and state file.")
  String out;

  @Override
  public Integer call() {
    ModelSpec.Kind architecture = parse(ModelSpec.Kind.class, kind, "architecture", "mlp, cnn or logreg");
    ModelSpec.Optimizer method = parse(ModelSpec.Optimizer.class, optimizer, "--optimizer", "sgd, momentum or adam");
    List<Long> sizes = hidden != null ? hidden : switch (architecture) {
      case MLP -> List.of(512L, 256L);
      case CNN -> List.of(32L, 64L);
      case LOGREG -> List.of();
    };
    ModelSpec model = new ModelSpec(architecture, inputShape, classes, sizes, method, learningRate, seed);
    ModelGenerator.Generated generated = ModelGenerator.write(model, SparkpointCli.fileIO(), out);
    PrintWriter printer = spec.commandLine().getOut();
    printer.println("Generated " + model.describe());
    printer.println("  feed  " + ModelGenerator.INPUT + "  float32 [batch, " + String.join(", ", inputShape.stream().map(String::valueOf).toList()) + "]");
    printer.println("  feed  " + ModelGenerator.LABELS + "  int64 [batch] (class ids)");
    printer.println("  fetch " + ModelGenerator.LOSS + ", " + ModelGenerator.PROBABILITIES + ", " + ModelGenerator.PREDICTIONS);
    printer.println("  run   " + ModelGenerator.TRAIN + " (one step), " + ModelGenerator.INIT + " (initialize)");
    printer.println("  checkpoint " + generated.checkpoint() + " and " + generated.checkpoint() + ".meta");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint", generated.checkpoint());
    summary.put("meta", generated.checkpoint() + ".meta");
    summary.put("inputs", List.of(ModelGenerator.INPUT, ModelGenerator.LABELS));
    summary.put("loss", ModelGenerator.LOSS);
    summary.put("train_op", ModelGenerator.TRAIN);
    summary.put("variables", generated.variables().size());
    printer.println(Json.write(summary));
    return 0;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String text, String what, String allowed) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown " + what + " '" + text + "': use " + allowed);
    }
  }
}
