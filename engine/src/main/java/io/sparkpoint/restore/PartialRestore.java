package io.sparkpoint.restore;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.bundle.CorruptBundleException;
import io.sparkpoint.bundle.SliceKeys;
import io.sparkpoint.bundle.TensorCopy;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.fs.SupportsRename;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.retention.CheckpointFiles;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
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
 *
 * <p>The work comes in steps that may run in different processes: {@link #prepare} (plan, checks,
 * OUT made ready), OUT's bundle written from {@link Prepared#copies()} (here by {@link #write}, or
 * by Spark tasks each writing a group with {@link #copy}, then merged), and {@link #finish} (the
 * meta graph). {@link #run} runs them all here.
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

  /** Which checkpoint a tensor of OUT is copied from. */
  public enum Side {
    SOURCE,
    TARGET
  }

  /**
   * One tensor of OUT: tensor {@code from} of the source or target checkpoint, written as {@code to}
   * with {@code shape}. Names no open file, so it can be shipped to another process.
   *
   * @param sizeBytes the stored bytes to copy (a partitioned tensor's slices together)
   */
  public record Copy(Side side, String from, String to, Shape shape, long sizeBytes) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The checkpoint this tensor comes from, of the two open ones. */
    BundleReader reader(BundleReader sources, BundleReader targets) {
      return side == Side.SOURCE ? sources : targets;
    }
  }

  /**
   * A restore checked and made ready to write (see {@link #prepare}): the plan, what OUT must hold,
   * and whether OUT's bundle is still to be written. Immutable.
   */
  public static final class Prepared {
    private final Result result;
    private final List<Copy> copies;
    private final boolean pending;

    private Prepared(Result result, List<Copy> copies, boolean pending) {
      this.result = result;
      this.copies = List.copyOf(copies);
      this.pending = pending;
    }

    /** What the run reports: {@link Status#WRITTEN} once a pending bundle is written and {@link #finish}ed. */
    public Result result() {
      return result;
    }

    /** OUT's tensors, in the target's order; empty in a dry run. */
    public List<Copy> copies() {
      return copies;
    }

    /** Whether OUT's bundle must still be written, then {@link #finish}ed; false when the run is already over. */
    public boolean pending() {
      return pending;
    }

    /** The stored bytes OUT's bundle takes. */
    public long bytesToCopy() {
      return copies.stream().mapToLong(Copy::sizeBytes).sum();
    }
  }

  private PartialRestore() {}

  /**
   * Plans, checks and writes OUT here, as one data shard.
   *
   * @param source the checkpoint to take values from: a prefix, or a directory with a state file
   * @param target the checkpoint whose variables OUT holds: a prefix, or a directory with a state file
   * @param out the prefix to write; neither SRC's nor DST's
   * @throws FileNotFoundException naming the role when SRC or DST is missing
   * @throws IllegalArgumentException when OUT is SRC's or DST's prefix, or a {@code --map} entry is ambiguous
   * @throws RestoreMismatchException when dtypes or shapes differ and the options do not cover it (not in a dry run)
   * @throws FileAlreadyExistsException when OUT holds other content and the mode is not {@link Mode#OVERWRITE}
   */
  public static Result run(FileIO io, String source, String target, String out, RestoreOptions options, Mode mode) throws IOException {
    Prefixes prefixes = Prefixes.resolve(io, source, target, out);
    try (BundleReader sources = BundleReader.open(io, prefixes.source()); BundleReader targets = BundleReader.open(io, prefixes.target())) {
      Prepared prepared = prepare(io, prefixes, sources, targets, options, mode);
      return prepared.pending() ? write(io, prepared, sources, targets) : prepared.result();
    }
  }

  /**
   * Everything {@link #run} does before writing OUT's bundle, for a writer elsewhere (Spark tasks):
   * plans, checks, and gets OUT ready. A dry run stops at the plan. When OUT already holds this
   * restore it is left as it is (its meta graph rewritten if that alone differs) and nothing is
   * pending; when it holds other content, {@link Mode#OVERWRITE} removes it here. When {@link
   * Prepared#pending()}, the caller writes {@link Prepared#copies()} as OUT's bundle (for example
   * merged from several), then calls {@link #finish}, or lets {@link #write} do both here.
   *
   * @throws FileNotFoundException naming the role when SRC or DST is missing; the other failures are {@link #run}'s
   */
  public static Prepared prepare(FileIO io, String source, String target, String out, RestoreOptions options, Mode mode) throws IOException {
    Prefixes prefixes = Prefixes.resolve(io, source, target, out);
    try (BundleReader sources = BundleReader.open(io, prefixes.source()); BundleReader targets = BundleReader.open(io, prefixes.target())) {
      return prepare(io, prefixes, sources, targets, options, mode);
    }
  }

  /**
   * Writes a pending restore's bundle here, as one data shard, then {@link #finish}es it.
   *
   * @throws IllegalStateException when nothing is pending
   * @throws CorruptBundleException when a tensor to copy does not match its checksum (OUT is then not written)
   */
  public static Result write(FileIO io, Prepared prepared) throws IOException {
    Result result = prepared.result();
    try (BundleReader sources = BundleReader.open(io, result.source()); BundleReader targets = BundleReader.open(io, result.target())) {
      return write(io, prepared, sources, targets);
    }
  }

  /**
   * Copies {@code copies} from the open source and target checkpoints into {@code writer}, which
   * the caller finishes: each tensor's stored bytes streamed and verified (see {@link TensorCopy}).
   *
   * @throws CorruptBundleException when a tensor does not match its checksum
   */
  public static void copy(List<Copy> copies, BundleReader sources, BundleReader targets, BundleWriter writer) throws IOException {
    for (Copy copy : copies) {
      TensorCopy.copy(copy.reader(sources, targets), copy.from(), writer, copy.to(), copy.shape());
    }
  }

  /**
   * Completes a pending restore once OUT's bundle holds its copies: copies DST's meta graph to
   * {@code OUT.meta} (or removes a stale one when DST has none).
   *
   * @throws IllegalStateException when nothing is pending
   */
  public static Result finish(FileIO io, Prepared prepared) throws IOException {
    if (!prepared.pending()) {
      throw new IllegalStateException("Cannot finish the restore into " + prepared.result().out() + ": nothing is pending ("
          + prepared.result().status() + ")");
    }
    Result result = prepared.result();
    writeMeta(io, BundleNaming.metaFile(result.target()), BundleNaming.metaFile(result.out()));
    return result;
  }

  private static Prepared prepare(FileIO io, Prefixes prefixes, BundleReader sources, BundleReader targets, RestoreOptions options, Mode mode)
      throws IOException {
    RestorePlan plan = RestorePlan.compute(TensorSpec.of(sources), TensorSpec.of(targets), options);
    String problem = plan.problem(prefixes.source(), prefixes.target());
    if (mode == Mode.DRY_RUN) {
      return new Prepared(new Result(prefixes.source(), prefixes.target(), prefixes.out(), plan, Status.PLANNED, problem), List.of(), false);
    }
    if (problem != null) {
      throw new RestoreMismatchException(problem);
    }
    List<Copy> copies = copies(plan, sources, targets);
    Status status = prepareOut(io, copies, sources, targets, prefixes, mode);
    Result result = new Result(prefixes.source(), prefixes.target(), prefixes.out(), plan, status == null ? Status.WRITTEN : status, null);
    return new Prepared(result, copies, status == null);
  }

  private static Result write(FileIO io, Prepared prepared, BundleReader sources, BundleReader targets) throws IOException {
    if (!prepared.pending()) {
      throw new IllegalStateException("Cannot write the restore into " + prepared.result().out() + ": nothing is pending ("
          + prepared.result().status() + ")");
    }
    try (BundleWriter writer = BundleWriter.create(io, prepared.result().out())) {
      copy(prepared.copies(), sources, targets, writer);
      writer.finish();
    }
    return finish(io, prepared);
  }

  private static List<Copy> copies(RestorePlan plan, BundleReader sources, BundleReader targets) throws IOException {
    List<Copy> copies = new ArrayList<>();
    for (RestorePlan.Step step : plan.steps()) {
      Shape shape = step.targetSpec().shape();
      copies.add(step.restores() ? new Copy(Side.SOURCE, step.source(), step.target(), shape, sizeBytes(sources, step.source()))
          : new Copy(Side.TARGET, step.target(), step.target(), shape, sizeBytes(targets, step.target())));
    }
    return copies;
  }

  /** The stored bytes of tensor {@code name}: its entry's, or its slices' together. */
  private static long sizeBytes(BundleReader reader, String name) throws IOException {
    BundleEntryProto entry = reader.entry(name);
    long size = entry.getSize();
    for (TensorSliceProto slice : entry.getSlicesList()) {
      BundleEntryProto stored = reader.rawEntries().get(SliceKeys.encode(name, TensorSlice.fromProto(slice)));
      size += stored == null ? 0 : stored.getSize(); // a missing slice fails the copy, naming it
    }
    return size;
  }

  /**
   * Gets OUT ready for the copies: null when the bundle must be written (an OUT with other content
   * removed in {@link Mode#OVERWRITE}), else what the run did (OUT already holds the copies).
   */
  private static Status prepareOut(FileIO io, List<Copy> copies, BundleReader sources, BundleReader targets, Prefixes prefixes, Mode mode)
      throws IOException {
    String out = prefixes.out();
    String targetMeta = BundleNaming.metaFile(prefixes.target());
    String outMeta = BundleNaming.metaFile(out);
    if (!io.newInputFile(BundleNaming.indexFile(out)).exists()) {
      BundleWriter.createDirectory(io, Locations.parent(out)); // as SaveV2: here, for a bundle written elsewhere too
      return null;
    }
    String difference = OutputCheck.bundleDifference(io, out, copies, sources, targets);
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
    return null;
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

  /** SRC and DST resolved to prefixes, and OUT, checked to be neither. */
  private record Prefixes(String source, String target, String out) {
    static Prefixes resolve(FileIO io, String source, String target, String out) throws IOException {
      String sourcePrefix = PartialRestore.resolve(io, "Source", source);
      String targetPrefix = PartialRestore.resolve(io, "Target", target);
      if (sameLocation(out, targetPrefix)) {
        throw new IllegalArgumentException("Cannot write the restored checkpoint to " + out + ": it is the target checkpoint " + targetPrefix
            + ", which is never modified; choose another --out");
      }
      if (sameLocation(out, sourcePrefix)) {
        throw new IllegalArgumentException(
            "Cannot write the restored checkpoint to " + out + ": it is the source checkpoint " + sourcePrefix + "; choose another --out");
      }
      return new Prefixes(sourcePrefix, targetPrefix, out);
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
