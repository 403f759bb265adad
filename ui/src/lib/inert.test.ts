import { describe, expect, it } from 'vitest';
import { makeOutsideInert } from './inert';

function page() {
  document.body.innerHTML = `
    <div id="app">
      <header id="header"><button>Menu</button></header>
      <main id="main">
        <p id="text">content</p>
        <div id="dialog-a"><button>A</button></div>
      </main>
      <div id="status" role="status" aria-live="polite"></div>
      <aside id="aside"><div id="dialog-b"><button>B</button></div></aside>
    </div>`;
  const $ = (id: string) => document.getElementById(id)!;
  return $;
}

const inert = (el: Element) => el.hasAttribute('inert');

describe('makeOutsideInert', () => {
  it('makes everything outside the dialog inert, keeps live regions live, and undoes exactly that', () => {
    const $ = page();
    const undo = makeOutsideInert($('dialog-a'));
    expect(inert($('header'))).toBe(true);
    expect(inert($('text'))).toBe(true);
    expect(inert($('aside'))).toBe(true);
    expect(inert($('status'))).toBe(false);
    expect(inert($('dialog-a'))).toBe(false);
    expect(inert($('main'))).toBe(false);
    undo();
    expect(document.querySelectorAll('[inert]')).toHaveLength(0);
  });

  it('stacks: a second dialog in an inert part is live, and closing it restores the first one’s state', () => {
    const $ = page();
    const undoA = makeOutsideInert($('dialog-a'));
    const undoB = makeOutsideInert($('dialog-b'));
    expect(inert($('aside'))).toBe(false);
    expect(inert($('main'))).toBe(true);
    undoB();
    expect(inert($('aside'))).toBe(true);
    expect(inert($('main'))).toBe(false);
    expect(inert($('header'))).toBe(true);
    undoA();
    expect(document.querySelectorAll('[inert]')).toHaveLength(0);
  });

  it('leaves alone what was inert before it was called', () => {
    const $ = page();
    $('header').setAttribute('inert', '');
    makeOutsideInert($('dialog-a'))();
    expect(inert($('header'))).toBe(true);
  });
});
