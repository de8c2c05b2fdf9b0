/** How many runs may be live at once, counted across every page of the server. */
export class RunBudget {
  private live = 0;

  constructor(readonly max: number) {}

  /** Takes a place for one run; false when every place is taken. */
  take(): boolean {
    if (this.live >= this.max) return false;
    this.live += 1;
    return true;
  }

  /** Gives back a place taken by `take`. */
  give(): void {
    this.live = Math.max(0, this.live - 1);
  }
}
