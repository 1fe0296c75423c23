package io.sparkpoint.saver;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.SaveSliceInfoDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.ShapeAndSlice;
import io.sparkpoint.tensor.TensorSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a Saver's var_list (none, a list of variable names, or a key-to-variable map) into sorted saveables. */
final class Saveables {
  private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

  private Saveables() {}

  /** Every global variable (the {@code variables} collection), partitioned ones as their parts. */
  static List<Saveable> ofGlobalVariables(Graph graph) {
    List<Saveable> out = new ArrayList<>();
    for (Object item : graph.getCollection(GraphCollections.GLOBAL_VARIABLES)) {
      VariableDef def = (VariableDef) item;
      Operation op = variableOp(graph, def.getVariableName());
      out.add(saveable(graph, op, null, def));
    }
    return sorted(out);
  }

  /** The named variables, each under its own op name (TF: {@code {v.op.name: v for v in var_list}}). */
  static List<Saveable> ofList(Graph graph, List<String> names) {
    Set<String> seen = new HashSet<>();
    List<Saveable> out = new ArrayList<>();
    for (String name : names) {
      Operation op = variableOp(graph, name);
      if (!seen.add(op.name())) {
        throw new IllegalArgumentException("At least two variables have the same name: " + op.name());
      }
      out.add(saveable(graph, op, null, definitions(graph).get(op.name())));
    }
    return sorted(out);
  }

  /** The named variables under the given checkpoint keys: the map form of var_list, which renames on load. */
  static List<Saveable> ofMap(Graph graph, Map<String, String> keyToVariable) {
    Map<String, String> keyOfVariable = new HashMap<>();
    List<Saveable> out = new ArrayList<>();
    for (Map.Entry<String, String> entry : keyToVariable.entrySet()) {
      Operation op = variableOp(graph, entry.getValue());
      String other = keyOfVariable.put(op.name(), entry.getKey());
      if (other != null) {
        throw new IllegalArgumentException("The same saveable will be restored with two names: " + other + " and " + entry.getKey());
      }
      out.add(saveable(graph, op, entry.getKey(), null));
    }
    return sorted(out);
  }

  private static Map<String, VariableDef> definitions(Graph graph) {
    Map<String, VariableDef> defs = new HashMap<>();
    for (Object item : graph.getCollection(GraphCollections.GLOBAL_VARIABLES)) {
      VariableDef def = (VariableDef) item;
      defs.put(Graph.opNameOf(def.getVariableName()), def);
    }
    return defs;
  }

  private static Saveable saveable(Graph graph, Operation op, String key, VariableDef def) {
    boolean resource = op.type().equals("VarHandleOp");
    DType dtype = DType.fromNumber(attr(op, "dtype").getType().getNumber());
    AttrValue shapeAttr = op.attr("shape");
    Shape shape = shapeAttr == null || shapeAttr.getShape().getUnknownRank()
        || shapeAttr.getShape().getDimList().stream().anyMatch(d -> d.getSize() < 0)
        ? null : Shape.of(shapeAttr.getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray());
    String spec = "";
    String name = key == null ? op.name() : key;
    if (def != null && def.hasSaveSliceInfoDef() && !def.getSaveSliceInfoDef().getFullName().isEmpty()) {
      SaveSliceInfoDef info = def.getSaveSliceInfoDef();
      long[] full = info.getFullShapeList().stream().mapToLong(Long::longValue).toArray();
      long[] offsets = info.getVarOffsetList().stream().mapToLong(Long::longValue).toArray();
      long[] lengths = info.getVarShapeList().stream().mapToLong(Long::longValue).toArray();
      spec = new ShapeAndSlice(Shape.of(full), TensorSlice.of(offsets, lengths)).toString();
      name = key == null ? info.getFullName() : key;
    }
    Output value = op.output(0);
    if (resource) {
      String snapshot = def == null ? "" : def.getSnapshotName();
      value = snapshot.isEmpty() ? null : graph.getTensorByName(snapshot);
    }
    return new Saveable(name, spec, op, value, dtype, shape, resource);
  }

  /** The variable node a name denotes: its op name or tensor name, or its read tensor ({@code v/read}, a ReadVariableOp). */
  static Operation variableOp(Graph graph, String name) {
    String opName = Graph.opNameOf(name);
    Operation op = graph.operation(opName);
    if (op == null) {
      throw new IllegalArgumentException("var_list names " + name + ", but the graph has no operation " + opName);
    }
    if ((op.type().equals("Identity") || op.type().equals("ReadVariableOp")) && !op.inputs().isEmpty()
        && VARIABLE_OPS.contains(op.inputs().get(0).op().type())) {
      op = op.inputs().get(0).op();
    }
    if (!VARIABLE_OPS.contains(op.type())) {
      throw new IllegalArgumentException("var_list names " + name + ", which is not a variable: its op is " + op.type()
          + " (expected VariableV2, Variable or VarHandleOp)");
    }
    return op;
  }

  private static AttrValue attr(Operation op, String name) {
    AttrValue value = op.attr(name);
    if (value == null) {
      throw new IllegalArgumentException("Variable " + op.name() + " has no attr " + name);
    }
    return value;
  }

  private static List<Saveable> sorted(List<Saveable> saveables) {
    List<Saveable> out = new ArrayList<>(saveables);
    out.sort(Comparator.comparing(Saveable::key).thenComparing(Saveable::sliceSpec));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).key().equals(out.get(i - 1).key()) && out.get(i).sliceSpec().equals(out.get(i - 1).sliceSpec())) {
        throw new IllegalArgumentException("At least two variables have the same name: " + out.get(i).key());
      }
    }
    return out;
  }
}
