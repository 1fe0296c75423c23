package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.table.TableOptions;
import io.sparkpoint.table.TableWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.SortedMap;

/** Writes an index table: the header under the empty key, then every entry in key order. */
final class IndexWriter {
  private IndexWriter() {}

  static void write(OutputStream out, BundleHeaderProto header, SortedMap<byte[], BundleEntryProto> entries)
      throws IOException {
    TableWriter table = new TableWriter(out, TableOptions.TENSORFLOW);
    table.add(new byte[0], header.toByteArray());
    for (Map.Entry<byte[], BundleEntryProto> entry : entries.entrySet()) {
      table.add(entry.getKey(), entry.getValue().toByteArray());
    }
    table.finish();
  }
}
