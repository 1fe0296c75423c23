package io.sparkpoint.graph;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpList;
import java.util.List;

/**
 * Where the op registry meets MetaGraph export: default attrs stripped from nodes and the
 * stripped_op_list of a graph. Until the registry lands nothing is known, so nodes are unchanged
 * and the op list is empty.
 */
final class AttrDefaults {
  private AttrDefaults() {}

  static NodeDef strip(NodeDef node) {
    return node;
  }

  static OpList strippedOpList(List<NodeDef> nodes) {
    return OpList.getDefaultInstance();
  }
}
