import { describe, expect, it } from "vitest";
import { createSMTPTransport, type SMTPTransport } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_CUSTOM } from "../../src/imnxport/enums.js";
import { E_INVALIDARG, IXP_E_NOT_CONNECTED, S_OK } from "../../src/imnxport/hresults.js";
import { expectScenario } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

describe("extension commands", () => {
  it("NOOP and VRFY are reported as SMTP_CUSTOM", async () => {
    const run = await expectScenario(
      "custom-command-noop-vrfy",
      "sendCommand, outside the IDL: NOOP, then VRFY from NOOP's response, each reply as SMTP_CUSTOM",
      {
        message: null,
        quit: false,
        server: { replies: { OTHER: "252 2.0.0 Cannot VRFY user, but will accept message\r\n" } },
        setup(recorder, transport) {
          const custom = transport as SMTPTransport;
          let step = 0;
          recorder.onResponse = (response) => {
            if (response.command === SMTP_CONNECTED) {
              recorder.call('sendCommand("NOOP")', () => custom.sendCommand("NOOP"));
            } else if (response.command === SMTP_CUSTOM && response.fDone) {
              step += 1;
              if (step === 1) {
                recorder.call('sendCommand("VRFY postmaster")', () =>
                  custom.sendCommand("VRFY postmaster"),
                );
              } else {
                recorder.call("CommandQUIT()", () => transport.CommandQUIT());
              }
            }
          };
        },
      },
    );
    const custom = run.recorder.responses.filter((response) => response.command === SMTP_CUSTOM);

    expect(custom.map((response) => response.rIxpResult.uiServerError)).toEqual([250, 252]);
    expect(run.connection?.commands).toEqual([
      "HELO client.example.org",
      "NOOP",
      "VRFY postmaster",
      "QUIT",
    ]);
  });

  it("rejects other verbs and control characters", () => {
    const transport = createSMTPTransport() as SMTPTransport;

    for (const command of [
      "",
      "DATA",
      "MAIL FROM:<a@x>",
      "NOOP\r\nMAIL FROM:<a@x>",
      "VRFY a\u0000b",
      "NOOP é",
    ]) {
      expect(nameOf(transport.sendCommand(command))).toBe(nameOf(E_INVALIDARG));
    }
    expect(nameOf(transport.sendCommand("NOOP"))).not.toBe(nameOf(S_OK));
  });

  it("needs a connection", () => {
    const transport = createSMTPTransport() as SMTPTransport;
    transport.InitNew(null, { OnResponse: () => 0 } as never);

    expect(nameOf(transport.sendCommand("NOOP"))).toBe(nameOf(IXP_E_NOT_CONNECTED));
  });
});
