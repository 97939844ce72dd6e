// JSON logs (pino). Lines carry projections (ids, names of operations, outcomes), never payloads; as a second
// guard, personal data and secrets are removed by path before a line is written.
import pino, { type Logger } from 'pino';
import { currentCorrelationId } from './request-context';

const SENSITIVE_KEYS = [
  'authorization',
  'Authorization',
  'token',
  'apiToken',
  'merchantApiSecret',
  'callbackSigningSecret',
  'email',
  'Email',
  'phone',
  'Phone',
  'MobileNumber',
  'givenName',
  'familyName',
  'FirstName',
  'LastName',
  'careOf',
  'CareOf',
  'streetAddress',
  'streetAddress2',
  'Street',
  'Street2',
  'nationalIdentificationNumber',
  'organizationIdentificationNumber',
  'PersonalNumber',
  'htmlSnippet',
  'OrderHtmlSnippet',
];

const SECRET_AND_PERSONAL_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'qliro-checkout-adapter' },
      redact: { paths: SECRET_AND_PERSONAL_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every line written while serving a request names that request.
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId === undefined ? {} : { correlationId };
      },
    },
    // Synchronous stdout by default: lines stay in order and none is lost when the process exits after SIGTERM.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

export type { Logger };
