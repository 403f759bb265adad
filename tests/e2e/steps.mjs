// What a person does in the window, as reusable steps for the end-to-end tests.
import { byTestId, saveFailure } from './harness.mjs';
import { test as nodeTest } from 'node:test';

/** A test step; on failure the window is saved for a look (E2E_FAILURES or the temp folder). */
export function step(getBrowser, name, fn) {
  nodeTest(name, async () => {
    try {
      await fn();
    } catch (error) {
      await saveFailure(getBrowser(), name).catch(() => {});
      throw error;
    }
  });
}

/** Replaces a field's text the way a person does: select all, then type (or delete). */
export async function type(b, testid, text) {
  const el = await byTestId(b, testid);
  await el.click();
  await b.keys(['Control', 'a']);
  await b.keys('Backspace');
  if (text) await el.addValue(text);
  return el;
}

export async function click(b, testid, timeout) {
  await (await byTestId(b, testid, timeout)).click();
}

/** The text of every project row the list renders. */
export function rows(b) {
  return b.execute(() => [...document.querySelectorAll('[data-testid="project-row"]')].map((r) => r.textContent));
}

/** Fills the sign-in form for a new cloud profile against `endpoint` and submits it. */
export async function submitSignIn(b, { name, endpoint, token }) {
  await byTestId(b, 'sign-in-screen');
  await type(b, 'sign-in-profile-name', name);
  const endpointField = await b.$('[data-testid="sign-in-endpoint"]');
  if (!(await endpointField.isDisplayed())) await (await b.$('details.advanced summary')).click();
  await type(b, 'sign-in-endpoint', endpoint);
  await type(b, 'sign-in-token', token);
  await click(b, 'sign-in-submit');
}

/** Pastes multi-line text into a textarea (WebDriver typing drops newlines in WebKitGTK). */
export async function paste(b, testid, text) {
  const el = await byTestId(b, testid);
  await b.execute(
    (node, value) => {
      node.value = value;
      node.dispatchEvent(new Event('input', { bubbles: true }));
    },
    el,
    text,
  );
}
