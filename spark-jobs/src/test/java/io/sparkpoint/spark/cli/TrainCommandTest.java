package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad train flags are usage errors (exit 2) naming the flag and what it needs, before any Spark starts. */
class TrainCommandTest {
  private static CliRun train(String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--meta", "m.meta", "--data", "d", "--checkpoint-dir", "c", "--batch-size", "8"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void malformedFeedsModesAndBoundsAreUsageErrors() {
    CliRun feed = train("--feed", "x", "--steps", "1");
    assertThat(feed.code()).isEqualTo(2);
    assertThat(feed.err()).contains("--feed must be PLACEHOLDER=COLUMN[,COLUMN...], got 'x'");

    CliRun mode = train("--feed", "x=f", "--steps", "1", "--mode", "fast");
    assertThat(mode.code()).isEqualTo(2);
    assertThat(mode.err()).contains("--mode must be sync or average, got 'fast'");

    CliRun length = train("--feed", "x=f");
    assertThat(length.code()).isEqualTo(2);
    assertThat(length.err()).contains("Give --steps or --epochs");

    CliRun shards = train("--feed", "x=f", "--steps", "1", "--shards", "0");
    assertThat(shards.code()).isEqualTo(2);
    assertThat(shards.err()).contains("--shards must be at least 1, got 0");

    CliRun local = train("--feed", "x=f", "--steps", "1", "--mode", "average", "--local-steps", "0");
    assertThat(local.code()).isEqualTo(2);
    assertThat(local.err()).contains("--local-steps must be at least 1, got 0");

    CliRun regex = train("--feed", "x=f", "--steps", "1", "--init-include", "(");
    assertThat(regex.code()).isEqualTo(2);
    assertThat(regex.err()).contains("--init-include");
  }
}
