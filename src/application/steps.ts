// Sequential use-case code that still returns TaskEither: `await step(te)` unwraps or short-circuits with the Left.
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../domain/errors';

class StepFailed {
  constructor(readonly error: AdapterError) {}
}

/** The Right value of `task`, or leave the enclosing `steps` block with its Left. */
export async function step<A>(task: TaskEither<AdapterError, A>): Promise<A> {
  const result = await task();
  if (E.isLeft(result)) throw new StepFailed(result.left);
  return result.right;
}

/** Leave the enclosing `steps` block with this error. */
export function fail(error: AdapterError): never {
  throw new StepFailed(error);
}

/** Runs a block of `step`s as one TaskEither; exceptions that are not step failures stay exceptions (bugs → 500). */
export function steps<A>(body: () => Promise<A>): TaskEither<AdapterError, A> {
  return async () => {
    try {
      return E.right(await body());
    } catch (e) {
      if (e instanceof StepFailed) return E.left(e.error);
      throw e;
    }
  };
}

/**
 * Runs `task` again (re-reading everything it reads) when Norce answered 409 Conflict: another writer changed the
 * order between our read and our write (B39). Bounded: after the last attempt the conflict is the caller's answer.
 */
export function retryOnConflict<A>(task: TaskEither<AdapterError, A>, attempts = 3, backoffMs = 25): TaskEither<AdapterError, A> {
  return async () => {
    let result = await task();
    for (let i = 1; i < attempts && E.isLeft(result) && result.left.code === 'order-conflict'; i++) {
      await new Promise((resolve) => setTimeout(resolve, backoffMs * i));
      result = await task();
    }
    return result;
  };
}
