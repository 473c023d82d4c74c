/**
 * Which finding is selected: the findings list, the process tree and the
 * timeline each listen, so selecting a finding anywhere highlights its
 * card, its process and its marker together.
 */
export type Listener = (finding: number | undefined) => void;

export class Selection {
  private current: number | undefined;
  private readonly listeners: Listener[] = [];

  get finding(): number | undefined {
    return this.current;
  }

  listen(listener: Listener): void {
    this.listeners.push(listener);
  }

  select(finding: number | undefined): void {
    this.current = finding;
    for (const l of this.listeners) l(finding);
  }
}
