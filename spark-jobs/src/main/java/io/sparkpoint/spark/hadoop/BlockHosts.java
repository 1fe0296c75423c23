package io.sparkpoint.spark.hadoop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which hosts store a byte range of a data file, from the filesystem's block locations (HDFS
 * knows them; local and object stores report none or "localhost"), so that Spark can run a task
 * where its bytes are. Locality is a hint: a file whose blocks cannot be listed has no hosts. Each
 * file's blocks are listed once. Driver only; not thread-safe.
 */
public final class BlockHosts {
  /** As Spark's file sources: a task names at most this many hosts. */
  public static final int MAX_HOSTS = 3;

  private final Configuration conf;
  private final Map<String, BlockLocation[]> blocksByFile = new HashMap<>();

  public BlockHosts(Configuration conf) {
    this.conf = conf;
  }

  /** The hosts holding most of {@code [start, end)} of {@code file}, most bytes first. */
  public List<String> hosts(String file, long start, long end) {
    if (end <= start) {
      return List.of();
    }
    return rank(blocksByFile.computeIfAbsent(file, this::blocks), start, end);
  }

  private BlockLocation[] blocks(String file) {
    try {
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(conf);
      return fs.getFileBlockLocations(fs.getFileStatus(path), 0, Long.MAX_VALUE);
    } catch (IOException | RuntimeException e) {
      return new BlockLocation[0]; // no hint; the read itself will report a missing file
    }
  }

  /** Ranks hosts by how many bytes of {@code [start, end)} their blocks hold; "localhost" is no host. */
  static List<String> rank(BlockLocation[] blocks, long start, long end) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    try {
      for (BlockLocation block : blocks) {
        long overlap = Math.min(end, block.getOffset() + block.getLength()) - Math.max(start, block.getOffset());
        if (overlap > 0) {
          for (String host : block.getHosts()) {
            if (!host.equals("localhost")) {
              bytes.merge(host, overlap, Long::sum);
            }
          }
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    List<String> hosts = new ArrayList<>(bytes.keySet());
    hosts.sort((a, b) -> Long.compare(bytes.get(b), bytes.get(a)));
    return hosts.subList(0, Math.min(MAX_HOSTS, hosts.size()));
  }
}
