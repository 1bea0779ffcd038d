package io.sluice.curator;

import io.sluice.schemas.avro.EventType;
import io.sluice.schemas.avro.RawEvent;
import java.util.Random;

/**
 * Example events for drift tests: short English prompts, or long Russian ones (a shifted track).
 */
final class DriftEvents {

  private static final String[] ENGLISH = {
    "export",
    "report",
    "invoice",
    "login",
    "router",
    "password",
    "billing",
    "upload",
    "sync",
    "page"
  };

  private static final String[] RUSSIAN = {
    "почему", "отчёт", "не", "открывается", "после", "обновления", "приложения", "на", "телефоне",
        "счёт",
    "оплата", "пароль", "вход", "ошибка", "сервер", "загрузка", "файл", "страница", "настройки",
        "помощь"
  };

  private DriftEvents() {}

  /** About 40 characters of English: prompt_length bin 32-64, language latin. */
  static RawEvent english(String tenant, String track, String id, int i) {
    Random random = new Random(i);
    String prompt =
        "Why does "
            + ENGLISH[random.nextInt(ENGLISH.length)]
            + " "
            + i
            + " fail on step "
            + (i * 7 % 97)
            + "?";
    return event(tenant, track, id, prompt);
  }

  /**
   * About 700 characters of Russian words in random order: prompt_length bin 512-1024, language
   * cyrillic.
   */
  static RawEvent russian(String tenant, String track, String id, int i) {
    Random random = new Random(1_000 + i);
    StringBuilder prompt = new StringBuilder("Вопрос " + i + ":");
    while (prompt.length() < 700) {
      prompt.append(' ').append(RUSSIAN[random.nextInt(RUSSIAN.length)]);
    }
    return event(tenant, track, id, prompt.append('?').toString());
  }

  private static RawEvent event(String tenant, String track, String id, String prompt) {
    return Events.base(id, EventType.example)
        .setTenant(tenant)
        .setTrack(track)
        .setPrompt(prompt)
        .setCompletion(
            "Open the settings of item " + id + " and choose the option named " + id + ".")
        .build();
  }
}
