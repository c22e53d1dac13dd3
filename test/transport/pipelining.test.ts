import { describe, expect, it } from "vitest";
import { SMTP_RCPT, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import {
  IXP_E_SMTP_REJECTED_RECIPIENTS,
  IXP_E_SMTP_UNKNOWN_RESPONSE_CODE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import { expectScenario, runScenario, smtpMessage } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

const QUERY_FLAGS = { dwFlags: 0x10 };
const RECIPIENTS = ["one@example.org", "two@example.org", "three@example.org"];

describe("PIPELINING", () => {
  it("sends MAIL and every RCPT together", async () => {
    const run = await expectScenario(
      "pipelining-envelope",
      "With pipelining on and PIPELINING listed, MAIL and the RCPTs go out together; one response per reply, in order",
      {
        serverFields: QUERY_FLAGS,
        transportOptions: { pipelining: true },
        message: smtpMessage("a@example.com", RECIPIENTS, "Body\r\n"),
      },
    );
    const received = run.connection?.received.toString("latin1") ?? "";
    const envelope =
      "MAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\nRCPT TO:<two@example.org>\r\nRCPT TO:<three@example.org>\r\n";

    expect(received).toContain(envelope);
    expect(
      run.recorder.responses.filter((response) => response.command === SMTP_RCPT),
    ).toHaveLength(3);
    expect(
      run.recorder.responses.find((response) => response.command === SMTP_SEND_MESSAGE)?.rIxpResult
        .hrResult,
    ).toBe(S_OK);
  });

  it("is off by default", async () => {
    const run = await runScenario({
      serverFields: QUERY_FLAGS,
      message: smtpMessage("a@example.com", RECIPIENTS, "Body\r\n"),
    });
    const transcript = run.connection?.transcript ?? [];

    expect(transcript.slice(6, 10)).toEqual([
      "C: MAIL FROM:<a@example.com>",
      "S: 250 2.1.0 Ok",
      "C: RCPT TO:<one@example.org>",
      "S: 250 2.1.5 Ok",
    ]);
  });

  it("reads every reply before RSET", async () => {
    const run = await runScenario({
      serverFields: QUERY_FLAGS,
      transportOptions: { pipelining: true },
      message: smtpMessage("a@example.com", RECIPIENTS, "Body\r\n"),
      server: {
        replies: {
          RCPT: ["250 2.1.5 Ok\r\n", "550 5.1.1 <two@example.org> unknown\r\n", "250 2.1.5 Ok\r\n"],
        },
      },
    });
    const result = run.recorder.responses.find(
      (response) => response.command === SMTP_SEND_MESSAGE,
    )?.rIxpResult;

    expect(nameOf(result?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_REJECTED_RECIPIENTS));
    expect(result?.pszProblem).toBe("two@example.org");
    expect(
      run.recorder.responses.filter((response) => response.command === SMTP_RCPT),
    ).toHaveLength(3);
    expect(run.connection?.commands.slice(-2)).toEqual(["RSET", "QUIT"]);
    expect(run.connection?.commands).not.toContain("DATA");
  });

  it("an extra reply is a protocol error", async () => {
    const run = await runScenario({
      serverFields: QUERY_FLAGS,
      transportOptions: { pipelining: true },
      message: smtpMessage("a@example.com", ["one@example.org"], "Body\r\n"),
      server: { replies: { RCPT: "250 2.1.5 Ok\r\n250 2.1.5 Ok again\r\n" } },
    });

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(run.recorder.errors[0]?.hrResult ?? 0)).toBe(
      nameOf(IXP_E_SMTP_UNKNOWN_RESPONSE_CODE),
    );
    expect(run.connection?.commands).not.toContain("DATA");
  });

  it("needs PIPELINING in the EHLO reply", async () => {
    const run = await runScenario({
      serverFields: QUERY_FLAGS,
      transportOptions: { pipelining: true },
      message: smtpMessage("a@example.com", RECIPIENTS, "Body\r\n"),
      server: { ehloCapabilities: ["mail.test", "SIZE 1000"] },
    });

    const transcript = run.connection?.transcript ?? [];
    const mail = transcript.indexOf("C: MAIL FROM:<a@example.com>");

    expect(mail).toBeGreaterThan(0);
    expect(transcript[mail + 1]).toBe("S: 250 2.1.0 Ok");
  });
});
