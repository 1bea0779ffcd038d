package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventLimits;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import io.sluice.schemas.event.Violation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OpenAiImportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final OpenAiImport converter =
      new OpenAiImport(
          "acme",
          "bot",
          new ServerDefaults(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), () -> "id-1"),
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not an OpenAI line | {'prompt':'x'} | ''",
        "single message | {'messages':[{'role':'assistant','content':'a'}]} | /messages",
        "prompt ends with assistant | {'messages':[{'role':'assistant','content':'a'},{'role':'assistant','content':'b'}]} | /messages/0/role",
        "content parts | {'messages':[{'role':'user','content':[{'type':'text','text':'u'}]},{'role':'assistant','content':'a'}]} | /messages/0/content",
        "weight on answer | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':'a','weight':1}]} | /messages/1/weight",
        "developer role | {'messages':[{'role':'developer','content':'d'},{'role':'user','content':'u'},{'role':'assistant','content':'a'}]} | /messages/0/role",
        "blank completion | {'messages':[{'role':'user','content':'u'},{'role':'assistant','content':' '}]} | /messages/1/content",
        "tools in input | {'input':{'messages':[{'role':'user','content':'u'}],'tools':[]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/tools",
        "missing non-preferred | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}]} | /non_preferred_output",
        "user as preferred | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'user','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /preferred_output/0/role",
        "equal answers | {'input':{'messages':[{'role':'user','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'a'}]} | /non_preferred_output/0/content",
        "input prompt ends with assistant | {'input':{'messages':[{'role':'assistant','content':'u'}]},'preferred_output':[{'role':'assistant','content':'a'}],'non_preferred_output':[{'role':'assistant','content':'b'}]} | /input/messages/0/role",
      })
  void shouldPointIntoTheOpenAiLine(String name, String line, String pointer) throws Exception {
    ParseResult result = convert(line);

    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    assertThat(((ParseResult.Invalid) result).violations()).extracting(Violation::pointer).contains(pointer);
  }
}
