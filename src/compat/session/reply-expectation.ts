import { SMTP_NONE, type SMTPCOMMAND } from "../../imnxport/enums.js";
import type { ReplyFacts } from "../results.js";
import { classifyReply } from "../wire/reply-codes.js";
import type { ReplyLine } from "../wire/reply-parser.js";

/** Classify a reply for its command. A 421 may be the reply to any command (RFC 5321 §3.8). */
export function replyKind(
  code: number,
  command: SMTPCOMMAND,
): "success" | "failure" | "unexpected" {
  if (code === 421) {
    return "failure";
  }

  if (command === SMTP_NONE) {
    return code >= 400 ? "failure" : "success";
  }

  return classifyReply(code, command);
}

/** A complete reply, as passed to the flow that sent the command. */
export interface Reply extends ReplyFacts {
  kind: "success" | "failure";
}

/** Handling of the reply to the command just written. */
export interface ReplyExpectation {
  /** Command named in each OnResponse. */
  command: SMTPCOMMAND;
  /** False for replies that are logged through OnCommand but get no OnResponse. */
  report?: boolean;
  /** Minimum seconds to wait, whatever dwTimeout is. */
  minTimeoutSeconds?: number;
  /** Give up at the deadline without asking OnTimeout (the courtesy QUIT after an error). */
  quietTimeout?: boolean;
  /**
   * Called with the complete reply before the OnResponse of its last line, so state the
   * callback relies on (DATA's data mode) is already set when it runs.
   */
  beforeResponse?(reply: Reply): void;
  /** Called after each line's OnResponse, before `onReply` for the last one. */
  onLine?(line: ReplyLine): void;
  /** Called after the OnResponse of the reply's last line. */
  onReply(reply: Reply): void;
}
