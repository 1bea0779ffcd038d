package io.sluice.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Earlier versions of record schemas whose data may still sit on a topic, so that today's readers
 * decode it ({@link AvroSerde#withWriterSchema}). Each is the .avsc as it was released, under
 * {@code io/sluice/schemas/earlier/<Record>-<n>.avsc}, self-contained (the nested types inlined);
 * add one whenever a record's schema or a type it nests changes.
 */
final class EarlierSchemas {
  private EarlierSchemas() {}

  /** The earlier versions of {@code record}, oldest first. */
  static List<Schema> of(String record, int versions) {
    List<Schema> out = new ArrayList<>();
    for (int version = 1; version <= versions; version++) {
      String resource = "earlier/" + record + "-" + version + ".avsc";
      // Self-contained: nested types (ChatMessage, Lineage) are inlined as they were released,
      // since they change too, and the fingerprint on the wire covers them.
      Schema.Parser parser = new Schema.Parser();
      try (InputStream in = EarlierSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(
              "earlier schema " + resource + " is missing from the jar");
        }
        out.add(parser.parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read earlier schema " + resource, e);
      }
    }
    return out;
  }
}
