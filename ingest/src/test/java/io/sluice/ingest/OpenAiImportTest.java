package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.avro.ChatMessage;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.Role;
import io.sluice.schemas.avro.ToolCall;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import io.sluice.schemas.event.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiImportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final java.nio.file.Path OPENAI_EXAMPLES =
      java.nio.file.Path.of("..", "examples", "openai");
  private final OpenAiImport converter =
      new OpenAiImport(
          "acme",
          "bot",
          new ServerDefaults(
              Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), () -> "id-1"),
          EventLimits.DEFAULT);

  private ParseResult convert(String line) throws Exception {
    return converter.convert(MAPPER.readTree(line.replace('\'', '"')));
  }

  @Test
  void shouldTurnChatLineIntoExample() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'user','content':'Hi'},{'role':'assistant','content':'Hello'},"
                        + "{'role':'user','content':'Bye'},{'role':'assistant','content':'See you'}]}"))
            .event();

    assertThat(event.getType()).isEqualTo(EventType.example);
    assertThat(event.getTenant()).isEqualTo("acme");
    assertThat(event.getId()).isEqualTo("id-1");
    assertThat((List<?>) event.getPrompt()).hasSize(3);
    assertThat(event.getCompletion()).isEqualTo("See you");
  }

  @Test
  void shouldTurnPreferenceLineIntoPreference() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'input':{'messages':[{'role':'user','content':'Q'}]},"
                        + "'preferred_output':[{'role':'assistant','content':'good'}],"
                        + "'non_preferred_output':[{'role':'assistant','content':'bad'}]}"))
            .event();

    assertThat(event.getType()).isEqualTo(EventType.preference);
    assertThat(event.getChosen()).isEqualTo("good");
    assertThat(event.getRejected()).isEqualTo("bad");
  }

  private List<RawEvent> importFile(String name) throws Exception {
    List<RawEvent> events = new java.util.ArrayList<>();
    for (String line : java.nio.file.Files.readAllLines(OPENAI_EXAMPLES.resolve(name))) {
      ParseResult result = converter.convert(MAPPER.readTree(line));
      assertThat(result).as("%s: %s", name, result).isInstanceOf(ParseResult.Valid.class);
      events.add(((ParseResult.Valid) result).event());
    }
    return events;
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "chat.jsonl",
        "multi-turn.jsonl",
        "function-calling.jsonl",
        "dpo.jsonl",
        "legacy-function-calling.jsonl",
        "content-parts.jsonl"
      })
  void shouldImportEveryLineOfOpenAisDocumentedExamples(String file) throws Exception {
    assertThat(importFile(file))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getTenant()).isEqualTo("acme"));
  }

  @Test
  void shouldKeepEveryAssistantTurnWithItsWeight() throws Exception {
    RawEvent event = importFile("multi-turn.jsonl").get(0);

    List<ChatMessage> prompt = messages(event);
    assertThat(prompt)
        .extracting(ChatMessage::getRole)
        .containsExactly(Role.system, Role.user, Role.assistant, Role.user);
    assertThat(prompt.get(2).getContent()).isEqualTo("Paris");
    assertThat(prompt.get(2).getWeight()).isZero();
    assertThat(event.getCompletion()).isEqualTo("Paris, as if everyone doesn't know that already.");
  }

  @Test
  void shouldGiveUnweightedEarlierAssistantTurnsOpenAisDefaultWeightOfOne() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'developer','content':'Be terse.'},{'role':'user','content':'Hi'},"
                        + "{'role':'assistant','content':'Hello'},{'role':'user','content':'Bye'},"
                        + "{'role':'assistant','content':'See you'}]}"))
            .event();

    assertThat(messages(event).get(0).getRole()).isEqualTo(Role.developer);
    assertThat(messages(event).get(2).getWeight()).isEqualTo(1);
    assertThat(messages(event).get(1).getWeight()).isNull();
  }

  @Test
  void shouldCarryToolsCallsAndResults() throws Exception {
    List<RawEvent> events = importFile("function-calling.jsonl");

    RawEvent call = events.get(0);
    assertThat(call.getCompletion()).isEmpty();
    assertThat(call.getCompletionToolCalls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getId()).isEqualTo("call_id");
              assertThat(c.getName()).isEqualTo("get_current_weather");
              assertThat(MAPPER.readTree(c.getArguments()))
                  .isEqualTo(
                      MAPPER.readTree(
                          "{\"location\": \"San Francisco, USA\", \"format\": \"celsius\"}"));
            });
    assertThat(call.getParallelToolCalls()).isFalse();
    assertThat(call.getTools())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getName()).isEqualTo("get_current_weather");
              assertThat(t.getDescription()).isEqualTo("Get the current weather");
              assertThat(MAPPER.readTree(t.getParameters()).at("/required/1").asText())
                  .isEqualTo("format");
            });

    RawEvent answer = events.get(1);
    List<ChatMessage> prompt = messages(answer);
    assertThat(prompt.get(1).getToolCalls()).extracting(ToolCall::getId).containsExactly("call_id");
    assertThat(prompt.get(1).getContent()).isEmpty();
    assertThat(prompt.get(1).getWeight()).isEqualTo(1);
    assertThat(prompt.get(2).getRole()).isEqualTo(Role.tool);
    assertThat(prompt.get(2).getToolCallId()).isEqualTo("call_id");
    assertThat(prompt.get(2).getContent()).isEqualTo("21.0");
    assertThat(answer.getCompletion()).isEqualTo("It is 21 degrees celsius in San Francisco, CA");
    assertThat(answer.getParallelToolCalls()).isNull();
  }

  @Test
  void shouldCarryDpoInputToolSettings() throws Exception {
    RawEvent event = importFile("dpo.jsonl").get(0);

    assertThat(event.getType()).isEqualTo(EventType.preference);
    assertThat(event.getTools()).isEmpty();
    assertThat(event.getParallelToolCalls()).isTrue();
    assertThat(event.getChosen()).startsWith("Today in San Francisco");
  }

  @Test
  void shouldJoinTextContentParts() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'user','content':[{'type':'text','text':'Hel'},{'type':'text','text':'lo?'}]},"
                        + "{'role':'assistant','content':'Hi'}]}"))
            .event();

    assertThat(messages(event).get(0).getContent()).isEqualTo("Hello?");
  }

  @Test
  void shouldReadTheDeprecatedFunctionsFormAsTheToolsForm() throws Exception {
    List<RawEvent> legacy = importFile("legacy-function-calling.jsonl");
    List<RawEvent> tools = importFile("function-calling.jsonl");

    ToolCall call = legacy.get(0).getCompletionToolCalls().get(0);
    assertThat(call.getId()).isEqualTo("call_1");
    assertThat(call.getName()).isEqualTo("get_current_weather");
    assertThat(call.getArguments())
        .isEqualTo(tools.get(0).getCompletionToolCalls().get(0).getArguments());
    assertThat(legacy.get(0).getTools())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getName()).isEqualTo("get_current_weather");
              assertThat(MAPPER.readTree(t.getParameters()).at("/required/1").asText())
                  .isEqualTo("format");
            });
    List<ChatMessage> prompt = messages(legacy.get(1));
    assertThat(prompt.get(1).getToolCalls()).extracting(ToolCall::getId).containsExactly("call_1");
    assertThat(prompt.get(2).getRole()).isEqualTo(Role.tool);
    assertThat(prompt.get(2).getToolCallId()).isEqualTo("call_1");
    assertThat(prompt.get(2).getContent()).isEqualTo("21.0");
    assertThat(legacy.get(1).getCompletion()).isEqualTo(tools.get(1).getCompletion());
  }

  @Test
  void shouldAnswerEachFunctionResultWithTheLatestCallOfItsName() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'user','content':'u'},"
                        + "{'role':'assistant','function_call':{'name':'f','arguments':'{}'}},"
                        + "{'role':'function','name':'f','content':'1'},"
                        + "{'role':'assistant','function_call':{'name':'f','arguments':'{}'}},"
                        + "{'role':'function','name':'f','content':'2'},"
                        + "{'role':'assistant','content':'done'}]}"))
            .event();

    assertThat(messages(event))
        .extracting(ChatMessage::getToolCallId)
        .containsExactly(null, null, "call_1", null, "call_3");
  }

  @Test
  void shouldReadTextPartsInEveryMessageAndAnswer() throws Exception {
    RawEvent chat = importFile("content-parts.jsonl").get(0);
    assertThat(messages(chat).get(0).getContent())
        .isEqualTo("What's the stock price for AAPL currently?");
    assertThat(messages(chat).get(1).getContent()).isEmpty();
    assertThat(messages(chat).get(2).getContent())
        .isEqualTo("{'price': '129.0', 'currency': 'EUR'}");
    assertThat(chat.getCompletion())
        .isEqualTo("The current stock price for AAPL (Apple Inc.) is \u20ac129.0.");

    RawEvent pair =
        ((ParseResult.Valid)
                convert(
                    "{'input':{'messages':[{'role':'user','content':'Q'}]},"
                        + "'preferred_output':[{'role':'assistant','content':[{'type':'text','text':'go'},"
                        + "{'type':'text','text':'od'}]}],"
                        + "'non_preferred_output':[{'role':'assistant','content':[{'type':'text','text':'bad'}]}]}"))
            .event();
    assertThat(pair.getChosen()).isEqualTo("good");
    assertThat(pair.getRejected()).isEqualTo("bad");
  }

  @Test
  void shouldReadDecimalWeightsZeroAndOneAsTheWeights() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'user','content':'u'},"
                        + "{'role':'assistant','content':'a','weight':0.0},"
                        + "{'role':'user','content':'v'},"
                        + "{'role':'assistant','content':'b','weight':1.0}]}"))
            .event();

    assertThat(messages(event).get(1).getWeight()).isZero();
  }

  @Test
  void shouldTreatNullFieldsAsAbsentAsInChatCompletionExports() throws Exception {
    RawEvent event =
        ((ParseResult.Valid)
                convert(
                    "{'messages':[{'role':'user','content':'u','name':null},"
                        + "{'role':'assistant','content':'a','refusal':null,'annotations':[],"
                        + "'function_call':null,"
                        + "'tool_calls':null}],'tools':null}"))
            .event();

    assertThat(event.getCompletion()).isEqualTo("a");
    assertThat(event.getTools()).isEmpty();
  }

  @Test
  void shouldNameTheUnsupportedFormInItsMessage() throws Exception {
    assertThat(
            message(
                "{'messages':[{'role':'user','content':[{'type':'text','text':'What is this?'},"
                    + "{'type':'image_url','image_url':{'url':'https://example.com/a.png'}}]},"
                    + "{'role':'assistant','content':'A cat.'}]}",
                "/messages/0/content/1"))
        .contains("image parts (vision fine-tuning) are not supported");
    assertThat(
            message(
                "{'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]},"
                    + "{'role':'assistant','content':'a'}]}",
                "/messages/0/content/0"))
        .contains("\"input_audio\" parts are not supported");
    assertThat(
            message(
                "{'messages':[{'role':'developer','content':'Solve it.'},"
                    + "{'role':'user','content':'2+2?'}],'reference_answer':'4'}",
                "/messages/1/role"))
        .contains("reinforcement fine-tuning");
    assertThat(
            message(
                "{'messages':[{'role':'user','content':'u','name':'bob'},"
                    + "{'role':'assistant','content':'a'}]}",
                "/messages/0/name"))
        .contains("message names are not supported");
  }

  private String message(String line, String pointer) throws Exception {
    ParseResult result = convert(line);
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid) result)
        .violations().stream()
            .filter(v -> v.pointer().equals(pointer))
            .map(Violation::message)
            .findFirst()
            .orElseThrow(() -> new AssertionError(pointer + " not in " + result));
  }

  private static List<ChatMessage> messages(RawEvent event) {
    return ((List<?>) event.getPrompt()).stream().map(ChatMessage.class::cast).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not an OpenAI line | {'prompt':'x'} | ''",
        "single message | {'messages':[{'role':'assistant','content':'a'}]} | /messages",
        "prompt ends with assistant | {'messages':[{'role':'assistant','content':'a'},{'role':'assistant','content':'b'}]} | /messages/0/role",
        "image content part | {'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'x'}}]},{'role':'assistant','content':'a'}]} | /messages/0/content/0",
        "weight 0 on answer | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','weight':0}]} | /messages/1/weight",
        "weight 2 | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','weight':2},{'role':'user','content':'u'},{'role':'assistant','content':'b'}]} | /messages/1/weight",
        "weight 0.5 | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','weight':0.5},{'role':'user','content':'u'},{'role':'assistant','content':'b'}]} | /messages/1/weight",
        "weight on user | {'messages':[{'role':'user','content':'u','weight':1},{'role':'assistant','content':'a'}]} | /messages/0/weight",
        "name field | {'messages':[{'role':'user','content':'u','name':'bob'},{'role':'assistant','content':'a'}]} | /messages/0/name",
        "blank completion | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':' '}]} | /messages/1/content",
        "arguments not JSON | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{city: Paris'}}]}]} | /messages/1/tool_calls/0/function/arguments",
        "arguments an object | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':{'city':'Paris'}}}]}]} | /messages/1/tool_calls/0/function/arguments",
        "arguments a JSON array | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'[1]'}}]}]} | /messages/1/tool_calls/0/function/arguments",
        "call type not function | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'code','function':{'name':'f','arguments':'{}'}}]}]} | /messages/1/tool_calls/0/type",
        "unknown call field | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}','x':1}}]}]} | /messages/1/tool_calls/0/function/x",
        "bad function name | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'get weather','arguments':'{}'}}]}]} | /messages/1/tool_calls/0/function/name",
        "tool without call | {'messages':[{'role':'user','content':'u'},{'role':'tool','tool_call_id':'c9','content':'21'},{'role':'assistant','content':'a'}]} | /messages/1/tool_call_id",
        "tool answering a later call | {'messages':[{'role':'user','content':'u'},{'role':'tool','tool_call_id':'c1','content':'21'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]}]} | /messages/1/tool_call_id",
        "tool without call id | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'x','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]},{'role':'tool','content':'21'},{'role':'assistant','content':'a'}]} | /messages/2/tool_call_id",
        "tool calls on user | {'messages':[{'role':'user','content':'u','tool_calls':[]},{'role':'assistant','content':'a'}]} | /messages/0/tool_calls",
        "tool schema not object | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'tools':[{'type':'function','function':{'name':'f','parameters':'x'}}]} | /tools/0/function/parameters",
        "unknown tool field | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'tools':[{'type':'function','function':{'name':'f','examples':[]}}]} | /tools/0/function/examples",
        "parallel not boolean | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'parallel_tool_calls':'yes'} | /parallel_tool_calls",
        "functions and tools | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'functions':[],'tools':[]} | /functions",
        "function schema not object | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'functions':[{'name':'f','parameters':'x'}]} | /functions/0/parameters",
        "functions not array | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'functions':{}} | /functions",
        "function_call and tool_calls | {'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':{'name':'f','arguments':'{}'},'tool_calls':[]}]} | /messages/1/function_call",
        "function_call arguments not JSON | {'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':{'name':'f','arguments':'{x'}}]} | /messages/1/function_call/arguments",
        "function_call bad name | {'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':{'name':'a b','arguments':'{}'}}]} | /messages/1/function_call/name",
        "function_call on user | {'messages':[{'role':'user','content':'u','function_call':{'name':'f','arguments':'{}'}},{'role':'assistant','content':'a'}]} | /messages/0/function_call",
        "function_call not object | {'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':'f'}]} | /messages/1/function_call",
        "function result without call | {'messages':[{'role':'user','content':'u'},{'role':'function','name':'f','content':'1'},{'role':'assistant','content':'a'}]} | /messages/1/name",
        "function result without name | {'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':{'name':'f','arguments':'{}'}},{'role':'function','content':'1'},{'role':'assistant','content':'a'}]} | /messages/2/name",
        "input function_call arguments | {'input':{'messages':[{'role':'user','content':'u'},{'role':'assistant','function_call':{'name':'f','arguments':'1'}},{'role':'function','name':'f','content':'1'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/messages/1/function_call/arguments",
        "duplicate call ids | {'messages':[{'role':'user','content':'u'},{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}},{'id':'c1','type':'function','function':{'name':'g','arguments':'{}'}}]}]} | /messages/1/tool_calls/1/id",
        "empty user content | {'messages':[{'role':'user','content':''},{'role':'assistant','content':'a'}]} | /messages/0/content",
        "missing messages in input | {'input':{},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input",
        "tool calls in preferred | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'assistant','tool_calls':[]}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /preferred_output/0/tool_calls",
        "unknown role | {'messages':[{'role':'human','content':'u'},{'role':'assistant','content':'a'}]} | /messages/0/role",
        "annotations | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','annotations':[{'type':'url_citation'}]}]} | /messages/1/annotations",
        "annotations text | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','annotations':''}]} | /messages/1/annotations",
        "refusal | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','refusal':'no'}]} | /messages/1/refusal",
        "metadata key | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a'}],'metadata':{'a':'b'}} | /metadata",
        "not an object | [1] | ''",
        "input tool schema not object | {'input':{'messages':[{'role':'user','content':'u'}],'tools':[{'type':'function','function':{'name':'f','parameters':[]}}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/tools/0/function/parameters",
        "weight in input | {'input':{'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'x','weight':1},{'role':'user','content':'v'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/messages/1/weight",
        "missing non-preferred | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}]} | /non_preferred_output",
        "user as preferred | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'user','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /preferred_output/0/role",
        "equal answers | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'a'}]} | /non_preferred_output/0/content",
        "input prompt ends with assistant | {'input':{'messages':[{'role':'assistant','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/messages/0/role",
      })
  void shouldPointIntoTheOpenAiLine(String name, String line, String pointer) throws Exception {
    ParseResult result = convert(line);

    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    assertThat(((ParseResult.Invalid) result).violations())
        .extracting(Violation::pointer)
        .contains(pointer);
  }
}
