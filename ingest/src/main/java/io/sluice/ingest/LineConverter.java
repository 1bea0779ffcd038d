package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.event.ParseResult;

/** Turns one JSON line of a batch body into a native event, or the reasons it cannot be one. */
@FunctionalInterface
public interface LineConverter {
  ParseResult convert(JsonNode line);
}
