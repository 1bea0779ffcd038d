package io.sluice.schemas;

import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.Lineage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Earlier versions of record schemas whose data may still sit on a topic, so that today's readers
 * decode it ({@link AvroSerde#withWriterSchema}). Each is the .avsc as it was released, under
 * {@code io/sluice/schemas/earlier/<Record>-<n>.avsc}; add one whenever a record's schema changes.
 */
final class EarlierSchemas {
  private EarlierSchemas() {}

  /** The earlier versions of {@code record}, oldest first. */
  static List<Schema> of(String record, int versions) {
    List<Schema> out = new ArrayList<>();
    for (int version = 1; version <= versions; version++) {
      String resource = "earlier/" + record + "-" + version + ".avsc";
      Schema.Parser parser = new Schema.Parser();
      // The shared types an earlier record names, unchanged since.
      parser.parse(ChatMessage.getClassSchema().toString());
      parser.parse(Lineage.getClassSchema().toString());
      try (InputStream in = EarlierSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("earlier schema " + resource + " is missing from the jar");
        }
        out.add(parser.parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read earlier schema " + resource, e);
      }
    }
    return out;
  }
}
