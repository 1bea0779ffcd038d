package io.sluice.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NativeEventsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-02-01T12:00:00.123Z");
  private static final ServerDefaults DEFAULTS =
      new ServerDefaults(Clock.fixed(NOW, ZoneOffset.UTC), () -> "server-id");

  private static final String EXAMPLE =
      "{'type':'example','id':'e-1','tenant':'acme','track':'support-bot',"
          + "'timestamp':'2025-01-31T09:30:00Z','prompt':'Say hi','completion':'Hi!'}";
  private static final String PREFERENCE =
      "{'type':'preference','id':'p-1','tenant':'acme','track':'support-bot',"
          + "'timestamp':'2025-01-31T09:30:00Z','prompt':'Say hi','chosen':'Hi!','rejected':'Go away.'}";
  private static final String FEEDBACK =
      "{'type':'feedback','id':'f-1','tenant':'acme','track':'support-bot',"
          + "'timestamp':'2025-01-31T09:30:00Z','metadata':{'app':'web','user/tier':'gold'},"
          + "'prompt':[{'role':'system','content':'Be brief.'},{'role':'user','content':'Reset my password'},"
          + "{'role':'assistant','content':'Which account?'},{'role':'user','content':'Work.\\r\\nThanks\\t!'}],"
          + "'response':'Click Forgot password.','rating':4,'correction':'Use the reset link.',"
          + "'comment':'too vague'}";

  /** Multi-turn with a trained earlier turn, a tool call, its result, and a final tool call. */
  private static final String TOOL_EXAMPLE =
      "{'type':'example','id':'t-1','tenant':'acme','track':'support-bot',"
          + "'timestamp':'2025-01-31T09:30:00Z',"
          + "'prompt':[{'role':'developer','content':'Use the tools.'},{'role':'user','content':'Weather in Paris?'},"
          + "{'role':'assistant','content':'','tool_calls':[{'id':'c1','name':'weather',"
          + "'arguments':'{\\\"city\\\": \\\"Paris\\\"}'}],'weight':1},"
          + "{'role':'tool','content':'18 C','tool_call_id':'c1'},{'role':'assistant','content':'18 C.','weight':0},"
          + "{'role':'user','content':'And Rome?'}],"
          + "'completion':'','completion_tool_calls':[{'id':'c2','name':'weather','arguments':'{}'}],"
          + "'tools':[{'name':'weather','description':'Current weather',"
          + "'parameters':{'type':'object','properties':{'city':{'type':'string'}}}}],"
          + "'parallel_tool_calls':false}";

  @Test
  void shouldReadToolCallsResultsWeightsAndTools() {
    RawEvent event = valid(json(TOOL_EXAMPLE));

    List<?> prompt = (List<?>) event.getPrompt();
    ChatMessage call = (ChatMessage) prompt.get(2);
    assertThat(call.getToolCalls().get(0).getArguments()).isEqualTo("{\"city\": \"Paris\"}");
    assertThat(call.getWeight()).isEqualTo(1);
    assertThat(((ChatMessage) prompt.get(3)).getToolCallId()).isEqualTo("c1");
    assertThat(event.getCompletionToolCalls().get(0).getName()).isEqualTo("weather");
    assertThat(event.getTools().get(0).getParameters())
        .isEqualTo("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
  }

  @Test
  void shouldAcceptAnAnswerThatOnlyCallsToolsWithoutCompletionText() {
    ObjectNode json = (ObjectNode) json(TOOL_EXAMPLE);
    json.remove("completion");

    assertThat(valid(json).getCompletion()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "weight 2 | /prompt/2/weight | 2",
        "tool id of no call | /prompt/3/tool_call_id | \"c9\"",
        "arguments not JSON | /prompt/2/tool_calls/0/arguments | \"{city\"",
        "tool name with space | /tools/0/name | \"get weather\"",
      })
  void shouldRejectBrokenToolFields(String name, String pointer, String value) {
    ObjectNode json = (ObjectNode) json(TOOL_EXAMPLE);
    ObjectNode parent = (ObjectNode) json.at(pointer.substring(0, pointer.lastIndexOf('/')));
    try {
      parent.set(pointer.substring(pointer.lastIndexOf('/') + 1), MAPPER.readTree(value));
    } catch (Exception e) {
      throw new IllegalArgumentException(value, e);
    }

    ParseResult result = NativeEvents.parse(json, DEFAULTS);

    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    assertThat(((ParseResult.Invalid) result).violations())
        .extracting(Violation::pointer)
        .containsExactly(pointer);
  }

  @ParameterizedTest
  @ValueSource(strings = {EXAMPLE, PREFERENCE, FEEDBACK, TOOL_EXAMPLE})
  void shouldRenderAcceptedEventBackToItsInput(String input) {
    JsonNode json = json(input);

    RawEvent event = valid(json);

    assertThat(NativeEvents.toJson(event)).isEqualTo(json);
    assertThat(RawEventValidator.validate(event)).isEmpty();
  }

  @Test
  void shouldReadChatPromptIntoMessages() {
    RawEvent event = valid(json(FEEDBACK));

    assertThat(event.getType()).isEqualTo(EventType.feedback);
    assertThat(event.getPrompt())
        .asList()
        .containsExactly(
            ChatMessages.of(Role.system, "Be brief."),
            ChatMessages.of(Role.user, "Reset my password"),
            ChatMessages.of(Role.assistant, "Which account?"),
            ChatMessages.of(Role.user, "Work.\r\nThanks\t!"));
    assertThat(event.getRating()).isEqualTo(4);
    assertThat(event.getMetadata())
        .containsExactly(Map.entry("app", "web"), Map.entry("user/tier", "gold"));
  }

  @Test
  void shouldFillServerIdAndTimestampWhenAbsent() {
    ObjectNode json = (ObjectNode) json(EXAMPLE);
    json.remove(List.of("id", "timestamp"));

    RawEvent event = valid(json);

    assertThat(event.getId()).isEqualTo("server-id");
    assertThat(event.getTimestamp()).isEqualTo(NOW);
  }

  @Test
  void shouldTreatNullAsAbsent() {
    ObjectNode json = (ObjectNode) json(EXAMPLE);
    json.putNull("id");
    json.putNull("metadata");
    json.putNull("comment");

    RawEvent event = valid(json);

    assertThat(event.getId()).isEqualTo("server-id");
    assertThat(event.getMetadata()).isEmpty();
    assertThat(event.getComment()).isNull();
  }

  @Test
  void shouldNormalizeTimestampWithOffsetToUtcMillis() {
    ObjectNode json = (ObjectNode) json(EXAMPLE);
    json.put("timestamp", "2025-01-31T10:30:00.123456+01:00");

    RawEvent event = valid(json);

    assertThat(event.getTimestamp()).isEqualTo(Instant.parse("2025-01-31T09:30:00.123Z"));
    assertThat(NativeEvents.toJson(event).get("timestamp").asText())
        .isEqualTo("2025-01-31T09:30:00.123Z");
  }

  @Test
  void shouldAcceptRatingWords() {
    ObjectNode json = (ObjectNode) json(FEEDBACK);
    json.put("rating", "down");

    assertThat(valid(json).getRating()).isEqualTo("down");
  }

  @Test
  void shouldReportEveryViolationAtOnce() {
    JsonNode json =
        json(
            "{'type':'feedback','tenant':'Acme','track':'t','prompt':'p','response':'r',"
                + "'rating':9,'colour':'red','metadata':{'n':1}}");

    assertThat(violations(json))
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrder("/tenant", "/rating", "/colour", "/metadata/n");
  }

  @Test
  void shouldReportWrongJsonTypeOnceNotAlsoAsMissing() {
    JsonNode json = json("{'type':'example','tenant':7,'track':'t','prompt':'p','completion':'c'}");

    assertThat(violations(json))
        .containsExactly(new Violation("/tenant", "must be a string, not a number"));
  }

  @Test
  void shouldApplyConfiguredLimits() {
    EventLimits tight = new EventLimits(4, 10, 2, 1, 3, 5);
    JsonNode json =
        json(
            "{'type':'example','id':'12345','tenant':'a','track':'t','metadata':{'a':'1','b':'2'},"
                + "'prompt':[{'role':'user','content':'1'},{'role':'assistant','content':'2'},"
                + "{'role':'user','content':'3'}],'completion':'12345678901'}");

    ParseResult result = NativeEvents.parse(json, DEFAULTS, tight);

    assertThat(((ParseResult.Invalid) result).violations())
        .containsExactly(
            new Violation("/id", "is 5 characters long; the limit is 4"),
            new Violation("/metadata", "has 2 entries; the limit is 1"),
            new Violation("/prompt", "has 3 messages; the limit is 2"),
            new Violation("/completion", "is 11 characters long; the limit is 10"));
  }

  static Stream<Arguments> malformedEvents() {
    String longName = "a".repeat(64);
    String tooLong = "x".repeat(EventLimits.DEFAULT.maxTextLength() + 1);
    StringBuilder manyMessages = new StringBuilder("[");
    for (int i = 0; i <= EventLimits.DEFAULT.maxPromptMessages(); i++) {
      manyMessages.append(i == 0 ? "" : ",").append("{'role':'user','content':'hi'}");
    }
    manyMessages.append(']');
    StringBuilder manyEntries = new StringBuilder("{");
    for (int i = 0; i <= EventLimits.DEFAULT.maxMetadataEntries(); i++) {
      manyEntries.append(i == 0 ? "" : ",").append("'k").append(i).append("':'v'");
    }
    manyEntries.append('}');
    return Stream.of(
        bad("array instead of object", "[]", ""),
        bad("string instead of object", "'event'", ""),
        bad("missing type", without(EXAMPLE, "type"), "/type"),
        bad("unknown type", with(EXAMPLE, "type", "'comment'"), "/type"),
        bad("numeric type", with(EXAMPLE, "type", "5"), "/type"),
        bad("missing tenant", without(EXAMPLE, "tenant"), "/tenant"),
        bad("uppercase tenant", with(EXAMPLE, "tenant", "'Acme'"), "/tenant"),
        bad("tenant starting with dash", with(EXAMPLE, "tenant", "'-acme'"), "/tenant"),
        bad("tenant of 64 characters", with(EXAMPLE, "tenant", "'" + longName + "'"), "/tenant"),
        bad("track with a space", with(EXAMPLE, "track", "'support bot'"), "/track"),
        bad("missing track", without(EXAMPLE, "track"), "/track"),
        bad("unknown field", with(EXAMPLE, "user", "'bob'"), "/user"),
        bad("example without completion", without(EXAMPLE, "completion"), "/completion"),
        bad("example with chosen", with(EXAMPLE, "chosen", "'x'"), "/chosen"),
        bad("preference without rejected", without(PREFERENCE, "rejected"), "/rejected"),
        bad("preference with equal answers", with(PREFERENCE, "rejected", "'Hi!'"), "/rejected"),
        bad("preference with completion", with(PREFERENCE, "completion", "'x'"), "/completion"),
        bad("feedback without rating", without(FEEDBACK, "rating"), "/rating"),
        bad("feedback without response", without(FEEDBACK, "response"), "/response"),
        bad("rating word unknown", with(FEEDBACK, "rating", "'meh'"), "/rating"),
        bad("rating zero", with(FEEDBACK, "rating", "0"), "/rating"),
        bad("rating six", with(FEEDBACK, "rating", "6"), "/rating"),
        bad("rating fractional", with(FEEDBACK, "rating", "4.5"), "/rating"),
        bad("rating digit as string", with(FEEDBACK, "rating", "'5'"), "/rating"),
        bad("rating boolean", with(FEEDBACK, "rating", "true"), "/rating"),
        bad("missing prompt", without(EXAMPLE, "prompt"), "/prompt"),
        bad("blank prompt", with(EXAMPLE, "prompt", "'  '"), "/prompt"),
        bad("empty message list", with(EXAMPLE, "prompt", "[]"), "/prompt"),
        bad("numeric prompt", with(EXAMPLE, "prompt", "42"), "/prompt"),
        bad("too many messages", with(EXAMPLE, "prompt", manyMessages.toString()), "/prompt"),
        bad(
            "prompt ending with assistant",
            with(
                EXAMPLE,
                "prompt",
                "[{'role':'user','content':'a'},{'role':'assistant','content':'b'}]"),
            "/prompt/1/role"),
        bad(
            "unknown role",
            with(EXAMPLE, "prompt", "[{'role':'robot','content':'a'}]"),
            "/prompt/0/role"),
        bad(
            "message without content",
            with(EXAMPLE, "prompt", "[{'role':'user'}]"),
            "/prompt/0/content"),
        bad("message without role", with(EXAMPLE, "prompt", "[{'content':'a'}]"), "/prompt/0/role"),
        bad(
            "message with extra field",
            with(EXAMPLE, "prompt", "[{'role':'user','content':'a','name':'bob'}]"),
            "/prompt/0/name"),
        bad("message not an object", with(EXAMPLE, "prompt", "['hello']"), "/prompt/0"),
        bad(
            "NUL in message content",
            with(EXAMPLE, "prompt", "[{'role':'user','content':'a\\u0000b'}]"),
            "/prompt/0/content"),
        bad("free-text timestamp", with(EXAMPLE, "timestamp", "'yesterday'"), "/timestamp"),
        bad(
            "timestamp without offset",
            with(EXAMPLE, "timestamp", "'2025-01-31T09:30:00'"),
            "/timestamp"),
        bad("date-only timestamp", with(EXAMPLE, "timestamp", "'2025-01-31'"), "/timestamp"),
        bad("epoch-number timestamp", with(EXAMPLE, "timestamp", "1700000000"), "/timestamp"),
        bad(
            "five-digit year",
            with(EXAMPLE, "timestamp", "'+10000-01-01T00:00:00Z'"),
            "/timestamp"),
        bad("nested metadata", with(EXAMPLE, "metadata", "{'a':{'b':'c'}}"), "/metadata/a"),
        bad("metadata array", with(EXAMPLE, "metadata", "['a']"), "/metadata"),
        bad("numeric metadata value", with(EXAMPLE, "metadata", "{'n':1}"), "/metadata/n"),
        bad("metadata key with slash", with(EXAMPLE, "metadata", "{'a/b':true}"), "/metadata/a~1b"),
        bad(
            "metadata key with tilde",
            with(EXAMPLE, "metadata", "{'a~b':'\\u0007'}"),
            "/metadata/a~0b"),
        bad("empty metadata key", with(EXAMPLE, "metadata", "{'':'v'}"), "/metadata/"),
        bad(
            "too many metadata entries",
            with(EXAMPLE, "metadata", manyEntries.toString()),
            "/metadata"),
        bad("empty id", with(EXAMPLE, "id", "''"), "/id"),
        bad("id of 129 characters", with(EXAMPLE, "id", "'" + "i".repeat(129) + "'"), "/id"),
        bad("numeric id", with(EXAMPLE, "id", "17"), "/id"),
        bad("tab in id", with(EXAMPLE, "id", "'a\\tb'"), "/id"),
        bad("DEL in id", with(EXAMPLE, "id", "'a\\u007fb'"), "/id"),
        bad("bell in completion", with(EXAMPLE, "completion", "'a\\u0007b'"), "/completion"),
        bad("C1 control in comment", with(FEEDBACK, "comment", "'a\\u0085b'"), "/comment"),
        bad("unpaired surrogate in chosen", with(PREFERENCE, "chosen", "'a\\ud800b'"), "/chosen"),
        bad("blank completion", with(EXAMPLE, "completion", "' \\n '"), "/completion"),
        bad(
            "completion over the limit",
            with(EXAMPLE, "completion", "'" + tooLong + "'"),
            "/completion"),
        bad("numeric correction", with(FEEDBACK, "correction", "1"), "/correction"),
        bad(
            "several problems",
            with(with(EXAMPLE, "tenant", "'A'"), "track", "''"),
            "/tenant",
            "/track"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedEvents")
  void shouldRejectMalformedEventWithPointers(String name, String input, List<String> pointers) {
    List<Violation> violations = violations(json(input));

    assertThat(violations)
        .extracting(Violation::pointer)
        .containsExactlyInAnyOrderElementsOf(pointers);
    assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
  }

  private static Arguments bad(String name, String json, String... pointers) {
    return Arguments.of(name, json, List.of(pointers));
  }

  /** The event with {@code field} set to the JSON {@code value} (single quotes for double). */
  static String with(String event, String field, String value) {
    ObjectNode json = (ObjectNode) json(event);
    json.set(field, json(value));
    return json.toString();
  }

  static String without(String event, String field) {
    ObjectNode json = (ObjectNode) json(event);
    json.remove(field);
    return json.toString();
  }

  static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException("bad test JSON: " + singleQuoted, e);
    }
  }

  private static RawEvent valid(JsonNode json) {
    ParseResult result = NativeEvents.parse(json, DEFAULTS);
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid) result).event();
  }

  private static List<Violation> violations(JsonNode json) {
    ParseResult result = NativeEvents.parse(json, DEFAULTS);
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid) result).violations();
  }
}
