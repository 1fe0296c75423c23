package io.sparkpoint.spark.cli;

import io.sparkpoint.freeze.FreezeGraph;
import io.sparkpoint.spark.jobs.FreezeJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    description = "Freeze a checkpoint's graph into one GraphDef: variables become constants, and only what the outputs need is kept.")
final class FreezeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR_OR_PREFIX",
      description = "A checkpoint prefix, or a directory whose 'checkpoint' state file names the latest one.")
  String checkpoint;

  @Option(names = "--outputs", required = true, split = ",", paramLabel = "NODE",
      description = "Output node names, comma separated (node names, not tensor names: add, not add:0).")
  List<String> outputs;

  @Option(names = "--out", required = true, paramLabel = "FROZEN.pb", description = "Where to write the frozen GraphDef.")
  String out;

  @Option(names = "--meta", paramLabel = "M.meta", description = "The MetaGraphDef to use instead of <prefix>.meta.")
  String meta;

  @Option(names = "--as-text", description = "Write the GraphDef in protobuf text format (.pbtxt).")
  boolean asText;

  @Override
  public Integer call() throws Exception {
    FreezeGraph.Format format = asText ? FreezeGraph.Format.TEXT : FreezeGraph.Format.BINARY;
    FreezeGraph.Result result = FreezeJob.run(SparkpointCli.fileIO(), checkpoint, meta, outputs, out, format);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("out", result.out());
    summary.put("nodes_kept", result.nodesKept());
    summary.put("variables_frozen", result.frozenVariables().size());
    summary.put("bytes", result.bytes());
    spec.commandLine().getOut().println(Json.write(summary));
    return 0;
  }
}
