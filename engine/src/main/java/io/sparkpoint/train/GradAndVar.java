package io.sparkpoint.train;

import io.sparkpoint.graph.Output;

/** One (gradient, variable) pair of {@code compute_gradients}; the gradient is null when the loss does not depend on the variable. */
public record GradAndVar(Output grad, TrainableVariable variable) {}
