// Render a component with the app context around it, backed by a FakeBackend.
import { render } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import type { Component } from 'svelte';
import { APP_CONTEXT, createAppContext, type AppContext } from '../lib/context';
import type { FakeBackend } from './fake-api';

/**
 * Renders `component` inside a context built on `fake`. `prepare` runs before rendering, e.g. to
 * load the session so a screen sees a signed-in profile.
 */
export async function renderWith<Props extends Record<string, any>>(
  component: Component<Props>,
  fake: FakeBackend,
  options: { props?: Props; prepare?: (ctx: AppContext) => Promise<void> | void } = {},
){
  const ctx = createAppContext(fake.api);
  if (options.prepare) await options.prepare(ctx);
  const user = userEvent.setup();
  const result = render(component as Component<any>, {
    props: options.props ?? {},
    context: new Map([[APP_CONTEXT, ctx]]),
  });
  return { ctx, user, result };
}

/** A session already loaded from the fake (signed in as its active profile). */
export async function signedIn(ctx: AppContext): Promise<void> {
  await ctx.session.load();
}
