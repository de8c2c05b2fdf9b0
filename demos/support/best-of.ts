/** Best-of-N timing of two alternatives, like Python's timeit. */

/** Times `a` and `b` in turns, `repeat` times, and keeps each one's best (like timeit): a busy machine only ever slows a run down. */
export async function bestOf<A, B>(repeat: number, a: () => Promise<A> | A, b: () => Promise<B> | B): Promise<[number, A, number, B]> {
  let bestA = Infinity;
  let bestB = Infinity;
  let resultA: A | undefined;
  let resultB: B | undefined;
  for (let i = 0; i < repeat; i++) {
    let t = performance.now();
    resultA = await a();
    bestA = Math.min(bestA, performance.now() - t);
    t = performance.now();
    resultB = await b();
    bestB = Math.min(bestB, performance.now() - t);
  }
  return [bestA, resultA as A, bestB, resultB as B];
}
