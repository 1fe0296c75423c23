package io.sparkpoint.spark.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.junit.jupiter.api.Test;

class BlockHostsTest {
  private static BlockLocation block(long offset, long length, String... hosts) {
    return new BlockLocation(hosts, hosts, offset, length);
  }

  private final BlockLocation[] blocks = {
      block(0, 100, "dn1", "dn2", "dn3"), block(100, 100, "dn2", "dn4", "dn5"), block(200, 100, "dn4", "dn5", "dn6")};

  @Test
  void hostsAreRankedByTheBytesOfTheRangeTheyHold() {
    assertThat(BlockHosts.rank(blocks, 50, 250)).containsExactly("dn2", "dn4", "dn5");
    assertThat(BlockHosts.rank(blocks, 210, 220)).containsExactly("dn4", "dn5", "dn6");
  }

  @Test
  void localhostAndEmptyRangesGiveNoHint() {
    assertThat(BlockHosts.rank(new BlockLocation[] {block(0, 100, "localhost")}, 0, 10)).isEmpty();
    assertThat(new BlockHosts(new Configuration(false)).hosts("/nowhere/file", 5, 5)).isEmpty();
    assertThat(new BlockHosts(new Configuration(false)).hosts("/nowhere/file", 0, 5)).isEmpty();
  }
}
