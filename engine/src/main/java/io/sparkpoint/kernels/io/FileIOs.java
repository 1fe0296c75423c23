package io.sparkpoint.kernels.io;

import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;

/** Where the checkpoint ops read and write: the session's FileIO, else the Hadoop FileSystem API with default settings. */
final class FileIOs {
  private FileIOs() {}

  static FileIO of(KernelContext context) {
    FileIO io = context.service(FileIO.class);
    return io != null ? io : HadoopFileIO.shared();
  }
}
