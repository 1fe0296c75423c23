package io.sparkpoint.bundle;

/** File names of a V2 checkpoint with prefix P: {@code P.index}, {@code P.data-00000-of-00001}, {@code P.meta}. */
public final class BundleNaming {
  private BundleNaming() {}

  public static String indexFile(String prefix) {
    return prefix + ".index";
  }

  /** {@code P.data-SSSSS-of-NNNNN}: at least five digits each, zero padded. */
  public static String dataFile(String prefix, int shard, int numShards) {
    return String.format("%s.data-%05d-of-%05d", prefix, shard, numShards);
  }

  public static String metaFile(String prefix) {
    return prefix + ".meta";
  }

  /** What the ShardedFilename op computes: {@code base-SSSSS-of-NNNNN}. */
  public static String shardedFilename(String base, int shard, int numShards) {
    return String.format("%s-%05d-of-%05d", base, shard, numShards);
  }

  /** True when {@code fileName} is one of the data files of {@code prefix}. */
  public static boolean isDataFileOf(String prefix, String fileName) {
    return fileName.startsWith(prefix + ".data-") && fileName.substring(prefix.length()).matches("\\.data-\\d{5,}-of-\\d{5,}");
  }
}
