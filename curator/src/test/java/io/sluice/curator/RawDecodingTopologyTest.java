package io.sluice.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.AvroSerde;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw topic is open to producers in any language: what they write either decodes and is
 * curated, or becomes one UNREADABLE rejection whose detail says what is wrong with it, and the
 * records after it flow on. Each test ends by curating a valid event behind the bad record.
 */
class RawDecodingTopologyTest {

  /** Written by schemas/src/test/node/write-raw-events.js (avsc, the .avsc files only). */
  private static final Path NODE_RECORDS = Path.of("../schemas/src/test/resources/wire/raw-events");

  private static final String KEY = "acme/support";
  private static final String CURRENT = AvroSerde.fingerprint(RawEvent.getClassSchema());

  @TempDir Path stateDir;
  private OfflineTopology curator;

  @BeforeEach
  void start() {
    curator = CuratorDriver.start(CuratorConfig.defaults(), stateDir);
  }

  @AfterEach
  void stop() {
    curator.close();
  }

  @Test
  void shouldCurateARecordWrittenByANonJavaProducer() throws IOException {
    curator.raw().pipeInput(KEY, Files.readAllBytes(NODE_RECORDS.resolve("example-text.bin")));

    CuratedExample out = curator.curated().readValue();
    assertThat(out.getSourceId()).isEqualTo("node-example-1");
    assertThat(out.getPrompt().toString()).isEqualTo("Wie setze ich den Router zurück? 🚀 ルーター");
    assertThat(curator.rejected().isEmpty()).isTrue();
  }

  @Test
  void shouldRejectAnUnknownFingerprintNamingItInHex() throws IOException {
    byte[] bytes = Files.readAllBytes(NODE_RECORDS.resolve("unknown-fingerprint.bin"));
    long written = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

    assertThat(unreadable(bytes))
        .contains("unknown RawEvent schema (fingerprint " + String.format("%016x", written))
        .contains("this reader knows " + CURRENT);
  }

  @Test
  void shouldRejectAWrongMarker() {
    byte[] bytes = valid();
    bytes[1] = 0x02;

    assertThat(unreadable(bytes))
        .contains("not Avro single-object encoded")
        .contains(bytes.length + " bytes, starting C3 02");
  }

  @Test
  void shouldRejectAValueShorterThanTheHeader() {
    assertThat(unreadable(Arrays.copyOf(valid(), 6))).contains("only 6 bytes, starting C3 01");
  }

  @Test
  void shouldRejectAnEmptyValue() {
    assertThat(unreadable(new byte[0])).contains("the value is empty");
  }

  @Test
  void shouldRejectATruncatedBody() {
    byte[] valid = valid();

    assertThat(unreadable(Arrays.copyOf(valid, valid.length - 5)))
        .contains("cannot decode RawEvent (writer schema fingerprint " + CURRENT + ")")
        .contains("truncated");
  }

  @Test
  void shouldRejectAKnownFingerprintWithAGarbageBodyWithoutAllocatingItsSizes() {
    // The id declares a string of 10^9 bytes in a 15-byte record.
    byte[] bytes =
        withCurrentHeader(new byte[] {(byte) 128, (byte) 168, (byte) 214, (byte) 185, 7});

    assertThat(unreadable(bytes))
        .contains("writer schema fingerprint " + CURRENT)
        .contains("a string declares 1000000000 bytes but 0 are left");
  }

  @Test
  void shouldRejectAKnownFingerprintWithAnOutOfRangeEnum() {
    // id "a", then event type 5 of 3.
    assertThat(unreadable(withCurrentHeader(new byte[] {2, 'a', 10})))
        .contains("writer schema fingerprint " + CURRENT)
        .contains("not a value of the schema");
  }

  @Test
  void shouldRejectBytesAfterTheRecord() {
    byte[] valid = valid();

    assertThat(unreadable(Arrays.copyOf(valid, valid.length + 2)))
        .contains("2 bytes follow the end of the record");
  }

  /**
   * Pipes {@code bytes} and then a valid event; returns the detail of the one rejection after
   * checking the valid event was curated behind it.
   */
  private String unreadable(byte[] bytes) {
    curator.raw().pipeInput(KEY, bytes);
    curator.send(Events.example("after", "How do I reset my router?", "Hold reset."));

    RejectedEvent rejected = curator.rejected().readValue();
    assertThat(rejected.getReason()).isEqualTo("UNREADABLE");
    assertThat(rejected.getStage()).isEqualTo(Stage.VALIDATE);
    assertThat(rejected.getContent()).isNull();
    assertThat(rejected.getLineage().getOffset()).isZero();
    assertThat(curator.rejected().isEmpty()).isTrue();
    assertThat(curator.curated().readValue().getSourceId()).isEqualTo("after");
    return rejected.getDetail();
  }

  private static byte[] valid() {
    RawEvent event = Events.example("e1", "How do I reset my router?", "Hold reset.");
    return Topics.EVENTS_RAW.valueSerde().serializer().serialize("t", event);
  }

  private static byte[] withCurrentHeader(byte[] body) {
    ByteBuffer value = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    value.put((byte) 0xC3).put((byte) 0x01);
    value.putLong(SchemaNormalization.parsingFingerprint64(RawEvent.getClassSchema()));
    return value.put(body).array();
  }
}
