/**
 * When a model that answers is broken: every answer unusable, many times in a row.
 *
 * A working vision model refuses the odd picture (a patient photograph, a blank slide) or
 * times out on one, but not eight in a row with no usable answer between them. Eight
 * unusable answers in a row mean the model itself is the problem: it failed to load (Ollama
 * answers HTTP 500 for every request), it cannot see pictures, a proxy answers with an error
 * page, or it refuses everything. Eight is small enough that a broken model costs minutes, not
 * a whole batch, and large enough that a deck with a few refused pictures never trips it.
 *
 * Only fresh answers count: a description from the cache says nothing about the model now,
 * and a picture remembered as failed earlier in the batch is not asked again.
 */
export const UNUSABLE_ANSWERS_IN_A_ROW = 8;

/** One fresh answer of the model, as the processor reports it. */
export type ModelAnswer = { readonly usable: true } | { readonly usable: false; readonly problem: string };

export class UnusableAnswers {
  private inARow = 0;
  private lastProblem = '';

  constructor(private readonly limit: number = UNUSABLE_ANSWERS_IN_A_ROW) {}

  /** Records one answer; true when it is the one that makes the run of unusable answers reach the limit. */
  record(answer: ModelAnswer): boolean {
    if (answer.usable) {
      this.inARow = 0;
      return false;
    }
    this.inARow += 1;
    this.lastProblem = answer.problem;
    return this.inARow === this.limit;
  }

  /**
   * Whether one more request may go out while `out` are unanswered. Pictures are asked many at
   * a time; once answers start coming back unusable, no more go out than could still be needed
   * to reach the limit, so a broken model costs the same eight requests however many the
   * servers would take at once. Before the first unusable answer, nothing is held back.
   */
  roomFor(out: number): boolean {
    return this.inARow === 0 || this.inARow + out < this.limit;
  }

  /** The last answer was unusable: a run that may be the model breaking down is under way. */
  get failing(): boolean {
    return this.inARow > 0;
  }

  /** The limit has been reached: the model is broken, and nothing more is asked. */
  get reached(): boolean {
    return this.inARow >= this.limit;
  }

  /** The sentence that stops the work, naming what the model answered last. */
  message(modelName: string): string {
    return unusableModelMessage(this.inARow, this.lastProblem, modelName);
  }
}

export function unusableModelMessage(count: number, lastProblem: string, modelName: string): string {
  return (
    `The model "${modelName}" answered ${count} pictures in a row and none of its answers could be used (the last: ${lastProblem.replace(/\.$/, '')}). ` +
    `Check that the model works (for Ollama: \`ollama run ${modelName}\`, and the server's log) or set model.name to another vision model, then resume.`
  );
}
