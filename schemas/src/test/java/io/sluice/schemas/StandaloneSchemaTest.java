package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.avro.RawEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * {@code schemas/standalone/RawEvent.avsc} is RawEvent with the types it names (ChatMessage,
 * ToolCall, ToolDefinition) inlined, for producers in other languages that load one file. It must
 * stay exactly the schema Sluice writes: the .avsc sources parsed together (without the Java-only
 * properties of the generated class's copy), with the fingerprint on the wire.
 */
class StandaloneSchemaTest {

  private static final Path SOURCES = Path.of("src/main/avro");
  private static final Path STANDALONE = Path.of("standalone/RawEvent.avsc");

  /** RawEvent's Parsing Canonical Form, the exact bytes its fingerprint is computed over. */
  private static final Path CANONICAL = Path.of("standalone/RawEvent.canonical.json");

  /** Set to rewrite the files from the current schema, after a deliberate schema change. */
  private static final boolean REWRITE = Boolean.getBoolean("standalone.rewrite");

  @Test
  void shouldBeTheCurrentRawEventSchemaInOneFile() throws IOException {
    String expected = fromSourceFiles().toString(true) + "\n";
    if (REWRITE) {
      Files.writeString(STANDALONE, expected, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(STANDALONE, StandardCharsets.UTF_8))
        .as(
            "%s is stale; rewrite it with: mvn -o -q verify -pl schemas"
                + " -Dtest=StandaloneSchemaTest -Dstandalone.rewrite=true",
            STANDALONE)
        .isEqualTo(expected);
  }

  @Test
  void shouldPublishTheBytesTheFingerprintIsComputedOver() throws IOException {
    // No trailing newline: a producer hashes the file's bytes as they are.
    String expected = SchemaNormalization.toParsingForm(RawEvent.getClassSchema());
    if (REWRITE) {
      Files.writeString(CANONICAL, expected, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(CANONICAL, StandardCharsets.UTF_8))
        .as("%s is stale; rewrite it as above", CANONICAL)
        .isEqualTo(expected);
    assertThat(SchemaNormalization.fingerprint64(Files.readAllBytes(CANONICAL)))
        .isEqualTo(Long.parseUnsignedLong(AvroSerde.fingerprint(RawEvent.getClassSchema()), 16));
  }

  @Test
  void shouldParseAloneToTheFingerprintOnTheWire() throws IOException {
    Schema alone = new Schema.Parser().parse(STANDALONE.toFile());

    assertThat(AvroSerde.fingerprint(alone))
        .isEqualTo(AvroSerde.fingerprint(RawEvent.getClassSchema()));
  }

  /** RawEvent.avsc after the files naming the types it uses, as a non-Java producer loads them. */
  private static Schema fromSourceFiles() throws IOException {
    Schema.Parser parser = new Schema.Parser();
    for (String named : new String[] {"ToolCall", "ToolDefinition", "ChatMessage"}) {
      parser.parse(SOURCES.resolve(named + ".avsc").toFile());
    }
    return parser.parse(SOURCES.resolve("RawEvent.avsc").toFile());
  }
}
