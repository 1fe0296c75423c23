package io.sparkpoint.saver;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;

/**
 * One checkpoint entry a Saver writes and restores: a variable, or one part of a partitioned one.
 *
 * @param key the checkpoint key (the variable's op name unless a var_list map renames it)
 * @param sliceSpec SaveV2's {@code shape_and_slice}: empty for a whole variable
 * @param variable the VariableV2 or VarHandleOp node
 * @param value the tensor SaveV2 reads: the ref variable itself, or a resource variable's read
 * @param shape the variable's declared shape, or null when unknown
 */
record Saveable(String key, String sliceSpec, Operation variable, Output value, DType dtype, Shape shape, boolean resource) {}
