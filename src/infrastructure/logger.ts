// JSON logs (pino). Personal data and secrets are removed by path before a line is written.
import pino, { type Logger } from 'pino';

const SECRET_AND_PERSONAL_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.authorization',
  '*.token',
  '*.email',
  '*.phone',
  '*.htmlSnippet',
  '*.OrderHtmlSnippet',
  '*.merchantApiSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'qliro-checkout-adapter' },
      redact: { paths: SECRET_AND_PERSONAL_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export type { Logger };
