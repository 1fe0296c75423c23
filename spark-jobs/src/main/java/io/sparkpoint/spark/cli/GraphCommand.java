package io.sparkpoint.spark.cli;

import com.google.protobuf.Message;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.spark.jobs.GraphJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a graph file between binary and text, or list its nodes, ops and collections.",
      "IN is a .meta (MetaGraphDef), a saved_model.pb, or a GraphDef (.pb binary, .pbtxt text)."
    })
final class GraphCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "The graph file to read.")
  String in;

  @Option(names = "--as-text", description = "Write text format (to --out, or to stdout).")
  boolean asText;

  @Option(names = "--out", paramLabel = "F", description = "Write the graph here: text for .pbtxt/.txt names or with --as-text, else binary.")
  String out;

  @Option(names = "--summary", description = "List nodes, ops and collections (the default without --as-text and --out).")
  boolean summary;

  @Override
  public Integer call() throws Exception {
    FileIO io = SparkpointCli.fileIO();
    Message graph = GraphJob.read(io, in);
    var stdout = spec.commandLine().getOut();
    if (out != null) {
      GraphIO.write(io, graph, out, asText || GraphIO.isTextName(out));
    } else if (asText) {
      stdout.print(GraphIO.toText(graph));
    }
    if (summary || (out == null && !asText)) {
      GraphJob.Summary s = GraphJob.summarize(graph);
      stdout.println(s.kind() + ": " + s.nodes() + " nodes, " + s.versions());
      s.ops().forEach((op, count) -> stdout.println("  op " + op + " x" + count));
      s.collections().forEach((name, kind) -> stdout.println("  collection " + name + ": " + kind));
      if (s.saver() != null) {
        stdout.println("  saver: " + s.saver());
      }
      s.nodeNames().forEach(n -> stdout.println("  node " + n));
    }
    if (out != null) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("out", out);
      result.put("format", asText || GraphIO.isTextName(out) ? "text" : "binary");
      result.put("kind", graph.getDescriptorForType().getName());
      stdout.println(Json.write(result));
    }
    return 0;
  }
}
