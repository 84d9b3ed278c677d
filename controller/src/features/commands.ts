import { randomUUID } from "node:crypto";
import { type CommandName, type CommandPayload, topics } from "@gatecast/playlists";
import type { Context } from "../context.ts";

/** Remote actions on one screen; the screen acks each with `cmd-done`. */
export class Commands {
  constructor(private readonly ctx: Context) {}

  async send(screenId: string, cmd: CommandName): Promise<CommandPayload> {
    const payload: CommandPayload = { id: randomUUID(), cmd, issuedAt: new Date(this.ctx.clock.now()).toISOString() };
    await this.ctx.publish(topics.cmd(screenId), JSON.stringify(payload), { qos: 1 });
    return payload;
  }
}
