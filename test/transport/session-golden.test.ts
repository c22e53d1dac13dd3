import { describe, expect, it } from "vitest";
import { expectScenario } from "../support/scenario.js";

describe("complete session", () => {
  it("HELO, one message, QUIT", async () => {
    const run = await expectScenario(
      "session-helo-message-quit",
      "Connect, SendMessage from SMTP_CONNECTED, CommandQUIT from SMTP_SEND_MESSAGE",
    );

    expect(run.connection?.bodies[0]?.toString()).toBe("Hello.\r\n");
  });
});
