package io.sparkpoint.graph;

import com.google.protobuf.ByteString;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.OpDef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Checks one attr value against its AttrDef: kind, allowed values and minimum (TF's ValidateAttrValue). */
final class AttrChecks {
  private AttrChecks() {}

  /** What is wrong with {@code value} for {@code def}, as the end of a sentence, or null when nothing is. */
  static String problem(OpDef.AttrDef def, AttrValue value) {
    String declared = def.getType();
    if (value.getValueCase() == AttrValue.ValueCase.PLACEHOLDER || declared.equals("any")) {
      return null; // a function body's reference to an attr of the function, resolved on instantiation
    }
    String kind = kind(value);
    boolean isList = declared.startsWith("list(");
    boolean kindMatches = isList ? kind.equals("list") || kind.equals(declared) : kind.equals(declared);
    if (!kindMatches) {
      return "has kind " + kind + ", expected " + declared;
    }
    String allowed = notAllowed(def, value);
    if (allowed != null) {
      return allowed;
    }
    if (def.getHasMinimum()) {
      long min = def.getMinimum();
      if (declared.equals("int") && value.getI() < min) {
        return "is " + value.getI() + ", below its minimum " + min;
      }
      int size = isList ? listSize(value.getList()) : -1;
      if (isList && size < min) {
        return "has " + size + " values, below its minimum " + min;
      }
    }
    return null;
  }

  /** The value's kind in OpDef spelling: int, list(type), ...; "list" for an empty list. */
  static String kind(AttrValue value) {
    switch (value.getValueCase()) {
      case S: return "string";
      case I: return "int";
      case F: return "float";
      case B: return "bool";
      case TYPE: return "type";
      case SHAPE: return "shape";
      case TENSOR: return "tensor";
      case FUNC: return "func";
      case PLACEHOLDER: return "placeholder";
      case LIST: return listKind(value.getList());
      default: return "no value";
    }
  }

  private static String listKind(AttrValue.ListValue list) {
    List<String> kinds = new ArrayList<>();
    addIf(kinds, list.getSCount(), "string");
    addIf(kinds, list.getICount(), "int");
    addIf(kinds, list.getFCount(), "float");
    addIf(kinds, list.getBCount(), "bool");
    addIf(kinds, list.getTypeCount(), "type");
    addIf(kinds, list.getShapeCount(), "shape");
    addIf(kinds, list.getTensorCount(), "tensor");
    addIf(kinds, list.getFuncCount(), "func");
    if (kinds.isEmpty()) {
      return "list";
    }
    return "list(" + String.join("|", kinds) + ")";
  }

  private static void addIf(List<String> kinds, int count, String kind) {
    if (count > 0) {
      kinds.add(kind);
    }
  }

  private static int listSize(AttrValue.ListValue list) {
    return list.getSCount() + list.getICount() + list.getFCount() + list.getBCount() + list.getTypeCount()
        + list.getShapeCount() + list.getTensorCount() + list.getFuncCount();
  }

  /** The problem when a type or string value (or list element) is outside the AttrDef's allowed values. */
  private static String notAllowed(OpDef.AttrDef def, AttrValue value) {
    if (!def.hasAllowedValues()) {
      return null;
    }
    AttrValue.ListValue allowed = def.getAllowedValues().getList();
    switch (def.getType()) {
      case "type":
        return typeNotAllowed(value.getType(), allowed);
      case "list(type)":
        for (DataType type : value.getList().getTypeList()) {
          String problem = typeNotAllowed(type, allowed);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      case "string":
        return stringNotAllowed(value.getS(), allowed);
      case "list(string)":
        for (ByteString s : value.getList().getSList()) {
          String problem = stringNotAllowed(s, allowed);
          if (problem != null) {
            return problem;
          }
        }
        return null;
      default:
        return null;
    }
  }

  private static String typeNotAllowed(DataType type, AttrValue.ListValue allowed) {
    if (allowed.getTypeList().contains(type)) {
      return null;
    }
    return "is " + type + ", not one of the allowed values "
        + allowed.getTypeList().stream().map(DataType::name).collect(Collectors.joining(", "));
  }

  private static String stringNotAllowed(ByteString s, AttrValue.ListValue allowed) {
    if (allowed.getSList().contains(s)) {
      return null;
    }
    return "is " + quoted(s) + ", not one of the allowed values "
        + allowed.getSList().stream().map(AttrChecks::quoted).collect(Collectors.joining(", "));
  }

  private static String quoted(ByteString s) {
    return "\"" + s.toString(StandardCharsets.UTF_8) + "\"";
  }
}
