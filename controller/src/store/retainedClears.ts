import { type Db, prepare } from "./db.ts";

/** Retained MQTT topics waiting for the controller to clear them (an outbox, kept across restarts). */
export class RetainedClears {
  constructor(private readonly db: Db) {}

  add(topic: string, now: number): void {
    prepare(this.db, "INSERT OR IGNORE INTO retained_clears (topic, since) VALUES (?, ?)").run(topic, now);
  }

  pending(): string[] {
    return (
      prepare(this.db, "SELECT topic FROM retained_clears ORDER BY since, topic").all() as { topic: string }[]
    ).map((r) => r.topic);
  }

  done(topic: string): void {
    prepare(this.db, "DELETE FROM retained_clears WHERE topic = ?").run(topic);
  }
}
