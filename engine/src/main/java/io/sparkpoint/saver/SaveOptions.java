package io.sparkpoint.saver;

/**
 * The arguments of {@link Saver#save} after the session and path, with TensorFlow's defaults:
 * no global step, state file {@code checkpoint}, meta graph suffix {@code meta}, and both the meta
 * graph and the state file written.
 *
 * @param globalStep the step appended to the path, or null
 * @param globalStepTensor a tensor whose value (an integer scalar) is the step, or null
 */
public record SaveOptions(
    Long globalStep,
    String globalStepTensor,
    String latestFilename,
    String metaGraphSuffix,
    boolean writeMetaGraph,
    boolean writeState,
    boolean stripDefaultAttrs) {

  public static SaveOptions defaults() {
    return new SaveOptions(null, null, null, "meta", true, true, false);
  }

  public SaveOptions withGlobalStep(long step) {
    return new SaveOptions(step, null, latestFilename, metaGraphSuffix, writeMetaGraph, writeState, stripDefaultAttrs);
  }

  /** The step is read from this tensor (for example {@code global_step:0}) in the session that saves. */
  public SaveOptions withGlobalStep(String tensorName) {
    return new SaveOptions(null, tensorName, latestFilename, metaGraphSuffix, writeMetaGraph, writeState, stripDefaultAttrs);
  }

  public SaveOptions withLatestFilename(String value) {
    return new SaveOptions(globalStep, globalStepTensor, value, metaGraphSuffix, writeMetaGraph, writeState, stripDefaultAttrs);
  }

  public SaveOptions withMetaGraphSuffix(String value) {
    return new SaveOptions(globalStep, globalStepTensor, latestFilename, value, writeMetaGraph, writeState, stripDefaultAttrs);
  }

  public SaveOptions withWriteMetaGraph(boolean value) {
    return new SaveOptions(globalStep, globalStepTensor, latestFilename, metaGraphSuffix, value, writeState, stripDefaultAttrs);
  }

  public SaveOptions withWriteState(boolean value) {
    return new SaveOptions(globalStep, globalStepTensor, latestFilename, metaGraphSuffix, writeMetaGraph, value, stripDefaultAttrs);
  }

  public SaveOptions withStripDefaultAttrs(boolean value) {
    return new SaveOptions(globalStep, globalStepTensor, latestFilename, metaGraphSuffix, writeMetaGraph, writeState, value);
  }
}
