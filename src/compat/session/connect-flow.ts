import type { Socket } from "node:net";
import {
  IXP_AUTHORIZED,
  IXP_CONNECTED,
  IXP_CONNECTING,
  IXP_FINDINGHOST,
  SMTP_BANNER,
  SMTP_CONNECTED,
  SMTP_CUSTOM,
  SMTP_EHLO,
  SMTP_HELO,
} from "../../imnxport/enums.js";
import {
  IXP_E_CANT_FIND_HOST,
  IXP_E_FAILED_TO_CONNECT,
  IXP_E_SECURE_CONNECT_FAILED,
  IXP_E_SMTP_454_STARTTLS_FAILED,
  IXP_E_SMTP_NO_STARTTLS_SUPPORT,
  S_OK,
} from "../../imnxport/hresults.js";
import { errorCodeOf, type ResolvedAddress } from "../net/connection.js";
import { makeResponse, makeResult } from "../results.js";
import { WSAETIMEDOUT, winsockErrorFor } from "../winsock.js";
import { ehlo, helo, startTls } from "../wire/commands.js";
import type { ReplyLine } from "../wire/reply-parser.js";
import { type ConnectPlan, clientNameFor } from "./connect-plan.js";
import type { Reply, Session } from "./session.js";
import { upgradeToTls } from "./tls-upgrade.js";

/** EHLO replies that mean "EHLO not supported" and allow a HELO retry (RFC 5321 §4.1.4). */
const EHLO_NOT_SUPPORTED = new Set([500, 502, 504]);

/**
 * Connect's asynchronous part: resolve, try each address, read the greeting, EHLO or HELO,
 * then report AUTHORIZED, CONNECTED and SMTP_CONNECTED.
 */
