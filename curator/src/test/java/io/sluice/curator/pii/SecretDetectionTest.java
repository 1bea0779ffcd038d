package io.sluice.curator.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAY34FZKBOKMUTVV7A",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
        "xoxb-2048-4096-abcdEFGHijklMNOP",
        "xoxp-123456789012-123456789012-abcdefabcdefabcdef",
        "xoxa-2-abcdefghij1234567890",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFG",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "glpat-xxXXxxXXxxXXxxXXxx12",
        "AIzaSyA1234567890abcdefghijklmnopqrstuv",
        "hf_abcdefghijklmnopqrstuvwxyz01234567",
      })
  void shouldReplaceVendorToken(String token) {
    Anonymize.assertReplaced("I pasted {} by mistake, please revoke it.", token, PiiType.SECRET);
  }

  static Stream<Arguments> credentialCues() {
    return Stream.of(
        Arguments.of("password=hunter2x", "password=<SECRET_1>"),
        Arguments.of("my password: Tr0ub4dor&3 works", "my password: <SECRET_1> works"),
        Arguments.of("Password: Summer2024!", "Password: <SECRET_1>"),
        Arguments.of(
            "{\"username\": \"jdoe\", \"password\": \"S3cr3t!\"}",
            "{\"username\": \"jdoe\", \"password\": \"<SECRET_1>\"}"),
        Arguments.of("token=abc123def456", "token=<SECRET_1>"),
        Arguments.of("api_key: 9Y5D1KAfS3Zd2vXq8u412mJzB6R8", "api_key: <SECRET_1>"),
        Arguments.of("apikey=yMtjz7WUdhNpClEU8gdgFx", "apikey=<SECRET_1>"),
        Arguments.of("secret = 'not-so-secret-42'", "secret = '<SECRET_1>'"),
        Arguments.of("DB_PASSWORD=S3cure!pass\nDB_USER=app", "DB_PASSWORD=<SECRET_1>\nDB_USER=app"),
        Arguments.of("client_secret: \"Zm9vYmFyYmF6\"", "client_secret: \"<SECRET_1>\""),
        Arguments.of(
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_secret_access_key=<SECRET_1>"),
        Arguments.of(
            "https://api.acme.io/v1?user=jo&token=f00dfeed42&page=2",
            "https://api.acme.io/v1?user=jo&token=<SECRET_1>&page=2"),
        Arguments.of("pwd=letmein42.", "pwd=<SECRET_1>."),
        Arguments.of("auth_token: tok_9f8e7d6c", "auth_token: <SECRET_1>"));
  }

  @ParameterizedTest
  @MethodSource("credentialCues")
  void shouldReplaceValueAfterCredentialKey(String text, String expected) {
    assertThat(Anonymize.DEFAULT.anonymize(text).text()).isEqualTo(expected);
  }

  static Stream<Arguments> otherSecrets() {
    return Stream.of(
        Arguments.of(
            "postgres://admin:s3cretPW@db.internal:5432/app",
            "postgres://<SECRET_1>@db.internal:5432/app"),
        Arguments.of(
            "https://user:pa55@example.com/private", "https://<SECRET_1>@example.com/private"),
        Arguments.of(
            "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543",
            "Authorization: Bearer <SECRET_1>"),
        Arguments.of(
            "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----\nthanks",
            "key:\n<SECRET_1>\nthanks"),
        Arguments.of(
            "OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD",
            "OPENAI_API_KEY=<SECRET_1>"),
        Arguments.of(
            "Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic <SECRET_1>"),
        Arguments.of(
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4MTIzNA==;",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<SECRET_1>;"));
  }

  @ParameterizedTest
  @MethodSource("otherSecrets")
  void shouldReplaceCredentialsOnlyWhereTheyAre(String text, String expected) {
    assertThat(Anonymize.DEFAULT.anonymize(text).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "The password reset link expired again.",
        "Password: reset it via the portal please",
        "max_tokens: 2048 and temperature: 0.7",
        "My token expired yesterday, can you help?",
        "token_count=1532 exceeded the limit",
        "The secret: we never store plaintext.",
        "password=${DB_PASSWORD} comes from the environment",
        "password: ******** is masked",
        "\"password\": null in the payload",
        "api_key=<SECRET_1> was already redacted",
        "ssh://git@github.com/acme/app.git has no password",
        "sk-12 is a SKU, AKIA123 too short, ghp_short too",
        "bypass: true and compass: north",
        "Use Bearer auth for the API",
        "The Basic plan includes Basic dXNlcjpwYXNz support",
        "primary_key: id and sort_key=created_at",
        "eyJhbGciOiJIUzI1NiJ9 alone is only a header",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "the wifi password is {}.",
        "my password was {}",
        "I changed the api_key to {} yesterday",
      })
  void shouldReplaceUnquotedValueAfterKeyAndVerb(String sentence) {
    Anonymize.assertReplaced(sentence, "Blue!Sky2024", PiiType.SECRET);
    Anonymize.assertReplaced(sentence, "12345678", PiiType.SECRET);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "my password is wrong",
        "the password is at least 8 characters",
        "the token is 2h old",
        "the token is expired since 2024",
        "the sky is blue!sky2024",
      })
  void shouldKeepProseAfterKeyAndVerb(String text) {
    Anonymize.assertUnchanged(text);
  }
}
