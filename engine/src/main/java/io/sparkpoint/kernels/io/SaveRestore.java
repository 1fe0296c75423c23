package io.sparkpoint.kernels.io;

import io.sparkpoint.bundle.BundleMerger;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.ShapeAndSlice;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SaveV2, RestoreV2 and MergeV2Checkpoints on BundleWriter, BundleReader and BundleMerger. */
final class SaveRestore {
  private SaveRestore() {}

  /** SaveV2(prefix, tensor_names, shape_and_slices, tensors...): one bundle, committed atomically (index last). */
  static Kernel saveV2(NodeDef node) {
    return context -> {
      String prefix = StringTensors.scalar(context.input(0), "Input prefix");
      List<String> names = StringTensors.vector(context.input(1), "tensor_names");
      List<String> specs = StringTensors.vector(context.input(2), "shape_and_slices");
      int tensors = context.inputs().size() - 3;
      if (names.size() != tensors || specs.size() != tensors) {
        throw new KernelException("Expected " + tensors + " tensor_names and shape_and_slices, got " + names.size()
            + " and " + specs.size());
      }
      FileIO io = FileIOs.of(context);
      BundleWriter writer = null;
      try {
        writer = BundleWriter.create(io, prefix);
        for (int i = 0; i < tensors; i++) {
          Tensor value = context.input(3 + i);
          if (specs.get(i).isEmpty()) {
            writer.add(names.get(i), value);
          } else {
            ShapeAndSlice spec = parse(names.get(i), specs.get(i));
            Shape expected = spec.slice().sliceShape(spec.fullShape());
            if (!expected.equals(value.shape())) {
              throw new KernelException("tensor_name = " + names.get(i) + "; the slice " + specs.get(i) + " has shape "
                  + expected + " but the tensor to save has shape " + value.shape());
            }
            writer.addSlice(names.get(i), spec.fullShape(), spec.slice(), value);
          }
        }
        writer.finish();
        writer = null;
      } catch (IOException e) {
        throw new KernelException("Failed to save checkpoint " + prefix + ": " + e.getMessage(), e);
      } finally {
        if (writer != null) {
          writer.abandon();
        }
      }
      return List.of();
    };
  }

  /** RestoreV2(prefix, tensor_names, shape_and_slices) -> dtypes: whole tensors or slices of them. */
  static Kernel restoreV2(NodeDef node) {
    AttrValue attr = node.getAttrMap().get("dtypes");
    if (attr == null) {
      throw new KernelException("RestoreV2 needs the attr dtypes");
    }
    List<DType> dtypes = attr.getList().getTypeList().stream().map(t -> DType.fromNumber(t.getNumber())).toList();
    return context -> {
      String prefix = StringTensors.scalar(context.input(0), "Input prefix");
      List<String> names = StringTensors.vector(context.input(1), "tensor_names");
      List<String> specs = StringTensors.vector(context.input(2), "shape_and_slices");
      if (names.size() != specs.size() || names.size() != dtypes.size()) {
        throw new KernelException("Expected " + dtypes.size() + " tensor_names and shape_and_slices (one per dtype), got "
            + names.size() + " and " + specs.size());
      }
      try (BundleReader reader = open(context, prefix)) {
        List<Tensor> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
          out.add(restoreOne(reader, names.get(i), specs.get(i), dtypes.get(i)));
        }
        return out;
      } catch (IOException e) {
        throw new KernelException(e.getMessage(), e);
      }
    };
  }

  private static BundleReader open(KernelContext context, String prefix) throws IOException {
    FileIO io = FileIOs.of(context);
    if (!io.newInputFile(BundleNaming.indexFile(prefix)).exists()) {
      throw new KernelException("Unsuccessful TensorSliceReader constructor: Failed to find any matching files for " + prefix);
    }
    return BundleReader.open(io, prefix);
  }

  private static Tensor restoreOne(BundleReader reader, String name, String spec, DType dtype) throws IOException {
    DType stored = reader.dtypeMap().get(name);
    if (stored == null) {
      reader.entry(name); // throws "Key name not found in checkpoint"
    }
    if (stored != dtype) {
      throw new KernelException("tensor_name = " + name + "; expected dtype " + dtype.pythonName()
          + " does not equal original dtype " + stored.pythonName());
    }
    if (spec.isEmpty()) {
      return reader.lookup(name);
    }
    ShapeAndSlice slice = parse(name, spec);
    Shape shape = reader.shapeMap().get(name);
    if (!shape.equals(slice.fullShape())) {
      throw new KernelException("tensor_name = " + name + "; shape in shape_and_slice spec " + slice.fullShape()
          + " does not match the shape stored in checkpoint: " + shape);
    }
    return reader.lookupSlice(name, slice.slice());
  }

  /** MergeV2Checkpoints(checkpoint_prefixes, destination_prefix), attrs delete_old_dirs and allow_missing_files. */
  static Kernel mergeV2Checkpoints(NodeDef node) {
    boolean deleteOldDirs = NodeAttrs.bool(node, "delete_old_dirs", true);
    boolean allowMissing = NodeAttrs.bool(node, "allow_missing_files", false);
    return context -> {
      if (context.input(0).shape().rank() > 1) {
        throw new KernelException("Input checkpoint_prefixes should be a scalar or vector, got shape " + context.input(0).shape());
      }
      List<String> prefixes = StringTensors.elements(context.input(0), "checkpoint_prefixes");
      String destination = StringTensors.scalar(context.input(1), "Input destination_prefix");
      FileIO io = FileIOs.of(context);
      try {
        List<String> present = new ArrayList<>();
        for (String prefix : prefixes) {
          if (io.newInputFile(BundleNaming.indexFile(prefix)).exists()) {
            present.add(prefix);
          } else if (!allowMissing) {
            throw new KernelException("allow_missing_files was set to false and " + prefix + " did not exist.");
          }
        }
        if (present.isEmpty()) {
          throw new KernelException("At least one prefix checkpoint file must exist, but none existed.");
        }
        BundleMerger.merge(io, present, destination, deleteOldDirs);
      } catch (IOException e) {
        throw new KernelException("Failed to merge checkpoints into " + destination + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new KernelException(e.getMessage(), e);
      }
      return List.of();
    };
  }

  private static ShapeAndSlice parse(String name, String spec) {
    try {
      return ShapeAndSlice.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new KernelException("tensor_name = " + name + "; invalid shape_and_slice spec '" + spec + "': " + e.getMessage());
    }
  }
}
