package io.sluice.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.io.ChatTurn;
import io.sluice.model.io.ToolCall;
import io.sluice.model.io.ToolSpec;
import io.sluice.model.train.TrainingExample;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.avro.CuratedExample;
import org.junit.jupiter.api.Test;

class CuratedExamplesTest {

  /**
   * A curated multi-turn record as {@code sluice curate} writes it, with weights and tool calls.
   */
  private static final String RECORD =
      ("{'id':'t1','sourceId':'t1','tenant':'acme','track':'bot','kind':'SFT','origin':'EXAMPLE',"
              + "'prompt':[{'role':'developer','content':'Use tools.'},"
              + "{'role':'user','content':'Weather?'},"
              + "{'role':'assistant','content':'','tool_calls':"
              + "[{'id':'c1','name':'weather','arguments':'{}'}],'weight':1},"
              + "{'role':'tool','content':'18 C','tool_call_id':'c1'},"
              + "{'role':'assistant','content':'18 C.','weight':0},"
              + "{'role':'assistant','content':'Anything else?'},"
              + "{'role':'user','content':'Rome?'}],"
              + "'completion':'','completion_tool_calls':"
              + "[{'id':'c2','name':'weather','arguments':'{}'}],"
              + "'tools':[{'name':'weather','description':'Now','parameters':'{}'}],"
              + "'split':'TRAIN','contentHash':'h','lineage':{'topic':'f','partition':0,'offset':0},"
              + "'eventTimestamp':'2025-01-01T00:00:00Z','curatedAt':'2025-01-01T00:00:00Z'}")
          .replace('\'', '"');

  @Test
  void shouldTrainOnAssistantTurnsOfWeightOneAndCarryToolCalls() {
    TrainingExample.Sft sft =
        (TrainingExample.Sft)
            CuratedExamples.toTrainingExample(AvroJson.fromJsonLine(RECORD, CuratedExample.class));

    assertThat(sft.messages())
        .extracting(ChatTurn::trained)
        .containsExactly(false, false, true, false, false, false, false);
    assertThat(sft.messages().get(2).toolCalls())
        .containsExactly(new ToolCall("c1", "weather", "{}"));
    assertThat(sft.messages().get(3).toolCallId()).isEqualTo("c1");
    assertThat(sft.messages().get(0).role()).isEqualTo("developer");
    assertThat(sft.completionToolCalls()).containsExactly(new ToolCall("c2", "weather", "{}"));
    assertThat(sft.tools()).containsExactly(new ToolSpec("weather", "Now", "{}"));
  }
}
