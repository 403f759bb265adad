// Status messages for the aria-live region ("Copied", "Project deleted", …).

export class StatusLog {
  message = $state('');
  /** Changes with every announcement, so the same text twice is still announced. */
  seq = $state(0);
  #timer: ReturnType<typeof setTimeout> | null = null;

  announce(message: string, clearAfterMs = 6000): void {
    this.message = message;
    this.seq++;
    if (this.#timer) clearTimeout(this.#timer);
    if (clearAfterMs > 0) {
      this.#timer = setTimeout(() => {
        this.message = '';
        this.#timer = null;
      }, clearAfterMs);
    }
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.message = '';
  }
}
