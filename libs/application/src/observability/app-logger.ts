import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';
import { redact, redactText } from './redact';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Ids worth a field of their own when a message names them ("account 31000001", "call 7f3a…"). */
const ACCOUNT_ID = /\baccount(?:[ _]?id)?[ :=#]+(\d{3,19})\b/i;
const CALL_ID = /\bcall(?:[ _]?id)?[ :=#]+([A-Za-z0-9_-]*\d[A-Za-z0-9_-]*)\b/i;
const CALL_SID = /\b(CA[0-9a-f]{32})\b/;

export interface LogRecord {
  readonly time: string;
  readonly level: LogLevel;
  readonly context?: string;
  readonly msg: string;
  readonly accountId?: number;
  readonly callId?: string;
  readonly providerCallId?: string;
  readonly [field: string]: unknown;
}

/**
 * One log line as an object: message and fields redacted, account and call ids lifted into fields
 * (from an object message's `accountId`/`callId`, or found in the text).
 */
export function toLogRecord(level: LogLevel, message: unknown, context: string | undefined, extra: readonly unknown[], now: Date): LogRecord {
  const fields: Record<string, unknown> = {};
  let text: string;
  if (message instanceof Error) {
    text = redactText(message.message);
    fields.stack = message.stack ? redactText(message.stack) : undefined;
  } else if (message !== null && typeof message === 'object') {
    const { msg, message: inner, ...rest } = redact(message) as Record<string, unknown>;
    const main = msg ?? inner ?? '';
    text = typeof main === 'string' ? main : JSON.stringify(main);
    Object.assign(fields, rest);
  } else {
    text = redactText(String(message));
  }
  const details: unknown[] = [];
  for (const item of extra) {
    if (typeof item === 'string' && level === 'error' && item.includes('\n    at ')) fields.stack = redactText(item);
    else if (item !== undefined) details.push(redact(item));
  }
  if (details.length > 0) fields.details = details;
  const accountMatch = ACCOUNT_ID.exec(text);
  if (fields.accountId === undefined && accountMatch) fields.accountId = Number(accountMatch[1]);
  const callMatch = CALL_ID.exec(text);
  if (fields.callId === undefined && callMatch) fields.callId = callMatch[1];
  const sidMatch = CALL_SID.exec(text);
  if (fields.providerCallId === undefined && sidMatch) fields.providerCallId = sidMatch[1];
  const record: Record<string, unknown> = { time: now.toISOString(), level, msg: text };
  if (context) record.context = context;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) record[key] = value;
  return record as LogRecord;
}

/** Splits Nest's (message, ...optionalParams) into the extra params and the trailing context string. */
function splitContext(params: unknown[], fallback: string | undefined): { extra: unknown[]; context: string | undefined } {
  if (params.length > 0 && typeof params[params.length - 1] === 'string') {
    return { extra: params.slice(0, -1), context: params[params.length - 1] as string };
  }
  return { extra: params, context: fallback };
}

/** JSON lines on stdout (one object per line), secrets redacted. */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel> = new Set(LEVELS.filter((level) => level !== 'verbose' && level !== 'debug'));

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.emit('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }
  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.levels.has(level)) return;
    const { extra, context } = splitContext(params, undefined);
    this.write(`${JSON.stringify({ ...toLogRecord(level, message, context, extra, this.clock()), pid: process.pid })}\n`);
  }
}

/** Nest's console format, with the same redaction. */
export class RedactingConsoleLogger extends ConsoleLogger {
  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    return super.formatMessage(logLevel, redact(message), pidMessage, formattedLogLevel, contextMessage, timestampDiff);
  }
}

/** The logger an app uses for `LOG_FORMAT` (`json` | `pretty`). */
export function createAppLogger(format: 'json' | 'pretty'): LoggerService {
  return format === 'json' ? new JsonLogger() : new RedactingConsoleLogger();
}
