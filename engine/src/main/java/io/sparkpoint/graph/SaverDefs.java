package io.sparkpoint.graph;

import io.sparkpoint.proto.SaverDef;

/** A SaverDef's tensor and op names moved into or out of a name scope. */
final class SaverDefs {
  private SaverDefs() {}

  /** Names under {@code scope} (empty, or ending in '/'). */
  static SaverDef scoped(SaverDef saver, String scope) {
    if (scope.isEmpty()) {
      return saver;
    }
    return saver.toBuilder()
        .setFilenameTensorName(MetaGraphs.rescope(saver.getFilenameTensorName(), scope, null))
        .setSaveTensorName(MetaGraphs.rescope(saver.getSaveTensorName(), scope, null))
        .setRestoreOpName(MetaGraphs.rescope(saver.getRestoreOpName(), scope, null))
        .build();
  }

  /** Names with {@code scope} (ending in '/') removed. */
  static SaverDef unscoped(SaverDef saver, String scope) {
    return saver.toBuilder()
        .setFilenameTensorName(MetaGraphs.rescope(saver.getFilenameTensorName(), null, scope))
        .setSaveTensorName(MetaGraphs.rescope(saver.getSaveTensorName(), null, scope))
        .setRestoreOpName(MetaGraphs.rescope(saver.getRestoreOpName(), null, scope))
        .build();
  }
}
