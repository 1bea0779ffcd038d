package io.sluice.schemas;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A schema's Parsing Canonical Form as some Avro libraries get it wrong: a primitive with a logical
 * type written {@code {"type":"long"}} instead of {@code "long"} (Debian's python3-avro 1.11.1;
 * linkedin/goavro#174). A producer using one sends {@code RawEvent} with this form's fingerprint,
 * over a body that is byte for byte what the true schema encodes, so {@link AvroSerde} reads it as
 * that schema. Everything else follows the specification, in {@link SchemaNormalization}'s field
 * order.
 */
final class LogicalTypesKeptForm {
  private LogicalTypesKeptForm() {}

  /** The CRC-64-AVRO fingerprint of this form. */
  static long fingerprint(Schema schema) {
    return SchemaNormalization.fingerprint64(of(schema).getBytes(StandardCharsets.UTF_8));
  }

  static String of(Schema schema) {
    StringBuilder out = new StringBuilder();
    write(schema, new HashSet<>(), out);
    return out.toString();
  }

  private static void write(Schema schema, Set<String> named, StringBuilder out) {
    switch (schema.getType()) {
      case UNION -> {
        out.append('[');
        for (int i = 0; i < schema.getTypes().size(); i++) {
          out.append(i == 0 ? "" : ",");
          write(schema.getTypes().get(i), named, out);
        }
        out.append(']');
      }
      case ARRAY -> {
        out.append("{\"type\":\"array\",\"items\":");
        write(schema.getElementType(), named, out);
        out.append('}');
      }
      case MAP -> {
        out.append("{\"type\":\"map\",\"values\":");
        write(schema.getValueType(), named, out);
        out.append('}');
      }
      case RECORD, ENUM, FIXED -> writeNamed(schema, named, out);
      default -> {
        String primitive = "\"" + schema.getType().getName() + "\"";
        boolean logical = schema.getProp(LogicalType.LOGICAL_TYPE_PROP) != null;
        out.append(logical ? "{\"type\":" + primitive + "}" : primitive);
      }
    }
  }

  private static void writeNamed(Schema schema, Set<String> named, StringBuilder out) {
    String name = "\"" + schema.getFullName() + "\"";
    if (!named.add(name)) {
      out.append(name);
      return;
    }
    out.append("{\"name\":").append(name);
    out.append(",\"type\":\"").append(schema.getType().getName()).append('"');
    switch (schema.getType()) {
      case ENUM -> {
        out.append(",\"symbols\":[");
        for (int i = 0; i < schema.getEnumSymbols().size(); i++) {
          out.append(i == 0 ? "\"" : ",\"").append(schema.getEnumSymbols().get(i)).append('"');
        }
        out.append(']');
      }
      case FIXED -> out.append(",\"size\":").append(schema.getFixedSize());
      default -> {
        out.append(",\"fields\":[");
        for (int i = 0; i < schema.getFields().size(); i++) {
          Schema.Field field = schema.getFields().get(i);
          out.append(i == 0 ? "" : ",").append("{\"name\":\"").append(field.name());
          out.append("\",\"type\":");
          write(field.schema(), named, out);
          out.append('}');
        }
        out.append(']');
      }
    }
    out.append('}');
  }
}
