package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceOptionsTest {
  @Test
  void defaultsAreTheLatestCheckpointWithoutValuesOrStats() {
    SourceOptions options = SourceOptions.parse(Map.of("path", "/m"));
    assertThat(options.paths()).containsExactly("/m");
    assertThat(options.allCheckpoints()).isFalse();
    assertThat(options.values()).isFalse();
    assertThat(options.stats()).isFalse();
    assertThat(options.splitBytes()).isEqualTo(64L << 20);
  }

  @Test
  void keysAreCaseInsensitiveAndSizesTakeUnits() {
    SourceOptions options = SourceOptions.parse(Map.of("PATH", "/m", "Checkpoints", "ALL", "values", "True", "stats", "true", "split-bytes", "2m"));
    assertThat(options.allCheckpoints()).isTrue();
    assertThat(options.values()).isTrue();
    assertThat(options.stats()).isTrue();
    assertThat(options.splitBytes()).isEqualTo(2L << 20);
  }

  @Test
  void severalPathsArriveAsAJsonArray() {
    assertThat(SourceOptions.parse(Map.of("paths", "[\"/a\",\"/b\"]")).paths()).containsExactly("/a", "/b");
  }

  @Test
  void hadoopSettingsKeepTheirCase() {
    assertThat(SourceOptions.parse(Map.of("path", "/m", "fs.s3a.endpoint", "http://x", "other", "y")).hadoopSettings())
        .containsExactly(Map.entry("fs.s3a.endpoint", "http://x"));
  }

  @Test
  void badOptionsNameTheOptionAndWhatItAccepts() {
    assertThatThrownBy(() -> SourceOptions.parse(Map.of("path", "/m", "checkpoints", "some")))
        .hasMessage("Invalid option checkpoints: some; expected latest or all");
    assertThatThrownBy(() -> SourceOptions.parse(Map.of("path", "/m", "stats", "yes")))
        .hasMessage("Invalid option stats: yes; expected true or false");
    assertThatThrownBy(() -> SourceOptions.parse(Map.of("path", "/m", "split-bytes", "0")))
        .hasMessage("Invalid option split-bytes: 0; expected at least one byte");
    assertThatThrownBy(() -> SourceOptions.parse(Map.of("path", "/m", "split-bytes", "lots")))
        .hasMessageStartingWith("Invalid option split-bytes: lots; expected a size such as 67108864, 64m or 1g");
    assertThatThrownBy(() -> SourceOptions.parse(Map.of()))
        .hasMessageStartingWith("Cannot read tfcheckpoint without a path");
  }
}
