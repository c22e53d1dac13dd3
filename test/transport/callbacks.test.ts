import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { createSMTPTransport } from "../../src/compat/transport.js";
import { SMTP_CONNECTED, SMTP_SEND_MESSAGE } from "../../src/imnxport/enums.js";
import type { IInternetTransport, ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import type { SMTPRESPONSE } from "../../src/imnxport/structs.js";
import { CLIENT_NAME, inetServer, settle, smtpMessage } from "../support/scenario.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { TraceRecorder } from "../support/trace.js";

/** A recorder whose OnStatus, OnCommand and OnResponse throw after recording. */
class ThrowingRecorder extends TraceRecorder {
  override OnStatus(ixpstatus: number, pTransport: IInternetTransport): number {
    super.OnStatus(ixpstatus, pTransport);
    throw new Error("OnStatus failed");
  }

  override OnCommand(
    cmdtype: number,
    pszLine: string,
    hrResponse: number,
    pTransport: IInternetTransport,
  ): number {
    super.OnCommand(cmdtype, pszLine, hrResponse, pTransport);
    throw new Error("OnCommand failed");
  }

  override OnResponse(pResponse: SMTPRESPONSE): number {
    super.OnResponse(pResponse);
    throw new Error("OnResponse failed");
  }
}

/** A recorder whose OnStatus returns a rejected Promise, as an async callback that fails does. */
class RejectingRecorder extends TraceRecorder {
  override OnStatus(ixpstatus: number, pTransport: IInternetTransport): number {
    super.OnStatus(ixpstatus, pTransport);
    return Promise.reject(new Error("async OnStatus failed")) as unknown as number;
  }
}

let warning: MockInstance<typeof process.emitWarning>;

beforeEach(() => {
  warning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
});

afterEach(() => {
  warning.mockRestore();
});

/** The warning messages emitted so far. */
function warnings(): string[] {
  return warning.mock.calls.map((call) => String(call[0]));
}

/**
 * Run one session whose callback is `recorder`: SendMessage from SMTP_CONNECTED and CommandQUIT
 * from SMTP_SEND_MESSAGE, then resolve with what the server received.
 */
async function runSession(makeRecorder: (transport: ISMTPTransport2) => TraceRecorder) {
  const server = await startScriptedServer({});
  try {
    const transport = createSMTPTransport({ clientName: CLIENT_NAME });
    const recorder = makeRecorder(transport);
    recorder.onResponse = (response) => {
      if (response.command === SMTP_CONNECTED) {
        transport.SendMessage(smtpMessage("a@x.test", ["b@y.test"], "Body\r\n"));
      } else if (response.command === SMTP_SEND_MESSAGE) {
        transport.CommandQUIT();
      }
    };
    transport.InitNew(null, recorder);
    transport.Connect(inetServer(server.port), false, true);
    await recorder.disconnected();
    await settle();
    return { recorder, connection: server.connections[0] };
  } finally {
    await server.close();
  }
}

describe("callbacks that fail", () => {
  it("throwing callbacks warn once each", async () => {
    const { recorder, connection } = await runSession(
      (transport) => new ThrowingRecorder(transport),
    );
    const emitted = warnings();

    expect(emitted).toHaveLength(3);
    expect(emitted.some((text) => text.includes("OnStatus"))).toBe(true);
    expect(emitted.some((text) => text.includes("OnCommand"))).toBe(true);
    expect(emitted.some((text) => text.includes("OnResponse"))).toBe(true);
    expect(connection?.bodies.map((body) => body.toString())).toEqual(["Body\r\n"]);
    expect(connection?.commands.at(-1)).toBe("QUIT");
    expect(recorder.errors).toHaveLength(0);
    expect(recorder.lines.at(-1)).toBe("status IXP_DISCONNECTED");
  });

  it("warnings are per transport", async () => {
    await runSession((transport) => new ThrowingRecorder(transport));
    await runSession((transport) => new ThrowingRecorder(transport));

    expect(warnings()).toHaveLength(6);
  });

  it("rejected Promise warns once", async () => {
    const { connection } = await runSession((transport) => new RejectingRecorder(transport));
    await settle();
    const emitted = warnings();

    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toContain("OnStatus");
    expect(connection?.commands.at(-1)).toBe("QUIT");
  });
});
