package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.proto.VersionDef;

/** The header entry every index starts with, and the version rules for reading one. */
final class BundleHeaders {
  /** The format version this code writes and reads. */
  static final int VERSION = 1;
  /** The oldest producer this code reads. */
  static final int MIN_PRODUCER = 0;

  private BundleHeaders() {}

  static BundleHeaderProto singleShard() {
    return withShards(1);
  }

  static BundleHeaderProto withShards(int numShards) {
    return BundleHeaderProto.newBuilder()
        .setNumShards(numShards)
        .setVersion(VersionDef.newBuilder().setProducer(VERSION))
        .build();
  }

  /** Checks the version as TensorFlow does; returns an error message or null. */
  static String checkVersion(VersionDef version) {
    if (version.getProducer() < MIN_PRODUCER) {
      return "Checkpoint producer version " + version.getProducer() + " below min producer " + MIN_PRODUCER
          + " supported by Sparkpoint.  Please regenerate your checkpoint.";
    }
    if (version.getMinConsumer() > VERSION) {
      return "Checkpoint min consumer version " + version.getMinConsumer() + " above current version " + VERSION
          + " for Sparkpoint.  Please upgrade Sparkpoint.";
    }
    if (version.getBadConsumersList().contains(VERSION)) {
      return "Checkpoint disallows consumer version " + VERSION + ".  Please upgrade Sparkpoint: this version is likely buggy.";
    }
    return null;
  }
}
