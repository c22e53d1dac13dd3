import { afterEach, describe, expect, it } from "vitest";
import { CLSCTX_INPROC_SERVER, CoCreateInstance } from "../../src/compat/com/class-factory.js";
import { SMTPTransport } from "../../src/compat/transport.js";
import { IXP_SMTP } from "../../src/imnxport/enums.js";
import {
  CLSID_IPOP3Transport,
  CLSID_ISMTPTransport,
  type GUID,
  IID_IInternetTransport,
  IID_ISMTPCallback,
  IID_ISMTPTransport,
  IID_ISMTPTransport2,
  IID_IUnknown,
} from "../../src/imnxport/guids.js";
import {
  CLASS_E_CLASSNOTAVAILABLE,
  CLASS_E_NOAGGREGATION,
  E_NOINTERFACE,
  E_POINTER,
  E_UNEXPECTED,
  IXP_E_NOT_INIT,
  S_FALSE,
  S_OK,
} from "../../src/imnxport/hresults.js";
import type { ISMTPTransport2 } from "../../src/imnxport/interfaces.js";
import { closeSessions, openSession, turns } from "../support/open-session.js";
import { inetServer } from "../support/scenario.js";
import { nameOf, TraceRecorder } from "../support/trace.js";

afterEach(closeSessions);

const TRANSPORT_IIDS: readonly [string, GUID][] = [
  ["IID_IUnknown", IID_IUnknown],
  ["IID_IInternetTransport", IID_IInternetTransport],
  ["IID_ISMTPTransport", IID_ISMTPTransport],
  ["IID_ISMTPTransport2", IID_ISMTPTransport2],
];

/** CoCreateInstance(CLSID_ISMTPTransport, IID_ISMTPTransport2), which must succeed. */
function createTransport(): ISMTPTransport2 {
  const ppv: { value: unknown } = { value: null };
  const hr = CoCreateInstance(
    CLSID_ISMTPTransport,
    null,
    CLSCTX_INPROC_SERVER,
    IID_ISMTPTransport2,
    ppv,
  );
  expect(nameOf(hr)).toBe(nameOf(S_OK));
  return ppv.value as ISMTPTransport2;
}

describe("CoCreateInstance", () => {
  it.each(TRANSPORT_IIDS)("CLSID_ISMTPTransport with %s", (_name, iid) => {
    const ppv: { value: unknown } = { value: null };

    const hr = CoCreateInstance(CLSID_ISMTPTransport, null, CLSCTX_INPROC_SERVER, iid, ppv);

    expect(nameOf(hr)).toBe(nameOf(S_OK));
    expect(ppv.value).toBeInstanceOf(SMTPTransport);
    expect((ppv.value as ISMTPTransport2).GetIXPType()).toBe(IXP_SMTP);
  });

  it("accepts braced lowercase GUIDs", () => {
    const ppv: { value: unknown } = { value: null };
    const clsid = `{${CLSID_ISMTPTransport.toLowerCase()}}`;

    const hr = CoCreateInstance(clsid, null, CLSCTX_INPROC_SERVER, IID_ISMTPTransport, ppv);

    expect(nameOf(hr)).toBe(nameOf(S_OK));
    expect(ppv.value).toBeInstanceOf(SMTPTransport);
  });

  it("creates a new object per call", () => {
    expect(createTransport()).not.toBe(createTransport());
  });

  it("aggregation returns CLASS_E_NOAGGREGATION", () => {
    const ppv: { value: unknown } = { value: "stale" };
    const outer = { QueryInterface: () => E_NOINTERFACE, AddRef: () => 1, Release: () => 0 };

    const hr = CoCreateInstance(
      CLSID_ISMTPTransport,
      outer,
      CLSCTX_INPROC_SERVER,
      IID_IUnknown,
      ppv,
    );

    expect(nameOf(hr)).toBe(nameOf(CLASS_E_NOAGGREGATION));
    expect(ppv.value).toBeNull();
  });

  it("other CLSID returns CLASS_E_CLASSNOTAVAILABLE", () => {
    const ppv: { value: unknown } = { value: "stale" };

    const hr = CoCreateInstance(
      CLSID_IPOP3Transport,
      null,
      CLSCTX_INPROC_SERVER,
      IID_IUnknown,
      ppv,
    );

    expect(nameOf(hr)).toBe(nameOf(CLASS_E_CLASSNOTAVAILABLE));
    expect(ppv.value).toBeNull();
  });

  it("other IID returns E_NOINTERFACE", () => {
    const ppv: { value: unknown } = { value: "stale" };

    const hr = CoCreateInstance(
      CLSID_ISMTPTransport,
      null,
      CLSCTX_INPROC_SERVER,
      IID_ISMTPCallback,
      ppv,
    );

    expect(nameOf(hr)).toBe(nameOf(E_NOINTERFACE));
    expect(ppv.value).toBeNull();
  });

  it("missing ppv returns E_POINTER", () => {
    const missing = null as unknown as { value: unknown };

    const hr = CoCreateInstance(
      CLSID_ISMTPTransport,
      null,
      CLSCTX_INPROC_SERVER,
      IID_IUnknown,
      missing,
    );

    expect(nameOf(hr)).toBe(nameOf(E_POINTER));
  });
});

