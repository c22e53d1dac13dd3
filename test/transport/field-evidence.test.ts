import { describe, expect, it } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import {
  IXP_E_CONNECTION_DROPPED,
  IXP_E_FAILED_TO_CONNECT,
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_REJECTED_SENDER,
} from "../../src/imnxport/hresults.js";
import type { IXPRESULT } from "../../src/imnxport/structs.js";
import { expectScenario, inetServer, runScenario, smtpMessage } from "../support/scenario.js";
import { refusedPort } from "../support/scripted-server.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

/** The SMTP_SEND_MESSAGE result of a scenario, which OE showed in its error dialog. */
function sendResult(responses: readonly { command: number; rIxpResult: IXPRESULT }[]): IXPRESULT {
  const result = responses.find((response) => response.command === SMTP_SEND_MESSAGE)?.rIxpResult;
  if (result === undefined) {
    throw new Error("no SMTP_SEND_MESSAGE response");
  }
  return result;
}

const RECIPIENT = "rcpt@example.org";
const SENDER = "user@example.com";

describe("rejections that OE users saw", () => {
  const cases = [
    {
      id: "B1",
      verb: "RCPT",
      reply: "550 not local host example.org, not a gateway",
      hr: IXP_E_SMTP_REJECTED_RECIPIENTS,
    },
    {
      id: "B3",
      verb: "RCPT",
      reply: "550 5.7.1 <rcpt@example.org>... Relaying denied. Proper authentication required.",
      hr: IXP_E_SMTP_REJECTED_RECIPIENTS,
    },
    {
      id: "B7",
      verb: "RCPT",
      reply: "451 4.3.0 <rcpt@example.org>: Temporary lookup failure",
      hr: IXP_E_SMTP_REJECTED_RECIPIENTS,
    },
    {
      id: "B17",
      verb: "MAIL",
      reply: "505 Authentication required",
      hr: IXP_E_SMTP_REJECTED_SENDER,
    },
    {
      id: "B18",
      verb: "MAIL",
      reply: "451 user@example.com please authenticate before send",
      hr: IXP_E_SMTP_REJECTED_SENDER,
    },
    {
      id: "B19",
      verb: "MAIL",
      reply: "550 5.1.0 Authentication Required",
      hr: IXP_E_SMTP_REJECTED_SENDER,
    },
  ] as const;

  for (const { id, verb, reply, hr } of cases) {
    it(`${id}: ${reply.slice(0, 3)} at ${verb} gives ${nameOf(hr)}`, async () => {
      const run = await runScenario({
        server: { replies: { [verb]: `${reply}\r\n` } },
        message: smtpMessage(SENDER, [RECIPIENT], "Subject: Test\r\n\r\nBody\r\n"),
      });
      const result = sendResult(run.recorder.responses);
      const code = Number(reply.slice(0, 3));

      expect(nameOf(result.hrResult)).toBe(nameOf(hr));
      expect(result.uiServerError).toBe(code);
      expect(result.pszResponse).toBe(reply);
      expect(result.pszProblem).toBe(verb === "RCPT" ? RECIPIENT : null);
      expect(run.connection?.commands).toContain("RSET");
      expect(run.connection?.commands).not.toContain("DATA");
    });
  }

  it("B1 as a golden trace", async () => {
    await expectScenario(
      "rejected-recipient-rset",
      "A rejected recipient stops the message; RSET, then SMTP_SEND_MESSAGE with 0x800CCC79",
      {
        server: {
          replies: {
            RCPT: ["250 2.1.5 Ok\r\n", "550 not local host example.org, not a gateway\r\n"],
          },
        },
        message: smtpMessage(
          SENDER,
          ["first@example.org", RECIPIENT, "third@example.org"],
          "Body\r\n",
        ),
      },
    );
  });
});

describe("connection failures that OE users saw", () => {
  it("B27: 451 after the dot and a close gives 0x800CCC0F with the reply", async () => {
    const reply = "451 See http://pobox.com/~djb/docs/smtplf.html.";
    const run = await expectScenario(
      "dot-451-then-close",
      "The server answers the dot with 451 and closes: the connection is reported dropped",
      {
        server: { replies: { DOT: { write: `${reply}\r\n`, after: "close" } } },
        message: smtpMessage(SENDER, [RECIPIENT], "Forwarded\nwith bare LF\n"),
      },
    );
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_CONNECTION_DROPPED));
    expect(error?.uiServerError).toBe(451);
    expect(error?.pszResponse).toBe(reply);
    expect(run.recorder.responses.some((response) => response.command === SMTP_SEND_MESSAGE)).toBe(
      false,
    );
    expect(run.connection?.bodies[0]?.toString()).toBe("Forwarded\r\nwith bare LF\r\n");
  });

  for (const id of ["B33", "B36"]) {
    it(`${id}: a refused connection gives 0x800CCC0E with socket error 10061`, async () => {
      const port = await refusedPort();
      const transport = createSMTPTransport();
      const recorder = new TraceRecorder(transport);
      transport.InitNew(null, recorder);

      expect(transport.Connect(inetServer(port), false, true)).toBe(0);
      await recorder.disconnected();
      const error = recorder.errors[0];

      expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_FAILED_TO_CONNECT));
      expect(error?.dwSocketError).toBe(10061);
      expect(error?.pszResponse).toBeNull();
      expect(recorder.lines).toEqual([
        "status IXP_FINDINGHOST",
        "status IXP_CONNECTING",
        "error{IXP_CONNECTING, 0x800CCC0E, socket 10061}",
        "status IXP_DISCONNECTED",
      ]);
    });
  }
});
