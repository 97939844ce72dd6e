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
