package io.sluice.schemas;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Refuses schemas with arrays whose items encode in zero bytes (null, fixed of size 0, records of
 * such fields only): {@link BoundedBinaryDecoder} bounds an item count by the bytes left, which
 * such an array could exceed legitimately.
 */
final class ZeroByteItems {
  private ZeroByteItems() {}

  static void refuse(Schema schema) {
    visit(schema, new HashSet<>());
  }

  private static void visit(Schema schema, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.add(schema.getFullName())) {
          schema.getFields().forEach(field -> visit(field.schema(), seen));
        }
      }
      case ARRAY -> {
        if (encodesInZeroBytes(schema.getElementType(), new HashSet<>())) {
          throw new IllegalArgumentException(
              "array items of type "
                  + schema.getElementType().getFullName()
                  + " encode in zero bytes; AvroSerde bounds item counts by the bytes left");
        }
        visit(schema.getElementType(), seen);
      }
      case MAP -> visit(schema.getValueType(), seen);
      case UNION -> schema.getTypes().forEach(branch -> visit(branch, seen));
      default -> {}
    }
  }

  private static boolean encodesInZeroBytes(Schema schema, Set<String> seen) {
    return switch (schema.getType()) {
      case NULL -> true;
      case FIXED -> schema.getFixedSize() == 0;
      case RECORD ->
          seen.add(schema.getFullName())
              && schema.getFields().stream()
                  .allMatch(field -> encodesInZeroBytes(field.schema(), seen));
      default -> false;
    };
  }
}
