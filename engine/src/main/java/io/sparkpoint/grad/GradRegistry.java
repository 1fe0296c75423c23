package io.sparkpoint.grad;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Op type to gradient function, and the op types that have no gradient on purpose (shape queries,
 * comparisons, random numbers, variables): a path through one of those carries no gradient, as in
 * TensorFlow, while a path through an op that is in neither set is an error.
 */
public final class GradRegistry {
  private static final GradRegistry STANDARD = standardRegistry();

  private final Map<String, GradFunction> functions = new HashMap<>();
  private final Set<String> notDifferentiable = new HashSet<>();

  /** The gradients of every differentiable op the engine runs. */
  public static GradRegistry standard() {
    return STANDARD;
  }

  private static GradRegistry standardRegistry() {
    GradRegistry registry = new GradRegistry();
    MathGrads.register(registry);
    ReductionGrads.register(registry);
    NnGrads.register(registry);
    ArrayGrads.register(registry);
    registry.notDifferentiable("Const", "Placeholder", "VariableV2", "Variable", "VarHandleOp", "Shape", "ShapeN", "Size",
        "Rank", "ZerosLike", "OnesLike", "Range", "ArgMax", "ArgMin", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
        "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "OneHot", "RandomUniform", "RandomUniformInt",
        "RandomStandardNormal", "TruncatedNormal", "BroadcastGradientArgs", "FloorDiv",
        "InvertPermutation", "ConcatOffset", "StopGradient", "IsVariableInitialized", "VarIsInitializedOp",
        "Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "NoOp");
    return registry;
  }

  /**
   * @throws IllegalArgumentException when the op type already has a gradient
   */
  public void register(String opType, GradFunction function) {
    if (functions.putIfAbsent(opType, function) != null || notDifferentiable.contains(opType)) {
      throw new IllegalArgumentException("Cannot register a second gradient for op " + opType);
    }
  }

  /** Marks op types whose outputs carry no gradient. */
  public void notDifferentiable(String... opTypes) {
    for (String type : opTypes) {
      if (functions.containsKey(type)) {
        throw new IllegalArgumentException("Op " + type + " has a gradient; it cannot also be not differentiable");
      }
      notDifferentiable.add(type);
    }
  }

  /** The gradient function of an op type, or null. */
  public GradFunction function(String opType) {
    return functions.get(opType);
  }

  public boolean isNotDifferentiable(String opType) {
    return notDifferentiable.contains(opType);
  }
}
