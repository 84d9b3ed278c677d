import { describe, expect, it } from "vitest";
import { topicMatches } from "./mqttClient.ts";

describe("topicMatches", () => {
  it("follows MQTT's wildcards", () => {
    expect(topicMatches("gatecast/v1/screens/+/plays", "gatecast/v1/screens/s1/plays")).toBe(true);
    expect(topicMatches("gatecast/v1/screens/+/plays", "gatecast/v1/screens/s1/ack")).toBe(false);
    expect(topicMatches("gatecast/v1/screens/+/plays", "gatecast/v1/screens/s1/plays/x")).toBe(false);
    expect(topicMatches("gatecast/v1/screens/+", "gatecast/v1/screens")).toBe(false);
    expect(topicMatches("gatecast/#", "gatecast/v1/screens/s1/plays")).toBe(true);
    expect(topicMatches("gatecast/#", "gatecast")).toBe(true);
    expect(topicMatches("gatecast/v1/a", "gatecast/v1/a")).toBe(true);
    expect(topicMatches("gatecast/v1/a", "gatecast/v1/b")).toBe(false);
  });
});
