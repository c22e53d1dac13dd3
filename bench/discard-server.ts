/**
 * The fallback sink when Postfix's smtp-sink is not installed: smtp-server from npm on
 * 127.0.0.1, discarding every message. It prints "listening" once ready and then
 * `mesg=N` after each message, the counter format of `smtp-sink -c`.
 *
 * Usage: node discard-server.js PORT [--no-pipelining]
 */
import { SMTPServer } from "smtp-server";

const port = Number.parseInt(process.argv[2] ?? "", 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`Invalid port ${JSON.stringify(process.argv[2])}; pass 1 to 65535\n`);
  process.exit(2);
}

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  hideSTARTTLS: true,
  hidePIPELINING: process.argv.includes("--no-pipelining"),
  logger: false,
  maxClients: 64,
  onData(stream, _session, callback) {
    stream.resume();
    stream.once("end", () => {
      received += 1;
      process.stdout.write(`mesg=${received}\r`);
      callback();
    });
  },
});

server.on("error", (error) => {
  process.stderr.write(`smtp-server error: ${error.message}\n`);
});
server.listen(port, "127.0.0.1", () => process.stdout.write("listening\n"));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
