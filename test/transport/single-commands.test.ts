import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BufferStream } from "../../src/compat/com/buffer-stream.js";
import {
  ADDR_DSN_DELAY,
  ADDR_DSN_FAILURE,
  ADDR_DSN_NEVER,
  ADDR_DSN_SUCCESS,
  SMTP_CONNECTED,
  SMTP_DOT,
  SMTP_MAIL,
  SMTP_QUIT,
  SMTP_RSET,
  SMTP_SEND_STREAM,
} from "../../src/imnxport/enums.js";
import {
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SOCKET_READ_ERROR,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { expectScenario, runScenario, type ScenarioOptions } from "../support/scenario.js";
import type { ScriptedServerOptions } from "../support/scripted-server.js";
import { nameOf } from "../support/trace.js";

/** A transport call made from inside a callback, with the label the trace shows. */
type Step = [label: string, invoke: (transport: ISMTPTransport2) => number];

/**
 * Scenario options that run `steps` one after the other, each from inside the fDone-TRUE
 * OnResponse that completes the one before (the first from SMTP_CONNECTED), then CommandQUIT.
 */
function commandScript(
  steps: readonly Step[],
  server: ScriptedServerOptions = {},
  quit = true,
): ScenarioOptions {
  return {
    server,
    message: null,
    quit: false,
    setup(recorder, transport) {
      const queue = [...steps];
      if (quit) {
        queue.push(["CommandQUIT()", (t) => t.CommandQUIT()]);
      }

      let connected = false;
      recorder.onResponse = (response: SMTPRESPONSE) => {
        connected ||= response.command === SMTP_CONNECTED;
        if (
          !connected ||
          !response.fDone ||
          response.command === SMTP_SEND_STREAM ||
          response.command === SMTP_QUIT
        ) {
          return;
        }

        const step = queue.shift();
        if (step !== undefined) {
          recorder.call(step[0], () => step[1](transport));
        }
      };
    },
  };
}

describe("single commands", () => {
  it("CommandMAIL without brackets", async () => {
    const run = await expectScenario(
      "command-mail",
      "CommandMAIL from SMTP_CONNECTED: one SMTP_MAIL response, then QUIT",
      commandScript([["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")]]),
    );

    expect(run.connection?.commands).toContain("MAIL FROM:<a@x.test>");
  });

  it("CommandMAIL with brackets", async () => {
    const run = await runScenario(
      commandScript([["CommandMAIL(<a@x.test>)", (t) => t.CommandMAIL("<a@x.test>")]]),
    );

    expect(run.connection?.commands).toContain("MAIL FROM:<a@x.test>");
    expect(run.recorder.lines).toContain("CommandMAIL(<a@x.test>) → S_OK");
  });

  it("CommandRCPT writes RCPT TO", async () => {
    const run = await expectScenario(
      "command-rcpt",
      "CommandRCPT from SMTP_CONNECTED: one SMTP_RCPT response, then QUIT",
      commandScript([["CommandRCPT(<b@y.test>)", (t) => t.CommandRCPT("<b@y.test>")]]),
    );

    expect(run.connection?.commands).toContain("RCPT TO:<b@y.test>");
  });

  it("CommandRCPT2 writes NOTIFY", async () => {
    const run = await runScenario(
      commandScript([
        [
          "CommandRCPT2(success|failure|delay)",
          (t) => t.CommandRCPT2("b@y.test", ADDR_DSN_SUCCESS | ADDR_DSN_FAILURE | ADDR_DSN_DELAY),
        ],
        [
          "CommandRCPT2(delay|success)",
          (t) => t.CommandRCPT2("c@y.test", ADDR_DSN_DELAY | ADDR_DSN_SUCCESS),
        ],
        [
          "CommandRCPT2(never)",
          (t) => t.CommandRCPT2("d@y.test", ADDR_DSN_NEVER | ADDR_DSN_SUCCESS),
        ],
        ["CommandRCPT2(0)", (t) => t.CommandRCPT2("e@y.test", 0)],
      ]),
    );

    expect(run.connection?.commands.slice(1, 5)).toEqual([
      "RCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE,DELAY",
      "RCPT TO:<c@y.test> NOTIFY=SUCCESS,DELAY",
      "RCPT TO:<d@y.test> NOTIFY=NEVER",
      "RCPT TO:<e@y.test>",
    ]);
  });

  it("CommandEHLO and CommandHELO", async () => {
    const run = await expectScenario(
      "command-ehlo-helo",
      "CommandEHLO, then CommandHELO: one response per reply line, with fDone on the last",
      commandScript([
        ["CommandEHLO()", (t) => t.CommandEHLO()],
        ["CommandHELO()", (t) => t.CommandHELO()],
      ]),
    );

    expect(run.connection?.commands.slice(1, 3)).toEqual([
      "EHLO client.example.org",
      "HELO client.example.org",
    ]);
  });

  it("CommandRSET writes RSET", async () => {
    const run = await runScenario(commandScript([["CommandRSET()", (t) => t.CommandRSET()]]));
    const reset = run.recorder.responses.find((response) => response.command === SMTP_RSET);

    expect(run.connection?.commands).toContain("RSET");
    expect(reset?.fDone).toBe(true);
    expect(reset?.rIxpResult.uiServerError).toBe(250);
  });

  it("CommandDATA then SendDataStream", async () => {
    const run = await expectScenario(
      "command-data-send-data-stream",
      "CommandDATA, then SendDataStream from SMTP_DATA: progress, the transport's own dot, SMTP_DOT",
      commandScript([
        ["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")],
        ["CommandRCPT(b@y.test)", (t) => t.CommandRCPT("b@y.test")],
        ["CommandDATA()", (t) => t.CommandDATA()],
        [
          "SendDataStream(stream, 0)",
          (t) => t.SendDataStream(new BufferStream(".dot\nline\r\n"), 0),
        ],
      ]),
    );

    expect(run.connection?.bodies[0]?.toString()).toBe("..dot\r\nline\r\n");
    expect(run.recorder.responses.filter((response) => response.command === SMTP_DOT)).toHaveLength(
      1,
    );
  });

  it("SendDataStream reads Node Readable", async () => {
    const run = await runScenario(
      commandScript([
        ["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")],
        ["CommandRCPT(b@y.test)", (t) => t.CommandRCPT("b@y.test")],
        ["CommandDATA()", (t) => t.CommandDATA()],
        [
          "SendDataStream(readable, 0)",
          (t) => t.SendDataStream(Readable.from([Buffer.from("one\r\n"), Buffer.from("two")]), 0),
        ],
      ]),
    );

    expect(run.connection?.bodies[0]?.toString()).toBe("one\r\ntwo\r\n");
    expect(run.recorder.errors).toHaveLength(0);
    expect(run.recorder.lines).toContain("R{SMTP_SEND_STREAM, TRUE, S_OK, stream 8/8/8}");
  });

  it("SendDataStream read failure drops", async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error("disk read failed"));
      },
    });
    const run = await runScenario(
      commandScript(
        [
          ["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")],
          ["CommandRCPT(b@y.test)", (t) => t.CommandRCPT("b@y.test")],
          ["CommandDATA()", (t) => t.CommandDATA()],
          ["SendDataStream(failing, 0)", (t) => t.SendDataStream(failing, 0)],
        ],
        {},
        false,
      ),
    );
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SOCKET_READ_ERROR));
    expect(error?.pszProblem).toContain("disk read failed");
    expect(run.connection?.transcript).not.toContain("C: .");
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("CommandDOT with empty body", async () => {
    const run = await expectScenario(
      "command-data-dot-empty",
      "CommandDATA, then CommandDOT at once: an empty message ends with SMTP_DOT",
      commandScript([
        ["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")],
        ["CommandRCPT(b@y.test)", (t) => t.CommandRCPT("b@y.test")],
        ["CommandDATA()", (t) => t.CommandDATA()],
        ["CommandDOT()", (t) => t.CommandDOT()],
      ]),
    );

    expect(run.connection?.bodies).toEqual([Buffer.alloc(0)]);
  });

  it("CommandQUIT from SMTP_CONNECTED", async () => {
    const run = await runScenario(commandScript([]));

    expect(run.connection?.commands).toEqual(["HELO client.example.org", "QUIT"]);
    expect(run.recorder.lines.slice(-6)).toEqual([
      "CommandQUIT() → S_OK",
      "  status IXP_DISCONNECTING (sync)",
      '  send "QUIT\\r\\n" (sync)',
      'resp "221 2.0.0 Bye" 0x000CCC73',
      'R{SMTP_QUIT, TRUE, 0x000CCC73, 221, "221 2.0.0 Bye"}',
      "status IXP_DISCONNECTED",
    ]);
  });

  it("multi-line reply to MAIL", async () => {
    const run = await runScenario(
      commandScript([["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")]], {
        replies: { MAIL: "250-2.1.0 first\r\n250-2.1.0 second\r\n250 2.1.0 Ok\r\n" },
      }),
    );
    const mail = run.recorder.responses.filter((response) => response.command === SMTP_MAIL);

    expect(mail.map((response) => response.fDone)).toEqual([false, false, true]);
    expect(mail.map((response) => response.rIxpResult.pszResponse)).toEqual([
      "250-2.1.0 first",
      "250-2.1.0 second",
      "250 2.1.0 Ok",
    ]);
    expect(run.connection?.commands.at(-1)).toBe("QUIT");
  });

  it("421 to single command disconnects", async () => {
    const run = await expectScenario(
      "command-mail-421",
      "A 421 answers CommandMAIL: its SMTP_MAIL response, then disconnected without OnError",
      commandScript([["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")]], {
        replies: { MAIL: { write: "421 4.3.2 Shutting down\r\n", after: "close" } },
      }),
    );
    const mail = run.recorder.responses.find((response) => response.command === SMTP_MAIL);

    expect(nameOf(mail?.rIxpResult.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_421_NOT_AVAILABLE));
    expect(run.recorder.errors).toHaveLength(0);
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("ready inside fDone response", async () => {
    const results: number[] = [];
    const run = await runScenario(
      commandScript([
        ["CommandMAIL(a@x.test)", (t) => t.CommandMAIL("a@x.test")],
        [
          "CommandRSET()",
          (t) => {
            const hr = t.CommandRSET();
            results.push(hr);
            return hr;
          },
        ],
      ]),
    );

    expect(results).toEqual([S_OK]);
    expect(run.connection?.commands).toEqual([
      "HELO client.example.org",
      "MAIL FROM:<a@x.test>",
      "RSET",
      "QUIT",
    ]);
  });
});
