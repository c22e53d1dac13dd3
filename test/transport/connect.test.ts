import { describe, expect, it } from "vitest";
import { ISF_QUERYAUTHSUPPORT, ISF_QUERYDSNSUPPORT } from "../../src/imnxport/constants.js";
import { SMTP_BANNER, SMTP_CONNECTED, SMTP_EHLO } from "../../src/imnxport/enums.js";
import {
  IXP_E_SMTP_421_NOT_AVAILABLE,
  IXP_E_SMTP_550_MAILBOX_NOT_FOUND,
  IXP_E_SMTP_554_TRANSACT_FAILED,
} from "../../src/imnxport/hresults.js";
import { expectScenario, runScenario } from "../support/scenario.js";
import { nameOf } from "../support/trace.js";

const EHLO_LINES = ["mail.test", "PIPELINING", "SIZE 10240000", "DSN"];

describe("greeting and EHLO", () => {
  for (const [name, flag] of [
    ["ISF_QUERYAUTHSUPPORT", ISF_QUERYAUTHSUPPORT],
    ["ISF_QUERYDSNSUPPORT", ISF_QUERYDSNSUPPORT],
  ] as const) {
    it(`${name} chooses EHLO`, async () => {
      const run = await runScenario({
        server: { ehloCapabilities: EHLO_LINES },
        serverFields: { dwFlags: flag },
        message: null,
      });
      const ehloResponses = run.recorder.responses.filter(
        (response) => response.command === SMTP_EHLO,
      );

      expect(run.connection?.commands[0]).toBe("EHLO client.example.org");
      expect(ehloResponses.map((response) => response.fDone)).toEqual([false, false, false, true]);
      expect(ehloResponses.map((response) => response.rIxpResult.pszResponse)).toEqual([
        "250-mail.test",
        "250-PIPELINING",
        "250-SIZE 10240000",
        "250 DSN",
      ]);
    });
  }

  it("multi-line EHLO reply golden", async () => {
    await expectScenario(
      "connect-ehlo-multiline",
      "ISF_QUERYAUTHSUPPORT sends EHLO; one SMTP_EHLO response per reply line",
      {
        server: { ehloCapabilities: EHLO_LINES },
        serverFields: { dwFlags: ISF_QUERYAUTHSUPPORT },
        message: null,
      },
    );
  });

  it("EHLO 502 falls back to HELO", async () => {
    const run = await expectScenario(
      "connect-ehlo-502-helo",
      "EHLO answered 502: the transport retries with HELO and connects",
      {
        server: { replies: { EHLO: "502 5.5.2 Error: command not recognized\r\n" } },
        serverFields: { dwFlags: ISF_QUERYAUTHSUPPORT },
        message: null,
      },
    );

    expect(run.connection?.commands.slice(0, 2)).toEqual([
      "EHLO client.example.org",
      "HELO client.example.org",
    ]);
    expect(run.recorder.errors).toHaveLength(0);
    expect(run.recorder.responses.some((response) => response.command === SMTP_CONNECTED)).toBe(
      true,
    );
  });

  it("EHLO 550 fails with QUIT", async () => {
    const run = await expectScenario(
      "connect-ehlo-550",
      "EHLO answered 550: OnError with the reply, courtesy QUIT, disconnected",
      {
        server: { replies: { EHLO: "550 5.7.1 Go away\r\n" } },
        serverFields: { dwFlags: ISF_QUERYDSNSUPPORT },
        message: null,
      },
    );
    const error = run.recorder.errors[0];

    expect(run.recorder.errors).toHaveLength(1);
    expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(IXP_E_SMTP_550_MAILBOX_NOT_FOUND));
    expect(error?.uiServerError).toBe(550);
    expect(error?.pszResponse).toBe("550 5.7.1 Go away");
    expect(run.connection?.commands).toEqual(["EHLO client.example.org", "QUIT"]);
    expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("HELO failure fails with QUIT", async () => {
    const run = await expectScenario(
      "connect-helo-501",
      "HELO answered 501: OnError with the reply, courtesy QUIT, disconnected",
      {
        server: { replies: { HELO: "501 5.5.4 Bad HELO name\r\n" } },
        message: null,
      },
    );

    expect(run.recorder.errors).toHaveLength(1);
    expect(run.recorder.errors[0]?.uiServerError).toBe(501);
    expect(run.connection?.commands).toEqual(["HELO client.example.org", "QUIT"]);
    expect(run.recorder.responses.some((response) => response.command === SMTP_CONNECTED)).toBe(
      false,
    );
  });
});

describe("banner", () => {
  it("multi-line banner reports each line", async () => {
    const run = await expectScenario(
      "connect-banner-multiline",
      "A three-line greeting gives one SMTP_BANNER response per line",
      {
        server: {
          greeting: "220-mail.test first line\r\n220-second line\r\n220 mail.test ready\r\n",
        },
        message: null,
      },
    );
    const banners = run.recorder.responses.filter((response) => response.command === SMTP_BANNER);

    expect(banners.map((response) => response.fDone)).toEqual([false, false, true]);
    expect(banners.map((response) => response.rIxpResult.uiServerError)).toEqual([220, 220, 220]);
  });

  for (const [code, hr] of [
    [554, IXP_E_SMTP_554_TRANSACT_FAILED],
    [421, IXP_E_SMTP_421_NOT_AVAILABLE],
  ] as const) {
    it(`banner ${code} fails the connect`, async () => {
      const line = `${code} mail.test service not available`;
      const run = await expectScenario(
        `connect-banner-${code}`,
        `A ${code} greeting: SMTP_BANNER with the failure, OnError, QUIT, disconnected`,
        {
          server: { greeting: `${line}\r\n` },
          message: null,
        },
      );
      const banner = run.recorder.responses.find((response) => response.command === SMTP_BANNER);
      const error = run.recorder.errors[0];

      expect(nameOf(banner?.rIxpResult.hrResult ?? 0)).toBe(nameOf(hr));
      expect(run.recorder.errors).toHaveLength(1);
      expect(nameOf(error?.hrResult ?? 0)).toBe(nameOf(hr));
      expect(error?.uiServerError).toBe(code);
      expect(error?.pszResponse).toBe(line);
      expect(run.connection?.commands).toEqual(["QUIT"]);
      expect(run.recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
    });
  }

  it("byte-split greeting gives same trace", async () => {
    const server = { ehloCapabilities: EHLO_LINES, greeting: "220-mail.test\r\n220 ready\r\n" };
    const whole = await runScenario({ server, serverFields: { dwFlags: ISF_QUERYAUTHSUPPORT } });
    const split = await runScenario({
      server: { ...server, split: "bytes" },
      serverFields: { dwFlags: ISF_QUERYAUTHSUPPORT },
    });

    expect(split.recorder.lines).toEqual(whole.recorder.lines);
    expect(split.connection?.bodies).toEqual(whole.connection?.bodies);
  });
});
