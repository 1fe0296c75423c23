package io.sparkpoint.kernels.training;

import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import java.util.List;
import java.util.function.Function;

/**
 * The dense optimizers TensorFlow has as ops, each in two styles ({@code Apply<name>} on ref
 * variables, {@code ResourceApply<name>} on resource variables, with the same inputs): the
 * variable inputs (the variable, then its slots), the other inputs in OpDef order (scalars and the
 * gradient), and the update its attrs choose.
 */
enum Optimizer {
  GRADIENT_DESCENT("GradientDescent", List.of(), List.of("alpha", "delta"), node -> new Updates.GradientDescent()),
  MOMENTUM("Momentum", List.of("accum"), List.of("lr", "grad", "momentum"),
      node -> new Updates.Momentum(NodeAttrs.bool(node, "use_nesterov", false))),
  ADAM("Adam", List.of("m", "v"), List.of("beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"),
      node -> new Updates.Adam(NodeAttrs.bool(node, "use_nesterov", false))),
  ADAGRAD("Adagrad", List.of("accum"), List.of("lr", "grad"),
      node -> new Updates.Adagrad(false, NodeAttrs.bool(node, "update_slots", true))),
  ADAGRAD_V2("AdagradV2", List.of("accum"), List.of("lr", "epsilon", "grad"),
      node -> new Updates.Adagrad(true, NodeAttrs.bool(node, "update_slots", true))),
  RMS_PROP("RMSProp", List.of("ms", "mom"), List.of("lr", "rho", "momentum", "epsilon", "grad"),
      node -> new Updates.RmsProp(false)),
  CENTERED_RMS_PROP("CenteredRMSProp", List.of("mg", "ms", "mom"), List.of("lr", "rho", "momentum", "epsilon", "grad"),
      node -> new Updates.RmsProp(true));

  /** The op name after {@code Apply} or {@code ResourceApply}. */
  final String suffix;
  /** The slot inputs, after the variable (input 0). */
  final List<String> slots;
  /** The inputs after the slots: scalars and the gradient ({@code delta} for gradient descent). */
  final List<String> values;
  private final Function<NodeDef, Update> update;

  Optimizer(String suffix, List<String> slots, List<String> values, Function<NodeDef, Update> update) {
    this.suffix = suffix;
    this.slots = slots;
    this.values = values;
    this.update = update;
  }

  /** The update a node's attrs (use_nesterov, update_slots) choose. */
  Update update(NodeDef node) {
    return update.apply(node);
  }

  /** Whether the update writes the slots (not Adagrad with update_slots=false). */
  boolean updatesSlots(NodeDef node) {
    return !(this == ADAGRAD || this == ADAGRAD_V2) || NodeAttrs.bool(node, "update_slots", true);
  }

  /** The index among {@link #values} of the gradient. */
  int gradIndex() {
    return this == GRADIENT_DESCENT ? values.indexOf("delta") : values.indexOf("grad");
  }

  /**
   * TF's message for a non-scalar scalar input; Adam's and the RMSProps' say "lr is not a scalar : "
   * with a space, as TF's do.
   */
  String notScalar(String input, String shape) {
    boolean spaced = input.equals("lr") && (this == ADAM || this == RMS_PROP || this == CENTERED_RMS_PROP);
    return input + " is not a scalar" + (spaced ? " : " : ": ") + shape;
  }
}
