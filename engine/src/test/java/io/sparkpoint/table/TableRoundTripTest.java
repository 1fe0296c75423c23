package io.sparkpoint.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.RandomAccessInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The table against a sorted in-memory model: every key found, every absent key absent, order kept. */
class TableRoundTripTest {
  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {0, 1, 15, 16, 17, 1000, 20000})
  void everyEntryIsFoundAndIteratedInOrder(int count) throws Exception {
    Random random = new Random(count);
    TreeMap<byte[], byte[]> model = new TreeMap<>(UnsignedBytes.ORDER);
    while (model.size() < count) {
      byte[] key = new byte[1 + random.nextInt(24)];
      random.nextBytes(key);
      byte[] value = new byte[random.nextInt(64)];
      random.nextBytes(value);
      model.put(key, value);
    }
    RandomAccessInput input = write(model, TableOptions.TENSORFLOW);
    TableReader reader = TableReader.open(input);

    List<byte[]> keys = new ArrayList<>();
    reader.forEachEntry((key, value) -> {
      keys.add(key);
      assertThat(value).isEqualTo(model.get(key));
    });
    assertThat(keys).hasSize(count);
    assertThat(keys).containsExactlyElementsOf(model.keySet());
    for (Map.Entry<byte[], byte[]> entry : model.entrySet()) {
      assertThat(reader.get(entry.getKey())).isEqualTo(entry.getValue());
    }
    for (int i = 0; i < 200; i++) {
      byte[] probe = new byte[1 + random.nextInt(24)];
      random.nextBytes(probe);
      assertThat(reader.get(probe)).isEqualTo(model.get(probe));
    }
  }

  @Test
  void smallBlocksProduceManyDataBlocksThatStillRead() throws Exception {
    TreeMap<byte[], byte[]> model = new TreeMap<>(UnsignedBytes.ORDER);
    for (int i = 0; i < 500; i++) {
      model.put(String.format("key/%05d", i).getBytes(StandardCharsets.UTF_8), new byte[i % 37]);
    }
    TableReader reader = TableReader.open(write(model, new TableOptions(128, 3)));
    for (byte[] key : model.keySet()) {
      assertThat(reader.get(key)).isEqualTo(model.get(key));
    }
  }

  @Test
  void hugeValueGetsABlockOfItsOwn() throws Exception {
    TreeMap<byte[], byte[]> model = new TreeMap<>(UnsignedBytes.ORDER);
    model.put(new byte[] {'a'}, new byte[10]);
    model.put(new byte[] {'b'}, new byte[600_000]);
    model.put(new byte[] {'c'}, new byte[10]);
    TableReader reader = TableReader.open(write(model, TableOptions.TENSORFLOW));
    assertThat(reader.get(new byte[] {'b'})).hasSize(600_000);
    assertThat(reader.get(new byte[] {'c'})).hasSize(10);
  }

  @Test
  void separatorsFollowLevelDb() {
    assertThat(TableWriter.shortestSeparator(bytes("abc1"), bytes("abc9"))).isEqualTo(bytes("abc2"));
    assertThat(TableWriter.shortestSeparator(bytes("abc"), bytes("abcd"))).isEqualTo(bytes("abc"));
    assertThat(TableWriter.shortestSeparator(bytes("layer_07160/kernel"), bytes("layer_07161/kernel")))
        .isEqualTo(bytes("layer_07160/kernel"));
    assertThat(TableWriter.shortSuccessor(bytes("v"))).isEqualTo(bytes("w"));
    assertThat(TableWriter.shortSuccessor(bytes("model/x"))).isEqualTo(bytes("n"));
    assertThat(TableWriter.shortSuccessor(new byte[] {(byte) 0xFF, (byte) 0xFF})).isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xFF});
  }

  @Test
  void keysOutOfOrderAreRefused() throws Exception {
    TableWriter writer = new TableWriter(new ByteArrayOutputStream(), TableOptions.TENSORFLOW);
    writer.add(bytes("b"), new byte[0]);
    assertThatThrownBy(() -> writer.add(bytes("a"), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid key order: 61 is not after 62");
  }

  @Test
  void tooShortFileIsNotATable() {
    assertThatThrownBy(() -> TableReader.open(input(new byte[47])))
        .isInstanceOf(CorruptTableException.class)
        .hasMessage("file is too short to be an sstable");
  }

  @Test
  void badMagicIsNotATable() {
    assertThatThrownBy(() -> TableReader.open(input(new byte[100])))
        .isInstanceOf(CorruptTableException.class)
        .hasMessage("not an sstable (bad magic number)");
  }

  static RandomAccessInput write(TreeMap<byte[], byte[]> model, TableOptions options) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TableWriter writer = new TableWriter(out, options);
    for (Map.Entry<byte[], byte[]> entry : model.entrySet()) {
      writer.add(entry.getKey(), entry.getValue());
    }
    long length = writer.finish();
    assertThat(length).isEqualTo(out.size());
    return input(out.toByteArray());
  }

  static RandomAccessInput input(byte[] data) {
    return RandomAccessInput.ofBytes("table", data);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
