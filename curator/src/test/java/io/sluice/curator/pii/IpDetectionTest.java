package io.sluice.curator.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpDetectionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.168.1.10",
        "10.0.0.1",
        "172.16.254.3",
        "8.8.8.8",
        "203.0.113.42",
        "255.255.255.0",
        "0.0.0.0",
        "127.0.0.1",
        "::1",
        "fe80::1ff:fe23:4567:890a",
        "2001:db8::8a2e:370:7334",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "FE80::0202:B3FF:FE1E:8329",
        "::ffff:192.0.2.128",
        "2607:f8b0:4005:805::200e",
      })
  void shouldReplaceIpAddress(String ip) {
    Anonymize.assertReplaced("Login attempts came from {} last night.", ip, PiiType.IP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connect to {}:5432 failed",
        "see http://{}/admin",
        "bind to [{}]:9092 failed",
        "Subnet {}/16 covers the VPN",
        "ip={}",
      })
  void shouldReplaceOnlyTheAddressInUrlsAndSockets(String sentence) {
    String address = sentence.contains("[") ? "2001:db8::1" : "10.1.0.7";
    Anonymize.assertReplaced(sentence, address, PiiType.IP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Upgrade to version 1.2.3.4 today",
        "Release v1.0.0.4 is the baseline",
        "Installed 1.2.3.4-beta yesterday",
        "Chrome 120.0.6099.109 crashes",
        "Windows 10.0.19045.3803 is up to date",
        "Section 1.2.3.4 of the contract applies",
        "Bug fixes in 1.2.4.1 and 1.2.4.2",
        "The version string is 1.2.3.4.5",
        "Octets 256.1.1.1 and 1.2.3 are invalid",
        "Times 14:30, 12:30:45 and 08:15:00.250",
        "MAC 00:1A:2B:3C:4D:5E and std::vector<int>",
        "localhost:8080 and port 5432",
        "UUID 123e4567-e89b-12d3-a456-426614174000",
        "Node v18.17.1 and npm 9.6.7 on Ubuntu 22.04",
        "Versions 01.02.03.04 use leading zeros",
        "dead::beef is not an address",
      })
  void shouldKeepLookalikes(String text) {
    Anonymize.assertUnchanged(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Chrome 120.0.6099.109 on {} shows a blank page",
        "The app v3.0.1.4 crashes on {} DNS",
        "build 1.2.3.4 deployed to {}",
        "Running version 10.4.3.2; my box at {} is down",
        "Firmware updated.\n{} rebooted",
      })
  void shouldReplaceAddressThatAVersionWordDoesNotName(String sentence) {
    Anonymize.assertReplaced(sentence, "10.0.0.12", PiiType.IP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bug fixes in 1.2.4.1 and 1.2.4.2",
        "Fixed in versions 2.0.0.1, 2.0.0.2 or 2.0.1.0",
        "Upgrade from v1.2.3.4 to 1.2.4.0",
      })
  void shouldKeepEveryVersionListedAfterOneVersionWord(String text) {
    Anonymize.assertUnchanged(text);
  }
}
