package io.sparkpoint.spark.cli;

import io.sparkpoint.bundle.Resharder;
import io.sparkpoint.spark.jobs.ReshardJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "reshard",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite a checkpoint into N data shards balanced by bytes; every tensor stays byte-identical. A rerun that finds DST_PREFIX "
          + "already written writes nothing.",
      PlacementOptions.RULE + " On Spark each task writes one shard."
    })
final class ReshardCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SRC_PREFIX", description = "The checkpoint to read (a prefix or a directory).")
  String source;

  @Parameters(index = "1", paramLabel = "DST_PREFIX", description = "The prefix to write: new, or already holding this reshard's output.")
  String destination;

  @Option(names = "--shards", required = true, paramLabel = "N", description = "Number of data shards to write.")
  int shards;

  @Mixin PlacementOptions placement;

  @Override
  public Integer call() throws Exception {
    Resharder.Result result = ReshardJob.run(SparkpointCli.fileIO(), source, destination, shards, placement.placement());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("prefix", result.prefix());
    summary.put("shards", result.numShards());
    summary.put("entries", result.entries());
    summary.put("shard_bytes", result.shardBytes());
    spec.commandLine().getOut().println(Json.write(summary));
    return 0;
  }
}
