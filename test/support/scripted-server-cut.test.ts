import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedServer } from "./scripted-server.js";

const servers: ScriptedServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** What a bare client read before the connection ended, and whether it was reset. */
interface ReadUntilEnd {
  received: string;
  reset: boolean;
}

/** Connects, writes the next of `lines` after each chunk received, and reads until the end. */
function readUntilEnd(port: number, lines: readonly string[] = []): Promise<ReadUntilEnd> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const queue = [...lines];
    let received = "";
    let reset = false;
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const next = queue.shift();
      if (next !== undefined) {
        socket.write(next);
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      reset = error.code === "ECONNRESET";
    });
    socket.on("close", () => resolve({ received, reset }));
  });
}

describe("scripted server cuts", () => {
  it("cuts the greeting after 7 bytes", async () => {
    const server = await startScriptedServer({ cutAfterBytes: { bytes: 7, after: "close" } });
    servers.push(server);
    const result = await readUntilEnd(server.port);
    const connection = await server.waitForClose();

    expect(result).toEqual({ received: "220 mai", reset: false });
    expect(connection.sent.toString("latin1")).toBe("220 mai");
    expect(connection.transcript).toEqual(["S: 220 mai", "S: <close>", "C: <close>"]);
  });

  it("cuts across replies with a reset", async () => {
    const server = await startScriptedServer({ cutAfterBytes: { bytes: 32, after: "reset" } });
    servers.push(server);
    const result = await readUntilEnd(server.port, ["HELO client.test\r\n"]);

    expect(result).toEqual({ received: "220 mail.test ESMTP ready\r\n250 m", reset: true });
  });

  it("cut at 0 sends nothing", async () => {
    const server = await startScriptedServer({ cutAfterBytes: { bytes: 0, after: "close" } });
    servers.push(server);
    const result = await readUntilEnd(server.port);

    expect(result).toEqual({ received: "", reset: false });
  });

  it("setOptions applies to later connections", async () => {
    const server = await startScriptedServer({ greeting: "220 first\r\n" });
    servers.push(server);
    const socket = net.connect({ host: "127.0.0.1", port: server.port });
    const first = await server.waitForConnection();
    server.setOptions({ greeting: "220 second\r\n", cutAfterBytes: { bytes: 12, after: "close" } });
    const second = await readUntilEnd(server.port);
    socket.destroy();

    expect(first.sent.toString("latin1")).toBe("220 first\r\n");
    expect(second.received).toBe("220 second\r\n");
  });

  it("rejects a negative cut", async () => {
    await expect(
      startScriptedServer({ cutAfterBytes: { bytes: -1, after: "close" } }),
    ).rejects.toThrow(RangeError);
  });
});
