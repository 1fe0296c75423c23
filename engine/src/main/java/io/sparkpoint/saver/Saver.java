package io.sparkpoint.saver;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.checkpoint.InvalidCheckpointStateException;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.retention.CheckpointFiles;
import io.sparkpoint.retention.CheckpointHistory;
import io.sparkpoint.retention.PendingDeletions;
import io.sparkpoint.retention.RetentionRule;
import io.sparkpoint.retention.TimedCheckpoint;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * TensorFlow 1's {@code tf.train.Saver}: saves and restores variables through nodes it adds to the
 * graph (see {@link SaverGraph}), so a {@code .meta} it writes restores in TensorFlow and a
 * SaverDef TensorFlow wrote restores here ({@link Builder#saverDef}). Make one with
 * {@link #builder(Graph)}; every constructor argument of TensorFlow's Saver is a builder method.
 *
 * <p>Retention follows TensorFlow's algorithm and survives restarts: the first save into a
 * directory takes over the checkpoints its state file lists (with their save times and the
 * keep-every-N-hours clock, which this Saver writes into the state file), so {@code max_to_keep}
 * keeps applying to checkpoints of a previous process. Order of a save: the deletions a crashed
 * save left pending ({@link PendingDeletions}), the bundle (index last), the meta graph, the record
 * of the checkpoints that leave the list, the state file, and only then their deletion;
 * the newest committed checkpoint is never deleted, and only exact checkpoint file names of this
 * Saver's save path are ever deleted. A Saver is not thread-safe.
 */
public final class Saver {
  private final Graph graph;
  private final Builder options;
  private SaverDef saverDef;
  private boolean empty;
  private final CheckpointHistory history;
  /** Set by the first state update, and by setting the managed list explicitly: recovery happens at most once. */
  private boolean recovered;

  private Saver(Graph graph, Builder options) {
    this.graph = graph;
    this.options = options;
    int maxToKeep = options.saverDef != null ? options.saverDef.getMaxToKeep() : options.maxToKeep;
    double hours = options.saverDef != null ? options.saverDef.getKeepCheckpointEveryNHours() : options.keepCheckpointEveryNHours;
    this.history = new CheckpointHistory(RetentionRule.SAVER, maxToKeep, hours > 0 ? hours : null, options.clock.getAsDouble());
  }

  public static Builder builder(Graph graph) {
    return new Builder(graph);
  }

  /** A Saver that runs the nodes an imported SaverDef names (for example from {@code MetaGraphs.importMetaGraph}). */
  public static Saver fromSaverDef(Graph graph, SaverDef saverDef) {
    return builder(graph).saverDef(saverDef).build();
  }

  /**
   * Adds the save and restore nodes, when the Saver was made with {@code deferBuild(true)}; does
   * nothing when they exist.
   *
   * @throws IllegalArgumentException "No variables to save" unless {@code allowEmpty}
   */
  public Saver build() {
    if (saverDef != null || empty) {
      return this;
    }
    if (options.saverDef != null) {
      saverDef = options.saverDef;
      return this;
    }
    List<Saveable> saveables = options.varMap != null ? Saveables.ofMap(graph, options.varMap)
        : options.varList != null ? Saveables.ofList(graph, options.varList) : Saveables.ofGlobalVariables(graph);
    if (saveables.isEmpty()) {
      if (options.allowEmpty) {
        empty = true;
        return this;
      }
      throw new IllegalArgumentException("No variables to save");
    }
    saverDef = SaverGraph.build(graph, saveables, new SaverGraph.Spec(options.name, options.filename, options.sharded,
        options.numShards, options.reshape, options.restoreSequentially, options.maxToKeep, (float) options.keepCheckpointEveryNHours));
    return this;
  }

  /** The SaverDef: the names of the filename tensor, the save tensor and the restore op; null for an empty Saver. */
  public SaverDef saverDef() {
    checkBuilt("saverDef");
    return saverDef;
  }

  /** {@link #save(Session, String, SaveOptions)} with the defaults. */
  public String save(Session session, String savePath) {
    return save(session, savePath, SaveOptions.defaults());
  }

  /** {@link #save(Session, String, SaveOptions)} with a global step. */
  public String save(Session session, String savePath, long globalStep) {
    return save(session, savePath, SaveOptions.defaults().withGlobalStep(globalStep));
  }

  /**
   * Saves the variables' current values in {@code session} as a checkpoint at {@code savePath} (a
   * prefix, with {@code -STEP} appended for a global step), writes its meta graph and updates the
   * state file, then applies retention.
   *
   * @return the checkpoint prefix; null for an empty Saver (which only writes the meta graph)
   * @throws IllegalArgumentException in TensorFlow's words: a missing parent directory, a bad latest_filename
   * @throws SaverException when the save fails
   */
  public String save(Session session, String savePath, SaveOptions save) {
    checkBuilt("save");
    String latest = save.latestFilename() == null ? Checkpoints.DEFAULT_STATE_FILE : save.latestFilename();
    if (latest.contains("/")) {
      throw new IllegalArgumentException("'latest_filename' must not contain path components");
    }
    if (!options.sharded && Locations.name(savePath).equals(latest)) {
      throw new IllegalArgumentException("'latest_filename' collides with 'save_path': '" + latest + "' and '" + savePath + "'");
    }
    Long step = save.globalStep() != null ? save.globalStep() : save.globalStepTensor() != null ? readStep(session, save.globalStepTensor()) : null;
    String file = step == null ? savePath : options.padStepNumber ? String.format("%s-%08d", savePath, step) : savePath + "-" + step;
    FileIO io = fileIO(session);
    String path = null;
    try {
      if (!empty) {
        finishPendingDeletions(PendingDeletions.of(io, Locations.parent(savePath), latest));
        path = runSave(session, io, savePath, file);
      }
      if (save.writeMetaGraph()) {
        exportMetaGraph(io, metaGraphFilename(file, save.metaGraphSuffix()), save.stripDefaultAttrs());
      }
      if (!empty && save.writeState()) {
        updateState(io, savePath, path, latest, save.metaGraphSuffix());
      }
    } catch (IOException e) {
      throw new SaverException("Failed to save checkpoint " + file + ": " + e.getMessage(), e);
    }
    return path;
  }

  private String runSave(Session session, FileIO io, String savePath, String file) throws IOException {
    try {
      Tensor out = session.run(Map.of(saverDef.getFilenameTensorName(), scalar(file)), List.of(saverDef.getSaveTensorName())).get(0);
      return new String(out.string(0), StandardCharsets.UTF_8);
    } catch (KernelException e) {
      String parent = Locations.parent(savePath);
      if (hasCause(e, FileNotFoundException.class) && io instanceof SupportsDirectories dirs && !parent.isEmpty() && !dirs.isDirectory(parent)) {
        throw new IllegalArgumentException("Parent directory of " + savePath + " doesn't exist, can't save.", e);
      }
      throw e;
    }
  }

  private void updateState(FileIO io, String savePath, String path, String latest, String metaSuffix) throws IOException {
    String directory = Locations.parent(savePath);
    double now = options.clock.getAsDouble();
    recoverOnce(io, directory, latest, savePath, now);
    CheckpointHistory.Sweep sweep = history.record(path, now);
    CheckpointState state = history.toState(path, now);
    PendingDeletions pending = PendingDeletions.of(io, directory, latest);
    pending.record(sweep.deleted().stream().map(TimedCheckpoint::prefix).toList(), metaSuffix == null ? List.of() : List.of(metaSuffix));
    Checkpoints.updateCheckpointState(io, directory, state, latest,
        options.saveRelativePaths ? Checkpoints.PathStyle.RELATIVE : Checkpoints.PathStyle.AS_GIVEN);
    try {
      finishPendingDeletions(pending);
    } catch (IOException | RuntimeException e) {
      // the state file is written: the save succeeded, and the record makes the next save retry
      System.err.println("sparkpoint: could not delete old checkpoints: " + e.getMessage());
    }
  }

  /** Deletes what a sweep recorded and the state file no longer lists; as TensorFlow, a checkpoint that cannot be deleted only warns. */
  private static void finishPendingDeletions(PendingDeletions pending) throws IOException {
    pending.finish().failures().forEach(failure -> System.err.println("sparkpoint: " + failure));
  }

  /**
   * Restart safety: the first state update takes over the checkpoints of this save path that the
   * directory's state file lists, unless the managed list was set explicitly before.
   */
  private void recoverOnce(FileIO io, String directory, String latest, String savePath, double now) throws IOException {
    if (recovered) {
      return;
    }
    recovered = true;
    CheckpointState state;
    try {
      state = Checkpoints.getCheckpointState(io, directory, latest);
    } catch (InvalidCheckpointStateException e) {
      return; // as TensorFlow: an unreadable state file is replaced
    }
    if (state == null) {
      return;
    }
    Pattern ours = Pattern.compile(Pattern.quote(Locations.name(savePath)) + "(-\\d+)?");
    String dir = directory.endsWith("/") ? directory : directory + "/";
    history.recover(state, p -> p.startsWith(dir) && ours.matcher(p.substring(dir.length())).matches(), p -> CheckpointFiles.savedAt(io, p), now);
  }


  /**
   * Restores every variable of this Saver from the checkpoint at {@code savePath}; this initializes
   * them, so no initializer need run first.
   *
   * @throws IllegalArgumentException for a null path or one that is no checkpoint, in TensorFlow's words
   * @throws SaverException when a key is missing or a shape or dtype differs, with TensorFlow's explanation
   */
  public void restore(Session session, String savePath) {
    checkBuilt("restore");
    if (savePath == null) {
      throw new IllegalArgumentException("Can't load save_path when it is None.");
    }
    if (empty) {
      return;
    }
    FileIO io = fileIO(session);
    try {
      if (!Checkpoints.checkpointExists(io, savePath)) {
        throw new IllegalArgumentException("The passed save_path is not a valid checkpoint: " + savePath);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      session.run(Map.of(saverDef.getFilenameTensorName(), scalar(savePath)), List.of(), List.of(restoreOp()));
    } catch (KernelException e) {
      String why = e.getMessage().contains("not found in checkpoint")
          ? "This is most likely due to a Variable name or other graph key that is missing from the checkpoint."
          : "This is most likely due to a mismatch between the current graph and the graph from the checkpoint.";
      throw new SaverException("Restoring from checkpoint failed. " + why
          + " Please ensure that you have not altered the graph expected based on the checkpoint. Original error:\n\n" + e.getMessage(), e);
    }
  }

  /** The managed checkpoints, oldest first (TF's {@code last_checkpoints}). */
  public List<String> lastCheckpoints() {
    return history.prefixes();
  }

  /** TF's {@code set_last_checkpoints}: these are managed from now on, and preserved rather than deleted when they leave the list. */
  public void setLastCheckpoints(List<String> prefixes) {
    List<TimedCheckpoint> timed = new ArrayList<>();
    prefixes.forEach(p -> timed.add(new TimedCheckpoint(p, Double.POSITIVE_INFINITY)));
    setLastCheckpointsWithTime(timed);
  }

  /** TF's {@code set_last_checkpoints_with_time}. */
  public void setLastCheckpointsWithTime(List<TimedCheckpoint> checkpoints) {
    history.set(checkpoints);
    recovered = true;
  }

  /** TF's {@code recover_last_checkpoints}: manage those of these checkpoints that exist, timed by their index files. */
  public void recoverLastCheckpoints(FileIO io, List<String> prefixes) {
    List<TimedCheckpoint> timed = new ArrayList<>();
    for (String prefix : prefixes) {
      Double at = CheckpointFiles.savedAt(io, prefix);
      if (at != null) {
        timed.add(new TimedCheckpoint(prefix, at));
      }
    }
    setLastCheckpointsWithTime(timed);
  }

  /** Writes the graph with this Saver's SaverDef as a MetaGraphDef ({@code .meta}); as text when the name ends in .pbtxt/.txt/.json. */
  public MetaGraphDef exportMetaGraph(FileIO io, String filename, MetaGraphs.ExportOptions exportOptions) throws IOException {
    checkBuilt("export_meta_graph");
    MetaGraphs.ExportOptions withSaver = saverDef == null ? exportOptions : exportOptions.withSaverDef(saverDef);
    return MetaGraphs.exportMetaGraph(io, graph, filename == null ? withSaver : withSaver.withFilename(filename));
  }

  private void exportMetaGraph(FileIO io, String filename, boolean stripDefaultAttrs) throws IOException {
    exportMetaGraph(io, filename, MetaGraphs.ExportOptions.defaults().withStripDefaultAttrs(stripDefaultAttrs));
  }

  /** {@code model.ckpt-123.meta} for {@code model.ckpt-123} (a V1 {@code -?????-of-N} suffix is dropped first). */
  static String metaGraphFilename(String checkpoint, String suffix) {
    return checkpoint.replaceFirst("-[\\d?]+-of-\\d+$", "") + "." + suffix;
  }

  private String restoreOp() {
    String name = saverDef.getRestoreOpName();
    return Graph.opNameOf(name);
  }

  private void checkBuilt(String what) {
    if (saverDef == null && !empty) {
      throw new IllegalStateException("build() should be called before " + what + " if defer_build==True");
    }
  }

  /** A step counter's value: an int32 or int64 scalar tensor, read in {@code session}. */
  static long readStep(Session session, String tensor) {
    Tensor value = session.fetch(tensor);
    if (!value.shape().isScalar() || (value.dtype() != DType.INT32 && value.dtype() != DType.INT64)) {
      throw new IllegalArgumentException("The step tensor " + tensor + " must be an integer scalar, got "
          + value.dtype().pythonName() + " " + value.shape());
    }
    return value.longAt(0);
  }

  static FileIO fileIO(Session session) {
    FileIO io = session.service(FileIO.class);
    return io != null ? io : HadoopFileIO.shared();
  }

  private static Tensor scalar(String value) {
    return Tensor.ofStrings(Shape.scalar(), value);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The arguments of TensorFlow's {@code Saver(...)}, with its defaults: all global variables,
   * {@code max_to_keep = 5}, {@code keep_checkpoint_every_n_hours = 10000}, scope {@code save},
   * V2 format, default file name {@code model}.
   */
  public static final class Builder {
    private final Graph graph;
    private List<String> varList;
    private Map<String, String> varMap;
    private boolean reshape;
    private boolean sharded;
    private int numShards = 1;
    private int maxToKeep = 5;
    private double keepCheckpointEveryNHours = 10000.0;
    private String name = "save";
    private boolean restoreSequentially;
    private SaverDef saverDef;
    private boolean deferBuild;
    private boolean allowEmpty;
    private boolean padStepNumber;
    private boolean saveRelativePaths;
    private String filename = "model";
    private DoubleSupplier clock = () -> System.currentTimeMillis() / 1000.0;

    private Builder(Graph graph) {
      this.graph = java.util.Objects.requireNonNull(graph, "graph");
    }

    /** var_list as a list: these variables (op or tensor names, or their read tensors), each saved under its op name. */
    public Builder varList(List<String> variables) {
      this.varList = List.copyOf(variables);
      this.varMap = null;
      return this;
    }

    /** var_list as a map: checkpoint key to variable, which renames on save and on load. */
    public Builder varMap(Map<String, String> keyToVariable) {
      this.varMap = Map.copyOf(keyToVariable);
      this.varList = null;
      return this;
    }

    /** Restore a checkpoint value of another shape with the same number of elements (reshaped into the variable). */
    public Builder reshape(boolean value) {
      this.reshape = value;
      return this;
    }

    /** Write {@code numShards} data files in parallel, merged into one checkpoint (TF1's sharded layout). */
    public Builder sharded(boolean value) {
      this.sharded = value;
      return this;
    }

    /** The number of shards of a sharded Saver (default 1; TensorFlow has one per device), balanced by bytes. */
    public Builder numShards(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("numShards must be at least 1, got " + value);
      }
      this.numShards = value;
      return this;
    }

    /** null or 0: keep all (TF1: the state file then lists only the newest). */
    public Builder maxToKeep(Integer value) {
      if (value != null && value < 0) {
        throw new IllegalArgumentException("max_to_keep must not be negative, got " + value);
      }
      this.maxToKeep = value == null ? 0 : value;
      return this;
    }

    public Builder keepCheckpointEveryNHours(double value) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("keep_checkpoint_every_n_hours must be positive, got " + value);
      }
      this.keepCheckpointEveryNHours = value;
      return this;
    }

    /** The name scope of the Saver's nodes ({@code save}; made unique: {@code save_1} ...). */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** One RestoreV2 per variable, each after the previous assign: lower peak memory for large models. */
    public Builder restoreSequentially(boolean value) {
      this.restoreSequentially = value;
      return this;
    }

    /** Use an existing SaverDef's nodes instead of adding new ones. */
    public Builder saverDef(SaverDef value) {
      if (value.getVersion() == SaverDef.CheckpointFormatVersion.V1) {
        throw unsupportedV1();
      }
      this.saverDef = value;
      return this;
    }

    /** Add the nodes only when {@link Saver#build()} is called. */
    public Builder deferBuild(boolean value) {
      this.deferBuild = value;
      return this;
    }

    /** Allow a Saver without variables (its save writes only the meta graph) instead of failing with "No variables to save". */
    public Builder allowEmpty(boolean value) {
      this.allowEmpty = value;
      return this;
    }

    /** Only V2 is written; V1 (and LEGACY) are refused. */
    public Builder writeVersion(SaverDef.CheckpointFormatVersion version) {
      if (version != SaverDef.CheckpointFormatVersion.V2) {
        throw unsupportedV1();
      }
      return this;
    }

    /** Steps as {@code %08d} ({@code model-00000100}). */
    public Builder padStepNumber(boolean value) {
      this.padStepNumber = value;
      return this;
    }

    /** Write paths relative to the directory into the state file, so the directory can move. */
    public Builder saveRelativePaths(boolean value) {
      this.saveRelativePaths = value;
      return this;
    }

    /** The prefix the filename tensor holds by default ({@code model}). */
    public Builder filename(String value) {
      this.filename = value;
      return this;
    }

    /** The clock retention reads, in seconds since the epoch (for tests and replays). */
    public Builder clock(DoubleSupplier value) {
      this.clock = value;
      return this;
    }

    public Saver build() {
      Saver saver = new Saver(graph, this);
      return deferBuild ? saver : saver.build();
    }

    private static UnsupportedOperationException unsupportedV1() {
      return new UnsupportedOperationException(
          "write_version V1 is not supported by Sparkpoint: V1 checkpoints are deprecated in TensorFlow; use V2");
    }
  }
}
