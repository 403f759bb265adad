// While a modal dialog is open, everything outside it is inert: it cannot be focused or clicked
// and is hidden from assistive technology. Live regions stay live so confirmations are still
// announced. Dialogs stack: a dialog opened inside an inert part makes its own ancestors live
// again, and each undo restores exactly what its call changed (close the newest first).
export function makeOutsideInert(node: HTMLElement): () => void {
  const undo: (() => void)[] = [];
  for (let el: Element = node; el.parentElement && el !== document.body; el = el.parentElement) {
    const current = el;
    if (current.hasAttribute('inert')) {
      current.removeAttribute('inert');
      undo.push(() => current.setAttribute('inert', ''));
    }
    for (const sibling of Array.from(el.parentElement.children)) {
      if (sibling === current || sibling.hasAttribute('inert') || isLiveRegion(sibling)) continue;
      sibling.setAttribute('inert', '');
      undo.push(() => sibling.removeAttribute('inert'));
    }
  }
  return () => undo.reverse().forEach((restore) => restore());
}

function isLiveRegion(el: Element): boolean {
  return el.hasAttribute('aria-live') || el.getAttribute('role') === 'status' || el.tagName === 'SCRIPT';
}
