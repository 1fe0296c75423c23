package io.sparkpoint.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production FileIO on the local disk, addressed as plain paths and as file:// URIs. */
class HadoopFileIOTest {
  private final HadoopFileIO io = HadoopFileIO.withDefaults();

  @TempDir Path dir;

  @Test
  void aCheckpointWrittenThroughAFileUriReadsThroughAPlainPath() throws Exception {
    String uriPrefix = dir.toUri().toString() + "ckpt";
    try (BundleWriter writer = BundleWriter.create(io, uriPrefix)) {
      writer.add("w", Tensor.ofFloats(Shape.of(2), 1f, 2f));
      writer.finish();
    }
    try (BundleReader reader = BundleReader.open(io, dir.resolve("ckpt").toString())) {
      assertThat(reader.lookup("w")).isEqualTo(Tensor.ofFloats(Shape.of(2), 1f, 2f));
    }
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("ckpt.index", "ckpt.data-00000-of-00001"); // no .crc side files, no temp files
  }

  @Test
  void createRefusesAnExistingFileAndAMissingParent() throws Exception {
    String file = dir.resolve("f").toString();
    try (OutputStream out = io.newOutputFile(file).create()) {
      out.write(1);
    }
    assertThatThrownBy(() -> io.newOutputFile(file).create()).isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> io.newOutputFile(dir.resolve("no/such/f").toString()).create())
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageEndingWith("no/such; No such file or directory");
  }

  @Test
  void renamesReplaceOrRefuseAsAsked() throws Exception {
    String a = dir.resolve("a").toString();
    String b = dir.resolve("b").toString();
    Files.writeString(dir.resolve("a"), "new");
    Files.writeString(dir.resolve("b"), "old");
    assertThatThrownBy(() -> io.renameNoReplace(a, b)).isInstanceOf(FileAlreadyExistsException.class);
    io.renameReplacing(a, b);
    assertThat(Files.readString(dir.resolve("b"))).isEqualTo("new");
    assertThat(io.newInputFile(a).exists()).isFalse();
  }

  @Test
  void directoriesAreListedSortedAndDeletedRecursively() throws Exception {
    String sub = dir.resolve("sub").toString();
    io.createDirectories(sub + "/deeper");
    Files.writeString(dir.resolve("sub/z"), "z");
    Files.writeString(dir.resolve("sub/a"), "a");
    assertThat(io.list(sub)).containsExactly(sub + "/a", sub + "/deeper", sub + "/z");
    assertThat(io.deleteDirectory(sub)).isTrue();
    assertThat(io.isDirectory(sub)).isFalse();
    assertThat(io.list(sub)).isEmpty();
  }

  @Test
  void readingPastTheEndNamesTheFile() throws Exception {
    Files.write(dir.resolve("short"), new byte[4]);
    try (RandomAccessInput input = io.newInputFile(dir.resolve("short").toString()).open()) {
      assertThatThrownBy(() -> input.readFully(2, 8))
          .isInstanceOf(java.io.EOFException.class)
          .hasMessageContaining("short (4 bytes)");
    }
  }
}
