package io.sparkpoint.kernels.io;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The checkpoint ops on the bundle code, as TensorFlow's Saver graphs use them: SaveV2, RestoreV2
 * and MergeV2Checkpoints, and the file-name ops around them (ShardedFilename, ShardedFilespec,
 * StringJoin, RegexFullMatch). Files go through the session's {@code FileIO} service (see
 * {@link io.sparkpoint.exec.Session#withService}), else the Hadoop FileSystem API. Kernels are
 * stateless; a save and a restore of the same prefix must not run at the same time.
 */
public final class CheckpointKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("SaveV2", SaveRestore::saveV2);
    registry.register("RestoreV2", SaveRestore::restoreV2);
    registry.register("MergeV2Checkpoints", SaveRestore::mergeV2Checkpoints);
    registry.register("ShardedFilename", FilenameKernels::shardedFilename);
    registry.register("ShardedFilespec", FilenameKernels::shardedFilespec);
    registry.register("StringJoin", FilenameKernels::stringJoin);
    registry.register("RegexFullMatch", FilenameKernels::regexFullMatch);
  }
}
