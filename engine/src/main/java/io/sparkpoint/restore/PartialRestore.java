package io.sparkpoint.restore;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.bundle.TensorCopy;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.fs.SupportsRename;
import io.sparkpoint.retention.CheckpointFiles;
import io.sparkpoint.tensor.Shape;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The offline warm start ({@code sparkpoint restore-partial SRC DST --out OUT}): a new checkpoint
 * OUT holding every variable of the target checkpoint DST, with the values the {@link RestorePlan}
 * takes from the source checkpoint SRC and DST's own values for the rest. Neither SRC nor DST is
 * modified.
 *
 * <p>Values are copied as stored, bytes and checksums unchanged (verified on the way), one tensor
 * at a time. OUT is written the way {@link BundleWriter} writes: data file, then index, each
 * renamed into place, so {@code OUT.index} appears only when OUT is complete; DST's {@code .meta}
 * is copied to {@code OUT.meta} after it. A mismatch the options do not cover fails before anything
 * is written.
 *
 * <p>Idempotent: when OUT already holds exactly what this run would write, nothing is written
 * (a missing or different {@code OUT.meta} alone is rewritten, which completes an interrupted run).
 * OUT with other content is replaced only in {@link Mode#OVERWRITE}: its index goes first, then its
 * data files and meta graph, then the new checkpoint is written.
 */
public final class PartialRestore {
  /** Whether to write, and whether an OUT with other content may be replaced. */
  public enum Mode {
    DRY_RUN,
    CREATE,
    OVERWRITE
  }

  /** What the run did: planned only, wrote OUT, or found OUT already holding its content. */
  public enum Status {
    PLANNED,
    WRITTEN,
    UNCHANGED
  }

  /**
   * The plan and what became of it, with the resolved prefixes.
   *
   * @param problem why the plan cannot be carried out (a dry run reports it instead of failing), or null
   */
  public record Result(String source, String target, String out, RestorePlan plan, Status status, String problem) {
    public boolean dryRun() {
      return status == Status.PLANNED;
    }
  }

  /** One tensor of OUT: {@code from} of {@code reader}, written as {@code to} with {@code shape}. */
  record Copy(BundleReader reader, String from, String to, Shape shape) {}

  private PartialRestore() {}

  /**
   * @param source the checkpoint to take values from: a prefix, or a directory with a state file
   * @param target the checkpoint whose variables OUT holds: a prefix, or a directory with a state file
   * @param out the prefix to write; neither SRC's nor DST's
   * @throws FileNotFoundException naming the role when SRC or DST is missing
   * @throws IllegalArgumentException when OUT is SRC's or DST's prefix, or a {@code --map} entry is ambiguous
   * @throws RestoreMismatchException when dtypes or shapes differ and the options do not cover it (not in a dry run)
   * @throws FileAlreadyExistsException when OUT holds other content and the mode is not {@link Mode#OVERWRITE}
   */
  public static Result run(FileIO io, String source, String target, String out, RestoreOptions options, Mode mode) throws IOException {
    String sourcePrefix = resolve(io, "Source", source);
    String targetPrefix = resolve(io, "Target", target);
    if (sameLocation(out, targetPrefix)) {
      throw new IllegalArgumentException(
          "Cannot write the restored checkpoint to " + out + ": it is the target checkpoint " + targetPrefix + ", which is never modified; choose another --out");
    }
    if (sameLocation(out, sourcePrefix)) {
      throw new IllegalArgumentException(
          "Cannot write the restored checkpoint to " + out + ": it is the source checkpoint " + sourcePrefix + "; choose another --out");
    }
    try (BundleReader sources = BundleReader.open(io, sourcePrefix); BundleReader targets = BundleReader.open(io, targetPrefix)) {
      RestorePlan plan = RestorePlan.compute(TensorSpec.of(sources), TensorSpec.of(targets), options);
      String problem = plan.problem(sourcePrefix, targetPrefix);
      if (mode == Mode.DRY_RUN) {
        return new Result(sourcePrefix, targetPrefix, out, plan, Status.PLANNED, problem);
      }
      if (problem != null) {
        throw new RestoreMismatchException(problem);
      }
      Status status = write(io, copies(plan, sources, targets), out, BundleNaming.metaFile(targetPrefix), mode);
      return new Result(sourcePrefix, targetPrefix, out, plan, status, null);
    }
  }

  private static List<Copy> copies(RestorePlan plan, BundleReader sources, BundleReader targets) {
    List<Copy> copies = new ArrayList<>();
    for (RestorePlan.Step step : plan.steps()) {
      Shape shape = step.targetSpec().shape();
      copies.add(step.restores() ? new Copy(sources, step.source(), step.target(), shape) : new Copy(targets, step.target(), step.target(), shape));
    }
    return copies;
  }

  private static Status write(FileIO io, List<Copy> copies, String out, String targetMeta, Mode mode) throws IOException {
    String outMeta = BundleNaming.metaFile(out);
    if (io.newInputFile(BundleNaming.indexFile(out)).exists()) {
      String difference = OutputCheck.bundleDifference(io, out, copies);
      if (difference == null) {
        if (OutputCheck.sameFile(io, targetMeta, outMeta)) {
          return Status.UNCHANGED;
        }
        writeMeta(io, targetMeta, outMeta);
        return Status.WRITTEN;
      }
      if (mode != Mode.OVERWRITE) {
        throw new FileAlreadyExistsException(BundleNaming.indexFile(out), null,
            "Cannot write " + out + ": a checkpoint with other content is there (" + difference + "); pass --overwrite to replace it");
      }
      CheckpointFiles.remove(io, out, "meta"); // the index first: a half-removed checkpoint never looks valid
    }
    try (BundleWriter writer = BundleWriter.create(io, out)) {
      for (Copy copy : copies) {
        TensorCopy.copy(copy.reader(), copy.from(), writer, copy.to(), copy.shape());
      }
      writer.finish();
    }
    writeMeta(io, targetMeta, outMeta);
    return Status.WRITTEN;
  }

  /** Copies DST's meta graph to OUT's (through a temporary file), or removes a stale OUT meta graph when DST has none. */
  private static void writeMeta(FileIO io, String targetMeta, String outMeta) throws IOException {
    if (!io.newInputFile(targetMeta).exists()) {
      io.deleteFile(outMeta);
      return;
    }
    String temp = io instanceof SupportsRename ? outMeta + ".tempstate" + UUID.randomUUID().toString().replace("-", "") : outMeta;
    try (RandomAccessInput input = io.newInputFile(targetMeta).open(); OutputStream output = io.newOutputFile(temp).createOrOverwrite()) {
      byte[] chunk = new byte[(int) Math.min(1 << 20, Math.max(1, input.length()))];
      for (long done = 0; done < input.length(); ) {
        int n = (int) Math.min(chunk.length, input.length() - done);
        input.readFully(done, chunk, 0, n);
        output.write(chunk, 0, n);
        done += n;
      }
    } catch (IOException | RuntimeException e) {
      io.deleteFile(temp);
      throw e;
    }
    if (!temp.equals(outMeta)) {
      try {
        ((SupportsRename) io).renameReplacing(temp, outMeta);
      } catch (IOException | RuntimeException e) {
        io.deleteFile(temp);
        throw e;
      }
    }
  }

  private static String resolve(FileIO io, String role, String location) throws IOException {
    try {
      return Checkpoints.resolvePrefix(io, location);
    } catch (FileNotFoundException e) {
      FileNotFoundException named = new FileNotFoundException(role + " checkpoint: " + e.getMessage());
      named.initCause(e);
      throw named;
    }
  }

  /** Whether two locations name the same file: paths compared absolute and normalized, URIs normalized. */
  private static boolean sameLocation(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String location) {
    try {
      return Locations.hasScheme(location) ? URI.create(location).normalize().toString() : Paths.get(location).toAbsolutePath().normalize().toString();
    } catch (IllegalArgumentException e) {
      return location;
    }
  }
}
