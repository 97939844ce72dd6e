// Injection tokens for application services that are not ports.
import type { InjectionToken } from 'tsyringe';
import type { CallbackTokens } from './callback-urls';

export const CallbackTokensToken: InjectionToken<CallbackTokens> = Symbol('CallbackTokens');
