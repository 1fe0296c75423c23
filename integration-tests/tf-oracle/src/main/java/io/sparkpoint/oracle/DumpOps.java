package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.FullTypeId;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * {@code dump-ops <knownOpsFile> <out.pbtxt>}: writes the OpDefs that TensorFlow's runtime
 * registers for the listed ops, as an OpList in protobuf text format sorted by op name. Every
 * human-readable text (summaries, descriptions, deprecation explanations) is cleared, so only
 * interface facts remain. An op TensorFlow does not register is an error naming it.
 */
final class DumpOps {
  private static final Pattern FULL_TYPE_ID =
      Pattern.compile("(?m)^(\\s*type_id: )([A-Z][A-Z0-9_]*)$");

  private DumpOps() {}

  /** Returns the number of OpDefs written. */
  static int run(Path knownOps, Path out) throws IOException {
    Set<String> wanted = readNames(knownOps);
    String version = TensorFlow.version(); // loads the runtime, which registers the ops
    Map<String, OpDef> registered = new TreeMap<>();
    for (OpDef op : allOps().getOpList()) {
      registered.put(op.getName(), op);
    }
    List<String> missing = new ArrayList<>();
    OpList.Builder kept = OpList.newBuilder();
    for (Map.Entry<String, OpDef> e : registered.entrySet()) {
      if (wanted.contains(e.getKey())) {
        kept.addOp(withoutText(e.getValue()));
      }
    }
    for (String name : wanted) {
      if (!registered.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("ops not registered in TensorFlow " + version + ": "
          + String.join(", ", missing) + " (listed in " + knownOps + ")");
    }
    String header = "# Regenerate (from the repository root, after mvn -o -q install -pl"
        + " integration-tests/tf-oracle -DskipTests): TF_CPP_MIN_LOG_LEVEL=1 java -Xmx1g"
        + " -cp integration-tests/tf-oracle/target/classes:$(cat integration-tests/tf-oracle/target/oracle.classpath)"
        + " io.sparkpoint.oracle.Oracle dump-ops engine/src/main/resources/io/sparkpoint/graph/known-ops.txt"
        + " engine/src/main/resources/io/sparkpoint/graph/ops.pbtxt\n"
        + "# The OpDefs TensorFlow " + version + " (TF Java 1.1.0) registers for the ops in known-ops.txt,"
        + " sorted by name; interface facts only: every summary and description is cleared.\n";
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, header + numericFullTypes(kept.build().toString()), StandardCharsets.UTF_8);
    System.err.printf("oracle: dump-ops wrote %d of %d registered OpDefs to %s%n",
        kept.getOpCount(), registered.size(), out);
    return kept.getOpCount();
  }

  /**
   * FullTypeDef.type_id as its number, with the name as a comment: TF declares it an enum, our
   * wire-compatible proto an int32, and text format spells the two differently.
   */
  static String numericFullTypes(String text) {
    Matcher m = FULL_TYPE_ID.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      int number = FullTypeId.valueOf(m.group(2)).getNumber();
      m.appendReplacement(sb, m.group(1) + number + "  # " + m.group(2));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Op names, one per line; blank lines and '#' comment lines are skipped. */
  static Set<String> readNames(Path file) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String name = line.trim();
      if (!name.isEmpty() && !name.startsWith("#") && !names.add(name)) {
        throw new IllegalArgumentException("op " + name + " is listed twice in " + file);
      }
    }
    return names;
  }

  /** TF_GetAllOpList(): every op registered in this process. */
  private static OpList allOps() throws IOException {
    TF_Buffer buffer = tensorflow.TF_GetAllOpList();
    try {
      return OpList.parseFrom(buffer.copyData());
    } finally {
      tensorflow.TF_DeleteBuffer(buffer);
    }
  }

  /** The OpDef with summary, description and every arg, attr and deprecation text cleared. */
  static OpDef withoutText(OpDef op) {
    OpDef.Builder b = op.toBuilder().clearSummary().clearDescription();
    for (OpDef.ArgDef.Builder arg : b.getInputArgBuilderList()) {
      arg.clearDescription();
    }
    for (OpDef.ArgDef.Builder arg : b.getOutputArgBuilderList()) {
      arg.clearDescription();
    }
    for (OpDef.AttrDef.Builder attr : b.getAttrBuilderList()) {
      attr.clearDescription();
    }
    if (b.hasDeprecation()) {
      b.getDeprecationBuilder().clearExplanation();
    }
    return b.build();
  }
}