describe("QueryInterface", () => {
  it.each(TRANSPORT_IIDS)("%s returns the same object", (_name, iid) => {
    const transport = createTransport();
    const ppv: { value: unknown } = { value: null };

    const hr = transport.QueryInterface(iid, ppv);

    expect(nameOf(hr)).toBe(nameOf(S_OK));
    expect(ppv.value).toBe(transport);
    expect(transport.AddRef()).toBe(3);
  });

  it("other IID returns E_NOINTERFACE", () => {
    const transport = createTransport();
    const ppv: { value: unknown } = { value: "stale" };

    const hr = transport.QueryInterface(IID_ISMTPCallback, ppv);

    expect(nameOf(hr)).toBe(nameOf(E_NOINTERFACE));
    expect(ppv.value).toBeNull();
    expect(transport.AddRef()).toBe(2);
  });

  it("missing ppvObject returns E_POINTER", () => {
    const transport = createTransport();

    const hr = transport.QueryInterface(IID_IUnknown, null as unknown as { value: unknown });

    expect(nameOf(hr)).toBe(nameOf(E_POINTER));
  });
});

describe("AddRef and Release", () => {
  it("count starts at 1", () => {
    const transport = createTransport();

    expect(transport.AddRef()).toBe(2);
    expect(transport.Release()).toBe(1);
    expect(transport.Release()).toBe(0);
  });

  it("calls after the final Release are inert", () => {
    const transport = createTransport();
    const recorder = new TraceRecorder(transport);
    expect(transport.InitNew(null, recorder)).toBe(S_OK);

    expect(transport.Release()).toBe(0);

    expect(transport.Release()).toBe(0);
    expect(transport.AddRef()).toBe(0);
    expect(nameOf(transport.InitNew(null, recorder))).toBe(nameOf(E_UNEXPECTED));
    expect(nameOf(transport.Connect(inetServer(25), false, false))).toBe(nameOf(IXP_E_NOT_INIT));
    expect(nameOf(transport.HandsOffCallback())).toBe(nameOf(S_FALSE));
    expect(recorder.lines).toEqual([]);
  });

  it("final Release drops an open connection", async () => {
    const { transport, recorder, connection } = await openSession();
    transport.AddRef();
    const before = recorder.lines.length;

    expect(transport.Release()).toBe(1);
    expect(recorder.lines.length).toBe(before);

    expect(recorder.call("Release()", () => transport.Release())).toBe(0);
    await turns();

    // The trace prints Release's count of 0 as S_OK.
    expect(recorder.lines.slice(before)).toEqual([
      "Release() → S_OK",
      "  status IXP_DISCONNECTED (sync)",
    ]);
    expect(connection.commands).not.toContain("QUIT");
    await expect.poll(() => connection.closed).toBe(true);
  });

  it("no callback after the final Release", async () => {
    const { transport, recorder, connection } = await openSession();
    transport.Release();
    const after = recorder.lines.length;

    await connection.push("250 late reply\r\n").catch(() => undefined);
    await turns();

    expect(recorder.lines.length).toBe(after);
    expect(nameOf(transport.CommandRSET())).toBe(nameOf(IXP_E_NOT_INIT));
  });
});
