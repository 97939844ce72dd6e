// Serialises the callbacks of one Norce order inside this process, so parallel duplicates read each other's writes.
import type { InjectionToken } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';

/**
 * Per-key FIFO: a task for a key starts when the previous one for that key has settled. Across replicas the
 * protection is re-reading Norce before every write and making each write idempotent (BEHAVIOUR §7, ADR 5).
 */
export class OrderLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<E, A>(key: string, task: TaskEither<E, A>): TaskEither<E, A> {
    return () => {
      const previous = this.tails.get(key) ?? Promise.resolve();
      const current = previous.then(
        () => task(),
        () => task(),
      );
      const tail = current.catch(() => undefined);
      this.tails.set(key, tail);
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
      return current;
    };
  }
}

export const OrderLockToken: InjectionToken<OrderLock> = Symbol('OrderLock');
