import { describe, expect, it } from "vitest";
import { EventBus } from "./events.ts";

describe("EventBus", () => {
  it("runs every listener when one throws, and logs the one that did", () => {
    const logged: unknown[] = [];
    const bus = new EventBus({ error: (obj: unknown) => void logged.push(obj) });
    const heard: string[] = [];
    bus.on("screen-state", () => heard.push("first"));
    bus.on("screen-state", () => {
      throw new Error("a feature's bug");
    });
    bus.on("screen-state", (e) => heard.push(`third ${e.screenId}`));
    bus.emit("screen-state", { screenId: "s-1" });
    expect(heard).toEqual(["first", "third s-1"]);
    expect(logged).toMatchObject([{ event: "screen-state", err: { message: "a feature's bug" } }]);
  });

  it("stops calling a listener once it is removed", () => {
    const bus = new EventBus({ error: () => undefined });
    let n = 0;
    const off = bus.on("release", () => n++);
    bus.emit("release", {
      release: { id: 1, createdAt: 0, createdBy: "t", note: "", rollbackOf: null, content: {} as never },
    });
    off();
    bus.emit("release", {
      release: { id: 2, createdAt: 0, createdBy: "t", note: "", rollbackOf: null, content: {} as never },
    });
    expect(n).toBe(1);
  });
});