export class ConnectFlow {
  #cancelled = false;
  #ehloLinesSeen = 0;
  #attempt: Socket | null = null;
  /** EHLO keywords of the last EHLO reply, uppercase, with their parameters. */
  readonly capabilities = new Map<string, string>();
  /** The text of each line of the last EHLO reply, for the AUTH mechanism list. */
  readonly ehloLines: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly plan: ConnectPlan,
  ) {}

  /** Report IXP_FINDINGHOST (inside Connect) and start resolving. */
  start(): void {
    this.session.flowActive = true;
    this.session.setStatus(IXP_FINDINGHOST);
    if (this.#cancelled) {
      return;
    }

    this.session.network.resolve(this.plan.host).then(
      (addresses) => this.#tryAddress(addresses, 0, 0),
      (error: unknown) => this.#failToResolve(error),
    );
  }

  /** Abandon the attempt while no socket belongs to the session yet. */
  cancel(): void {
    this.#cancelled = true;
    this.#attempt?.destroy();
    this.#attempt = null;
    this.session.cancelDeadline();
  }

  #failToResolve(error: unknown): void {
    if (this.#cancelled) {
      return;
    }

    const socketError = winsockErrorFor(errorCodeOf(error)) || winsockErrorFor("ENOTFOUND");
    this.session.failBeforeConnect(
      IXP_FINDINGHOST,
      makeResult({ hrResult: IXP_E_CANT_FIND_HOST, dwSocketError: socketError }),
    );
  }

  #tryAddress(addresses: ResolvedAddress[], index: number, lastError: number): void {
    if (this.#cancelled) {
      return;
    }

    const address = addresses[index];
    if (address === undefined) {
      this.#attempt = null;
      this.session.failBeforeConnect(
        IXP_CONNECTING,
        makeResult({ hrResult: IXP_E_FAILED_TO_CONNECT, dwSocketError: lastError }),
      );
      return;
    }

    this.session.setStatus(IXP_CONNECTING);
    if (this.#cancelled) {
      return;
    }

    const socket = this.session.network.openSocket(address, this.plan.port);
    this.#attempt = socket;
    const giveUp = (socketError: number): void => {
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      this.session.onDeadline = null;
      this.session.cancelDeadline();
      this.#tryAddress(addresses, index + 1, socketError);
    };

    socket.once("error", (error) => giveUp(winsockErrorFor(errorCodeOf(error))));
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      this.session.onDeadline = null;
      this.session.cancelDeadline();
      this.#attempt = null;
      this.#onConnected(socket).catch((error: unknown) => this.#failSecuring(error));
    });

    this.session.onDeadline = () => giveUp(WSAETIMEDOUT);
    this.session.armDeadline();
  }

  async #onConnected(socket: Socket): Promise<void> {
    this.session.adopt(socket);
    if (this.plan.tls === "implicit") {
      if (!(await upgradeToTls(this.session, this.plan.host, this.plan.tlsOptions))) {
        return;
      }
    } else {
      this.session.setStatus(IXP_CONNECTED);
    }

    if (this.session.socket === null) {
      return;
    }

    this.session.expectReply({ command: SMTP_BANNER, onReply: (reply) => this.#onGreeting(reply) });
  }

  #onGreeting(reply: Reply): void {
    if (reply.kind === "failure") {
      this.session.failWithQuit(makeResult({ hrResult: reply.hr, reply }));
      return;
    }

    if (this.plan.useEhlo) {
      this.sendEhlo();
      return;
    }

    this.#sendHelo();
  }

  /** Send EHLO; after STARTTLS this is the second EHLO, whose keywords replace the first's. */
  sendEhlo(): void {
    this.capabilities.clear();
    this.ehloLines.length = 0;
    this.#ehloLinesSeen = 0;
    this.session.writeCommand(
      ehlo(clientNameFor(this.plan.clientName, this.plan.useIpForHelo, this.session.socket)),
    );
    this.session.expectReply({
      command: SMTP_EHLO,
      onLine: (line) => this.#recordCapability(line),
      onReply: (reply) => this.#onEhloReply(reply),
    });
  }

  #sendHelo(): void {
    this.session.writeCommand(
      helo(clientNameFor(this.plan.clientName, this.plan.useIpForHelo, this.session.socket)),
    );
    this.session.expectReply({ command: SMTP_HELO, onReply: (reply) => this.#onHeloReply(reply) });
  }

  #onEhloReply(reply: Reply): void {
    if (reply.kind === "success") {
      this.#afterEhlo(reply);
      return;
    }

    if (EHLO_NOT_SUPPORTED.has(reply.code) && !this.plan.ehloRequired) {
      this.capabilities.clear();
      this.#sendHelo();
      return;
    }

    this.session.failWithQuit(makeResult({ hrResult: reply.hr, reply }));
  }

  #onHeloReply(reply: Reply): void {
    if (reply.kind === "success") {
      this.#afterHello(reply);
      return;
    }

    this.session.failWithQuit(makeResult({ hrResult: reply.hr, reply }));
  }

  /** STARTTLS when the TLS mode asks for it and the connection is not secure yet (RFC 3207). */
  #afterEhlo(reply: Reply): void {
    const wantsStartTls = this.plan.tls === "starttls" || this.plan.tls === "opportunistic";
    if (!wantsStartTls || this.session.secure) {
      this.#afterHello(reply);
      return;
    }

    if (this.capabilities.has("STARTTLS")) {
      this.session.writeCommand(startTls());
      this.session.expectReply({
        command: SMTP_CUSTOM,
        onReply: (answer) => {
          this.#onStartTlsReply(answer).catch((error: unknown) => this.#failSecuring(error));
        },
      });
      return;
    }

    if (this.plan.tls === "opportunistic") {
      this.#afterHello(reply);
      return;
    }

    // The server did not offer STARTTLS although TLS is required: stop without QUIT, as OE did.
    this.session.fail(makeResult({ hrResult: IXP_E_SMTP_NO_STARTTLS_SUPPORT, reply }));
  }

  async #onStartTlsReply(reply: Reply): Promise<void> {
    if (reply.kind === "failure") {
      const hrResult = reply.code === 454 ? IXP_E_SMTP_454_STARTTLS_FAILED : reply.hr;
      this.session.failWithQuit(makeResult({ hrResult, reply }));
      return;
    }

    if (reply.code !== 220) {
      this.session.protocolError(reply.text, reply.code);
      return;
    }

    if (await upgradeToTls(this.session, this.plan.host, this.plan.tlsOptions)) {
      this.sendEhlo();
    }
  }

  /** A TLS setup that threw (an unreadable CA certificate, say) ends the session. */
  #failSecuring(error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.session.fail(makeResult({ hrResult: IXP_E_SECURE_CONNECT_FAILED, pszProblem: detail }));
  }

  #afterHello(reply: Reply): void {
    if (this.plan.afterHello !== undefined) {
      this.plan.afterHello(this, reply);
      return;
    }

    this.finish();
  }

  /**
   * Keywords are the first word of each line after the first, matched case-insensitively and
   * never as substrings (RFC 5321 §4.1.1.1).
   */
  #recordCapability(line: ReplyLine): void {
    this.#ehloLinesSeen += 1;
    this.ehloLines.push(line.text);
    if (line.code !== 250 || this.#ehloLinesSeen === 1) {
      return;
    }

    const text = line.text.slice(4).trim();
    const [keyword = "", ...rest] = text.split(/\s+/);
    if (keyword !== "") {
      this.capabilities.set(keyword.toUpperCase(), rest.join(" "));
    }
  }

  /** Without authentication the transport still reports AUTHORIZED, then CONNECTED. */
  finish(): void {
    const session = this.session;
    const socket = session.socket;
    session.setStatus(IXP_AUTHORIZED);
    if (session.socket !== socket) {
      return;
    }

    session.setStatus(IXP_CONNECTED);
    if (session.socket !== socket) {
      return;
    }

    session.flowActive = false;
    session.established = true;
    const result = makeResult({ hrResult: S_OK });
    session.callbacks.response(makeResponse(SMTP_CONNECTED, true, result, session.transport));
  }
}
