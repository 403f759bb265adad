// Vitest setup: jest-dom matchers, DOM APIs jsdom lacks, and cleanup between tests.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/svelte';
import { afterEach } from 'vitest';

/**
 * jsdom has no layout and no ResizeObserver. This one reports every observed element as
 * 800×600 once, so a virtualized list sees a 600 px viewport and renders only a window of rows.
 */
class ResizeObserverStub {
  #cb: ResizeObserverCallback;
  constructor(cb: ResizeObserverCallback) {
    this.#cb = cb;
  }
  observe(target: Element): void {
    queueMicrotask(() => {
      const contentRect = { width: 800, height: 600, top: 0, left: 0, bottom: 600, right: 800, x: 0, y: 0 };
      const size = [{ inlineSize: 800, blockSize: 600 }];
      this.#cb(
        [{ target, contentRect, borderBoxSize: size, contentBoxSize: size, devicePixelContentBoxSize: size } as unknown as ResizeObserverEntry],
        this as unknown as ResizeObserver,
      );
    });
  }
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as unknown as { ResizeObserver: typeof ResizeObserverStub }).ResizeObserver = ResizeObserverStub;

// jsdom has no layout; virtua and focus code may call these.
if (!Element.prototype.scrollTo) {
  Element.prototype.scrollTo = function scrollTo() {};
}
if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}

// Screens and dialogs other than the first are loaded with import() (their own chunks); the
// first import of one in a test run waits for Vite to compile it, which takes over the default
// second on a busy machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
});
