/** Exit code of a run that did what it was asked. */
export const EXIT_OK = 0;
/** Exit code of a run whose SMTP session, check or lookup failed. */
export const EXIT_FAILURE = 1;
/** Exit code of a run with invalid arguments. */
export const EXIT_USAGE = 2;

export const USAGE = `usage: imnxport <command> [options]

Commands:
  demo                      send a message to a built-in SMTP server on 127.0.0.1 and print
                            every callback of the session
  send [options] FILE.eml   send a message file through ISMTPTransport
  explain CODE              explain an HRESULT given as a value (0x800CCC79) or a name
                            (IXP_E_SMTP_REJECTED_RECIPIENTS)
  help                      print this help

Options of send:
  --server HOST[:PORT]      SMTP server; the port is 25 by default, 465 with --tls
  --from ADDRESS            envelope sender (MAIL FROM)
  --to ADDRESS              envelope recipient (RCPT TO); repeat it for each recipient
  --starttls                require STARTTLS (RFC 3207) before sending
  --tls                     connect with TLS from the start (implicit TLS)
  --ca FILE                 trust the PEM certificates in FILE instead of Node's bundled roots
  --user NAME               log on with SMTP AUTH as NAME; the password is read from the
                            IMNXPORT_PASSWORD environment variable. Credentials cross only
                            TLS or a loopback connection
  --timeout SECONDS         wait at most SECONDS for the connection and each reply (default 60)
  --client-name NAME        name sent with HELO or EHLO
  --trace                   print every callback on standard output
  --log FILE                append the protocol log to FILE (InitNew's log file)

Exit codes: 0 success, 1 the command failed, 2 invalid arguments.
`;

/** Invalid command-line arguments: reported in one line with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
