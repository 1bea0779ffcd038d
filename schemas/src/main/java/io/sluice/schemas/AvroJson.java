package io.sluice.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The plain JSON form of Sluice's Avro records, as users read and write them in JSONL files and
 * {@code sluice consume}: unions are unwrapped (a union value is written as its branch's value,
 * unlike Avro's own JSON encoding), enums are their symbols and timestamps are ISO-8601 strings.
 * Parsing picks a union's branch from the JSON value's type, so the form round-trips for every
 * schema in this module (none has a union of two branches of the same JSON type).
 */
public final class AvroJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Picks union branches: generated classes hold optional timestamps as {@link Instant}, which a
   * plain {@code GenericData} cannot place in a {@code ["null", timestamp-millis]} union.
   */
  private static final GenericData UNIONS = unionModel();

  private AvroJson() {}

  /** The record as one line of compact JSON. */
  public static String toJsonLine(IndexedRecord record) {
    try {
      return MAPPER.writeValueAsString(toJson(record));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + record.getSchema().getName(), e);
    }
  }

  /** The record as a JSON tree. */
  public static ObjectNode toJson(IndexedRecord record) {
    return (ObjectNode) render(record, record.getSchema());
  }

  /** Parses one JSON line into a generated record; errors name the offending field path. */
  public static <T extends SpecificRecord> T fromJsonLine(String json, Class<T> type) {
    try {
      return fromJson(MAPPER.readTree(json), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Converts a JSON tree into a generated record; errors name the offending field path. */
  public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    return type.cast(parse(json, schema, model, ""));
  }

  private static GenericData unionModel() {
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    return model;
  }

  private static JsonNode render(Object value, Schema schema) {
    switch (schema.getType()) {
      case NULL:
        return NODES.nullNode();
      case UNION:
        return render(value, schema.getTypes().get(UNIONS.resolveUnion(schema, value)));
      case RECORD:
        IndexedRecord record = (IndexedRecord) value;
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), render(record.get(field.pos()), field.schema()));
        }
        return object;
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Collection<?>) value) {
          array.add(render(item, schema.getElementType()));
        }
        return array;
      case MAP:
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          map.set(entry.getKey().toString(), render(entry.getValue(), schema.getValueType()));
        }
        return map;
      case ENUM:
      case STRING:
        return NODES.textNode(value.toString());
      case INT:
        return NODES.numberNode((Integer) value);
      case LONG:
        if (isTimestamp(schema)) {
          Instant instant = value instanceof Instant i ? i : Instant.ofEpochMilli((Long) value);
          return NODES.textNode(instant.toString());
        }
        return NODES.numberNode((Long) value);
      case FLOAT:
        return NODES.numberNode((Float) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      default:
        throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    }
  }

  private static Object parse(JsonNode json, Schema schema, SpecificData model, String path) {
    switch (schema.getType()) {
      case NULL:
        require(json == null || json.isNull(), path, "must be null");
        return null;
      case UNION:
        return parse(json, unionBranch(json, schema, path), model, path);
      case RECORD:
        require(json != null && json.isObject(), path, "must be an object");
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        json.fieldNames()
            .forEachRemaining(
                name -> require(schema.getField(name) != null, path + "/" + name, "unknown field"));
        for (Schema.Field field : schema.getFields()) {
          JsonNode fieldJson = json.get(field.name());
          String fieldPath = path + "/" + field.name();
          if (fieldJson == null && field.hasDefaultValue()) {
            record.put(field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
          } else {
            require(fieldJson != null || acceptsNull(field.schema()), fieldPath, "is required");
            record.put(field.pos(), parse(fieldJson, field.schema(), model, fieldPath));
          }
        }
        return record;
      case ARRAY:
        require(json != null && json.isArray(), path, "must be an array");
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
          items.add(parse(json.get(i), schema.getElementType(), model, path + "/" + i));
        }
        return items;
      case MAP:
        require(json != null && json.isObject(), path, "must be an object");
        Map<String, Object> map = new LinkedHashMap<>();
        json.fields()
            .forEachRemaining(
                entry ->
                    map.put(
                        entry.getKey(),
                        parse(
                            entry.getValue(),
                            schema.getValueType(),
                            model,
                            path + "/" + entry.getKey())));
        return map;
      case ENUM:
        require(json != null && json.isTextual(), path, "must be a string");
        require(
            schema.hasEnumSymbol(json.asText()), path, "must be one of " + schema.getEnumSymbols());
        return model.createEnum(json.asText(), schema);
      case STRING:
        require(json != null && json.isTextual(), path, "must be a string");
        return json.asText();
      case INT:
        require(
            json != null && json.canConvertToInt() && json.isIntegralNumber(),
            path,
            "must be an integer");
        return json.asInt();
      case LONG:
        if (isTimestamp(schema)) {
          require(json != null && json.isTextual(), path, "must be an ISO-8601 instant");
          try {
            return Instant.parse(json.asText());
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + ": must be an ISO-8601 instant", e);
          }
        }
        require(
            json != null && json.isIntegralNumber() && json.canConvertToLong(),
            path,
            "must be an integer");
        return json.asLong();
      case FLOAT:
        require(json != null && json.isNumber(), path, "must be a number");
        return json.floatValue();
      case DOUBLE:
        require(json != null && json.isNumber(), path, "must be a number");
        return json.doubleValue();
      case BOOLEAN:
        require(json != null && json.isBoolean(), path, "must be true or false");
        return json.asBoolean();
      default:
        throw new AvroRuntimeException("unsupported Avro type " + schema.getType());
    }
  }

  private static Schema unionBranch(JsonNode json, Schema union, String path) {
    for (Schema branch : union.getTypes()) {
      if (matches(json, branch)) {
        return branch;
      }
    }
    throw new IllegalArgumentException(
        path + ": " + describe(json) + " fits none of " + branchNames(union));
  }

  private static boolean matches(JsonNode json, Schema branch) {
    boolean absent = json == null || json.isNull();
    return switch (branch.getType()) {
      case NULL -> absent;
      case STRING, ENUM -> !absent && json.isTextual();
      case LONG -> !absent && (isTimestamp(branch) ? json.isTextual() : json.isIntegralNumber());
      case INT -> !absent && json.isIntegralNumber();
      case FLOAT, DOUBLE -> !absent && json.isNumber();
      case BOOLEAN -> !absent && json.isBoolean();
      case ARRAY -> !absent && json.isArray();
      case RECORD, MAP -> !absent && json.isObject();
      default -> false;
    };
  }

  private static boolean acceptsNull(Schema schema) {
    return schema.getType() == Schema.Type.NULL
        || (schema.getType() == Schema.Type.UNION
            && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
  }

  private static boolean isTimestamp(Schema schema) {
    LogicalType logical = schema.getLogicalType();
    return logical instanceof LogicalTypes.TimestampMillis;
  }

  private static String describe(JsonNode json) {
    return json == null || json.isNull()
        ? "null"
        : "a JSON " + json.getNodeType().name().toLowerCase();
  }

  private static List<String> branchNames(Schema union) {
    return union.getTypes().stream().map(s -> s.getType().getName()).toList();
  }

  private static void require(boolean condition, String path, String message) {
    if (!condition) {
      throw new IllegalArgumentException((path.isEmpty() ? "/" : path) + ": " + message);
    }
  }
}
